"""The package's public names, each under the module that defines it: the one table.

``komfortkasse/__init__.py`` reads it at run time (which module to import on a
name's first use), and ``tools/exports.py`` writes the ``TYPE_CHECKING`` imports
and ``__all__`` of ``__init__.py`` from it (``make exports``; ``make lint`` checks
them). A module listed here ends with ``adopt(globals())``, so that its public
exceptions say ``komfortkasse.LockError`` in a traceback, not
``komfortkasse._exceptions.LockError``. Imports nothing: every module may import it.
"""

from __future__ import annotations

from typing import Any

#: Where the public names live; a name is imported from its module on first use,
#: except the modules in :data:`EAGER`.
EXPORTS: dict[str, tuple[str, ...]] = {
    #: The Komfortkasse API version (the spec's ``info.version``) this client was
    #: generated for.
    "komfortkasse_generated": ("API_VERSION",),
    "komfortkasse_generated.models": (
        "Address",
        "AddressGender",
        "BankAccount",
        "Image",
        "ImageFormat",
        "ImageType",
        "OrderCollectionHistory",
        "OrderItem",
        "OrderRead",
        "OrderReminder",
        "OrderType",
        "OrderWrite",
        "OrderWriteWithNumber",
        "PaymentStatus",
        "Posting",
        "PostingRead",
        "Refund",
        "RefundRead",
        "RefundStatus",
    ),
    "komfortkasse_generated.types": ("UNSET", "Unset"),
    "komfortkasse._exceptions": (
        "ERROR_TABLE",
        "APIConnectionError",
        "APIError",
        "APITimeoutError",
        "ApiNotActiveError",
        "AuthenticationError",
        "BadRequestError",
        "ConfigurationError",
        "DueDateTooFarError",
        "ErrorMessage",
        "InitialDunningLevelError",
        "InvalidDateError",
        "InvalidFileError",
        "InvalidJsonError",
        "KomfortkasseError",
        "LockError",
        "MissingBodyError",
        "MissingParameterError",
        "NotFoundError",
        "NumberMismatchError",
        "OrderAlreadyPaidError",
        "OrderNotFoundError",
        "OrderUpdateRejectedError",
        "PlannedDateNotInFutureError",
        "ReadOnlyShopError",
        "RefundAlreadyExistsError",
        "ResponseValidationError",
        "ServerError",
        "SetUnpaidNotAllowedError",
        "ShopNotActiveError",
        "TransportError",
        "UnexpectedResponseError",
        "ValidationError",
        "api_error_for",
    ),
    "komfortkasse._bulk": (
        "BulkSubmitError",
        "ChunkFailure",
        "NumberedOrder",
        "OrderAck",
        "SubmitStreamNotEnteredError",
    ),
    "komfortkasse._checks": ("OrderProblem", "check_order", "check_orders"),
    "komfortkasse._client": ("AsyncKomfortkasse", "Komfortkasse"),
    "komfortkasse._money": ("money", "to_decimal"),
    "komfortkasse._resources": (
        "AsyncImages",
        "AsyncOrders",
        "AsyncPostings",
        "Images",
        "Orders",
        "Postings",
    ),
    "komfortkasse._retry": ("RetryPolicy",),
    "komfortkasse._workflows": (
        "PaymentChanges",
        "PaymentCursor",
        "Reconciliation",
        "SyncPreview",
        "SyncRefusedError",
    ),
}

#: Loaded with the package: the API version, and the exceptions (cheap, and an
#: ``except komfortkasse.APIError`` needs no import of the client).
EAGER = ("komfortkasse_generated", "komfortkasse._exceptions")

#: The module each public name is imported from.
MODULE_OF = {name: module for module, names in EXPORTS.items() for name in names}

#: What ``__module__`` of an adopted class or function says.
PACKAGE = "komfortkasse"


def adopt(namespace: dict[str, Any]) -> None:
    """Let this module's public exceptions name the package as their module, so a
    traceback says ``komfortkasse.LockError`` -- what the user catches -- not
    ``komfortkasse._exceptions.LockError``; called at the end of each module above.

    Only exceptions: the API reference (pdoc) and ``typing.get_type_hints`` read a
    class's annotations in the namespace of its ``__module__``, which for the
    classes and functions with annotations of their own would no longer resolve.
    """
    module = namespace["__name__"]
    for name in EXPORTS.get(module, ()):
        value = namespace.get(name)  # a module-level __getattr__ may make it later
        if (
            isinstance(value, type)
            and issubclass(value, BaseException)
            and value.__module__ == module
        ):
            value.__module__ = PACKAGE

"""Typed Python client for the Komfortkasse API v2.

from komfortkasse import Komfortkasse
with Komfortkasse() as client:          # key from $KOMFORTKASSE_API_KEY
    order = client.orders.get("123456")
    print(order.payment_status)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._exports import EAGER, EXPORTS, MODULE_OF

# The public names come from one table, ``_exports.EXPORTS``. The exceptions load
# with the package; everything else on first use (PEP 562), so that
# ``import komfortkasse`` -- and the pytest plugin, which lives in this package --
# stays quick.
for _module in EAGER:
    _loaded = importlib.import_module(_module)
    globals().update({name: getattr(_loaded, name) for name in EXPORTS[_module]})
del _module, _loaded


def __getattr__(name: str) -> Any:
    if name == "__version__":  # read from the package metadata on first use
        from ._version import package_version

        return package_version()
    module = MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'komfortkasse' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


# --- written by tools/exports.py from _exports.EXPORTS (`make exports`) ---
if TYPE_CHECKING:
    from komfortkasse_generated import (
        API_VERSION,
    )
    from komfortkasse_generated.models import (
        Address,
        AddressGender,
        BankAccount,
        Image,
        ImageFormat,
        ImageType,
        OrderCollectionHistory,
        OrderItem,
        OrderRead,
        OrderReminder,
        OrderType,
        OrderWrite,
        OrderWriteWithNumber,
        PaymentStatus,
        Posting,
        PostingRead,
        Refund,
        RefundRead,
        RefundStatus,
    )
    from komfortkasse_generated.types import (
        UNSET,
        Unset,
    )

    from ._bulk import (
        BulkSubmitError,
        ChunkFailure,
        NumberedOrder,
        OrderAck,
        SubmitStreamNotEnteredError,
    )
    from ._checks import (
        OrderProblem,
        check_order,
        check_orders,
    )
    from ._client import (
        AsyncKomfortkasse,
        Komfortkasse,
    )
    from ._exceptions import (
        ERROR_TABLE,
        APIConnectionError,
        APIError,
        ApiNotActiveError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        ConfigurationError,
        DueDateTooFarError,
        ErrorMessage,
        InitialDunningLevelError,
        InvalidDateError,
        InvalidFileError,
        InvalidJsonError,
        KomfortkasseError,
        LockError,
        MissingBodyError,
        MissingParameterError,
        NotFoundError,
        NumberMismatchError,
        OrderAlreadyPaidError,
        OrderNotFoundError,
        OrderUpdateRejectedError,
        PlannedDateNotInFutureError,
        ReadOnlyShopError,
        RefundAlreadyExistsError,
        ResponseValidationError,
        ServerError,
        SetUnpaidNotAllowedError,
        ShopNotActiveError,
        TransportError,
        UnexpectedResponseError,
        ValidationError,
        api_error_for,
    )
    from ._money import (
        money,
        to_decimal,
    )
    from ._resources import (
        AsyncImages,
        AsyncOrders,
        AsyncPostings,
        Images,
        Orders,
        Postings,
    )
    from ._retry import (
        RetryPolicy,
    )
    from ._workflows import (
        PaymentChanges,
        PaymentCursor,
        Reconciliation,
        SyncPreview,
        SyncRefusedError,
    )

__all__ = [
    "API_VERSION",
    "ERROR_TABLE",
    "UNSET",
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "Address",
    "AddressGender",
    "ApiNotActiveError",
    "AsyncImages",
    "AsyncKomfortkasse",
    "AsyncOrders",
    "AsyncPostings",
    "AuthenticationError",
    "BadRequestError",
    "BankAccount",
    "BulkSubmitError",
    "ChunkFailure",
    "ConfigurationError",
    "DueDateTooFarError",
    "ErrorMessage",
    "Image",
    "ImageFormat",
    "ImageType",
    "Images",
    "InitialDunningLevelError",
    "InvalidDateError",
    "InvalidFileError",
    "InvalidJsonError",
    "Komfortkasse",
    "KomfortkasseError",
    "LockError",
    "MissingBodyError",
    "MissingParameterError",
    "NotFoundError",
    "NumberMismatchError",
    "NumberedOrder",
    "OrderAck",
    "OrderAlreadyPaidError",
    "OrderCollectionHistory",
    "OrderItem",
    "OrderNotFoundError",
    "OrderProblem",
    "OrderRead",
    "OrderReminder",
    "OrderType",
    "OrderUpdateRejectedError",
    "OrderWrite",
    "OrderWriteWithNumber",
    "Orders",
    "PaymentChanges",
    "PaymentCursor",
    "PaymentStatus",
    "PlannedDateNotInFutureError",
    "Posting",
    "PostingRead",
    "Postings",
    "ReadOnlyShopError",
    "Reconciliation",
    "Refund",
    "RefundAlreadyExistsError",
    "RefundRead",
    "RefundStatus",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "SetUnpaidNotAllowedError",
    "ShopNotActiveError",
    "SubmitStreamNotEnteredError",
    "SyncPreview",
    "SyncRefusedError",
    "TransportError",
    "UnexpectedResponseError",
    "Unset",
    "ValidationError",
    "api_error_for",
    "check_order",
    "check_orders",
    "money",
    "to_decimal",
]
# --- end of the written block ---

"""A stateful fake Komfortkasse API v2 server for tests (the ``testing`` extra).

:class:`FakeKomfortkasse` runs a real HTTP/1.1 server on 127.0.0.1 with in-memory
shops and orders, a controllable clock, payment/reminder/refund simulation,
callbacks, held locks and injectable faults. The pytest plugin (installed with the
package) provides it as the ``komfortkasse_fake`` fixture; ``fake.client()`` and
``fake.async_client()`` hand out clients whose date rules follow the fake's clock.
``python -m komfortkasse.testing`` (or ``komfortkasse fake-server``) runs it
standalone, and its HTTP control endpoints under ``/_fake`` (guarded by the
control token it prints) let a test suite in any language drive it: see
:mod:`komfortkasse.testing._control` and the README.

Where the spec is silent the fake takes the conservative choice, so that a test
passing against it does not rely on behaviour the real service may not have:

* A refund pays back at most what was paid: the order's postings minus its other
  refunds that are not cancelled, returned or failed (more is refused with 400
  "Invalid parameter amount: refunds would exceed the amount paid"), so
  ``amountPaid`` is never negative; a refund must be in the order's currency.
* ``LEGACY`` and ``DISAPPEARED`` orders are no longer tracked: no refund is created
  ("Could not update order (paymentStatus ...)") or executed for them.
* A payment is assigned only to ``UNPAID``, ``PAID_PARTIAL``, ``PAID`` (overpaid) and
  ``COLLECTION`` orders; for ``CANCELLED``, ``LEGACY``, ``DISAPPEARED`` and the refunded
  statuses :meth:`FakeKomfortkasse.receive_payment` raises :class:`ValueError` (the
  spec describes no such transition). Only open orders go to collection.
* ``setunpaid`` restores the status the postings give (``PAID_PARTIAL`` when money
  arrived while the order was set paid manually).
* An order amount may not be negative; the currency may not change once an order
  has postings or refunds.
* An invoice upload needs a multipart part named ``file`` (the spec's only
  requirement); a part without a filename is accepted (``InvoiceUpload.filename``
  is ``None``). "File missing": no ``file`` part; "File size 0": an empty one.

Names are imported on first use, so that loading the pytest plugin (which imports
this package) costs nothing until a test asks for the fake. Without the extra's
packages, that first use raises :class:`ModuleNotFoundError` naming the extra.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._callbacks import CallbackAttempt, CallbackDelivery
    from ._epc import epc_payload
    from ._fake import FakeKomfortkasse
    from ._faults import FaultKind
    from ._http import RecordedRequest
    from ._records import (
        BankAccount,
        CollectionRecord,
        Includes,
        InvoiceUpload,
        OrderRecord,
        PostingRecord,
        RefundRecord,
        ReminderRecord,
        ShopRecord,
    )

_EXPORTS = {
    "BankAccount": "._records",
    "CallbackAttempt": "._callbacks",
    "CallbackDelivery": "._callbacks",
    "CollectionRecord": "._records",
    "FakeKomfortkasse": "._fake",
    "FaultKind": "._faults",
    "Includes": "._records",
    "InvoiceUpload": "._records",
    "OrderRecord": "._records",
    "PostingRecord": "._records",
    "RecordedRequest": "._http",
    "RefundRecord": "._records",
    "ReminderRecord": "._records",
    "ShopRecord": "._records",
    "epc_payload": "._epc",
}

__all__ = [
    "BankAccount",
    "CallbackAttempt",
    "CallbackDelivery",
    "CollectionRecord",
    "FakeKomfortkasse",
    "FaultKind",
    "Includes",
    "InvoiceUpload",
    "OrderRecord",
    "PostingRecord",
    "RecordedRequest",
    "RefundRecord",
    "ReminderRecord",
    "ShopRecord",
    "epc_payload",
]


#: The packages of the ``testing`` extra, and how to get them.
EXTRA_MODULES = ("jsonschema", "segno")
INSTALL_HINT = "pip install 'komfortkasse[testing]'"


def _load(module: str) -> ModuleType:
    """Import ``module`` of this package; a missing extra says what to install."""
    try:
        if module == "._fake":
            importlib.import_module("jsonschema")  # needed by the first request only
        return importlib.import_module(module, __name__)
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in EXTRA_MODULES:
            raise
        raise ModuleNotFoundError(
            f"komfortkasse.testing needs the testing extra ({exc.name} is not installed): "
            f"{INSTALL_HINT}",
            name=exc.name,
        ) from exc


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_load(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])

"""A stateful fake Komfortkasse API v2 server for tests (``pip install 'komfortkasse[testing]'``).

:class:`FakeKomfortkasse` runs a real HTTP/1.1 server on 127.0.0.1 with in-memory
shops and orders, a controllable clock, payment/reminder/refund simulation,
callbacks, held locks and injectable faults. The pytest plugin (installed with the
package) provides it as the ``komfortkasse_fake`` fixture. ``python -m
komfortkasse.testing`` runs it standalone.

Names are imported on first use, so that loading the pytest plugin (which imports
this package) costs nothing until a test asks for the fake.
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
    from ._state import (
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
    "BankAccount": "._state",
    "CallbackAttempt": "._callbacks",
    "CallbackDelivery": "._callbacks",
    "CollectionRecord": "._state",
    "FakeKomfortkasse": "._fake",
    "FaultKind": "._faults",
    "Includes": "._state",
    "InvoiceUpload": "._state",
    "OrderRecord": "._state",
    "PostingRecord": "._state",
    "RecordedRequest": "._http",
    "RefundRecord": "._state",
    "ReminderRecord": "._state",
    "ShopRecord": "._state",
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

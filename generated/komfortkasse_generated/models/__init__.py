"""The models of the Komfortkasse API (generated; do not edit).

Each model's module is imported at the first use of its name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .address import Address
    from .address_gender import AddressGender
    from .bank_account import BankAccount
    from .error import Error
    from .image import Image
    from .image_format import ImageFormat
    from .image_type import ImageType
    from .order_collection_history import OrderCollectionHistory
    from .order_item import OrderItem
    from .order_read import OrderRead
    from .order_reminder import OrderReminder
    from .order_type import OrderType
    from .order_write import OrderWrite
    from .order_write_with_number import OrderWriteWithNumber
    from .payment_status import PaymentStatus
    from .posting import Posting
    from .posting_read import PostingRead
    from .refund import Refund
    from .refund_read import RefundRead
    from .refund_status import RefundStatus
    from .submit_invoice_body import SubmitInvoiceBody

#: Each public name -> the module that defines it.
_MODULES: dict[str, str] = {
    "Address": ".address",
    "AddressGender": ".address_gender",
    "BankAccount": ".bank_account",
    "Error": ".error",
    "Image": ".image",
    "ImageFormat": ".image_format",
    "ImageType": ".image_type",
    "OrderCollectionHistory": ".order_collection_history",
    "OrderItem": ".order_item",
    "OrderRead": ".order_read",
    "OrderReminder": ".order_reminder",
    "OrderType": ".order_type",
    "OrderWrite": ".order_write",
    "OrderWriteWithNumber": ".order_write_with_number",
    "PaymentStatus": ".payment_status",
    "Posting": ".posting",
    "PostingRead": ".posting_read",
    "Refund": ".refund",
    "RefundRead": ".refund_read",
    "RefundStatus": ".refund_status",
    "SubmitInvoiceBody": ".submit_invoice_body",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = (
    "Address",
    "AddressGender",
    "BankAccount",
    "Error",
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
    "SubmitInvoiceBody",
)

"""The models of the Komfortkasse API (generated; do not edit)."""

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

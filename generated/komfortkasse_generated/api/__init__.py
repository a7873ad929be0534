"""The API's operations and the resources that offer them (generated; do not edit).

``OPERATIONS`` maps each operationId to its :class:`~komfortkasse_generated._ops.Operation`;
each resource class offers one typed method per operation of its tag, in a sync
and an async twin. The methods call ``client._invoke``: the hand-written client
applies its rules and sends.
"""

from __future__ import annotations

import builtins
import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from .._ops import Operation
from ..models.image_type import ImageType  # a parameter default may be a member

if TYPE_CHECKING:  # the models of the signatures; a call imports what it uses
    from ..models import *
from .bulk_orders import read_orders as _read_orders
from .bulk_orders import submit_orders as _submit_orders
from .bulk_orders import sync_orders as _sync_orders
from .image import get_image as _get_image
from .postings import read_postings as _read_postings
from .single_order import cancel_order as _cancel_order
from .single_order import create_refund as _create_refund
from .single_order import get_order as _get_order
from .single_order import remove_order as _remove_order
from .single_order import set_order_paid as _set_order_paid
from .single_order import set_order_unpaid as _set_order_unpaid
from .single_order import submit_invoice as _submit_invoice
from .single_order import submit_order as _submit_order

_ = (builtins, datetime, Decimal, Iterable)  # used by the signatures below

#: Every operation of the spec, by operationId.
OPERATIONS: dict[str, Operation] = {
    "readOrders": _read_orders.OPERATION,
    "submitOrders": _submit_orders.OPERATION,
    "syncOrders": _sync_orders.OPERATION,
    "getImage": _get_image.OPERATION,
    "readPostings": _read_postings.OPERATION,
    "getOrder": _get_order.OPERATION,
    "submitOrder": _submit_order.OPERATION,
    "removeOrder": _remove_order.OPERATION,
    "setOrderPaid": _set_order_paid.OPERATION,
    "setOrderUnpaid": _set_order_unpaid.OPERATION,
    "cancelOrder": _cancel_order.OPERATION,
    "createRefund": _create_refund.OPERATION,
    "submitInvoice": _submit_invoice.OPERATION,
}


class Invoker(Protocol):
    """What a resource needs from its client."""

    def _invoke(
        self,
        operation: Operation,
        path: dict[str, Any],
        query: dict[str, Any],
        body: Any,
    ) -> Any: ...


class AsyncInvoker(Protocol):
    """What an async resource needs from its client."""

    async def _invoke(
        self,
        operation: Operation,
        path: dict[str, Any],
        query: dict[str, Any],
        body: Any,
    ) -> Any: ...


class OrdersResource:
    """The operations on ``client.orders``."""

    def __init__(self, client: Invoker) -> None:
        self._client = client

    def list(
        self,
        *,
        max_age: int | None = None,
        payment_status: PaymentStatus
        | str
        | Iterable[PaymentStatus | str]
        | None = None,
        min_posting_date: datetime.date | None = None,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> builtins.list[OrderRead]:
        """Read Orders (``GET /orders``).

        Read orders from Komfortkasse.
        """
        return self._client._invoke(
            OPERATIONS["readOrders"],
            {},
            {
                "maxAge": max_age,
                "paymentStatus": payment_status,
                "minPostingDate": min_posting_date,
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            None,
        )

    def _submit_orders(
        self,
        orders: Iterable[OrderWriteWithNumber | OrderRead],
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> builtins.list[OrderRead]:
        """Submit Orders (``POST /orders``).

        Submit multiple orders to Komfortkasse.

        It is recommended to periodically (e.g. once per day) send all open orders to
        Komfortkasse in order to update any data that might have been changed (e.g., amount
        change, change of email address, etc.).

        If you have a large amount of orders to send (more than 100), please split this call
        into multiple calls to avoid timeout errors.
        """
        return self._client._invoke(
            OPERATIONS["submitOrders"],
            {},
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            orders,
        )

    def _sync_orders(
        self,
        open_order_numbers: Iterable[str],
    ) -> int:
        """Sync Orders (``POST /ordersync``).

        Send the full list of currently-open order numbers from your shop. Komfortkasse marks
        any of its open orders for this shop that are NOT in the submitted list as `LEGACY`
        (i.e. no longer tracked) and updates `lastSeen` for the rest. Returns the number of
        orders that were marked `LEGACY`. Allow a timeout of at least 10 minutes for this
        operation.

        ⚠️ **Warning:** You must always send the **complete** list of currently-open orders in
        your shop. Any open order not present in the list will be marked `LEGACY` and stop being
        tracked by Komfortkasse — including reminder, collection and refund processing. Sending
        a partial list is destructive.
        """
        return self._client._invoke(
            OPERATIONS["syncOrders"],
            {},
            {},
            open_order_numbers,
        )

    def get(
        self,
        order_number: str,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """Get Order Details (``GET /order/{orderNumber}``).

        Read details of a single order from Komfortkasse.

        The following fields in the response are read-only (set by Komfortkasse, not by the
        merchant):
        `paymentStatus`, `referenceNumber`, `bankAccount`, `dunningLevel`, `amountPaid`,
        `postings`,
        `collectionPartner`, `collectionFile`, `collectionStatus`, `collectionHistory`,
        `paymentReminders`,
        `refunds`, `hasBankDetailsForRefund`.
        """
        return self._client._invoke(
            OPERATIONS["getOrder"],
            {
                "orderNumber": order_number,
            },
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            None,
        )

    def submit(
        self,
        order_number: str,
        order: OrderWrite | OrderWriteWithNumber | OrderRead,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """Submit Order (``POST /order/{orderNumber}``).

        Submit an order to Komfortkasse after the order has been placed in your online shop.

        Only submit orders that are relevant to Komfortkasse, so don't send orders that will be
        paid by PayPal or creditcard. (You might submit orders with these payment methods as
        order type `OTHER` if you know what you are doing.)

        Re-submitting an order with the same `orderNumber` updates the existing order — for
        example, if the customer's email address or the order amount changed in your shop. The
        `initialDunningLevel` field is honoured **only on the first submission** of an order; on
        subsequent updates it must be omitted or `0`.
        """
        return self._client._invoke(
            OPERATIONS["submitOrder"],
            {
                "orderNumber": order_number,
            },
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            order,
        )

    def remove(
        self,
        order_number: str,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """Remove Order (``POST /order/remove/{orderNumber}``).

        Mark an order as `DISAPPEARED` (removed externally). Use this if the order was cancelled
        in your shop and should no longer be tracked by Komfortkasse.

        **Difference vs `cancel`:** `remove` means the order has vanished from your shop (sets
        `paymentStatus` to `DISAPPEARED`), while `cancel` means the order was explicitly
        cancelled (sets `paymentStatus` to `CANCELLED`). Both stop reminders, but they are
        distinct payment statuses.
        """
        return self._client._invoke(
            OPERATIONS["removeOrder"],
            {
                "orderNumber": order_number,
            },
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            None,
        )

    def set_paid(
        self,
        order_number: str,
    ) -> OrderRead:
        """Set Order paid (``POST /order/{orderNumber}/setpaid``).

        Manually mark an order as paid.
        """
        return self._client._invoke(
            OPERATIONS["setOrderPaid"],
            {
                "orderNumber": order_number,
            },
            {},
            None,
        )

    def set_unpaid(
        self,
        order_number: str,
    ) -> OrderRead:
        """Set Order unpaid (``POST /order/{orderNumber}/setunpaid``).

        Manually mark an order as unpaid (revert a previous setpaid).
        """
        return self._client._invoke(
            OPERATIONS["setOrderUnpaid"],
            {
                "orderNumber": order_number,
            },
            {},
            None,
        )

    def cancel(
        self,
        order_number: str,
    ) -> OrderRead:
        """Cancel Order (``POST /order/{orderNumber}/cancel``).

        Cancel an order (sets `paymentStatus` to `CANCELLED`).

        Use `cancel` to record an explicit cancellation in your shop. To indicate that the order
        has vanished/been removed externally, use [Remove Order](#operation/removeOrder) instead
        — that produces `DISAPPEARED`.
        """
        return self._client._invoke(
            OPERATIONS["cancelOrder"],
            {
                "orderNumber": order_number,
            },
            {},
            None,
        )

    def refund(
        self,
        order_number: str,
        refund: Refund,
    ) -> RefundRead:
        """Create a refund for an order (``POST /order/{orderNumber}/refund``).

        Create a refund (bank transfer back to the customer) for an existing order.

        - `plannedDate` must be in the future (the date the bank transfer should be initiated).
        - If the customer's bank details are not yet known, the refund starts in status
        `BANKDETAILS_MISSING` and Komfortkasse asks the customer to provide their IBAN. Once
        received, it transitions to `NEW` and is executed at `plannedDate`.
        - `externalReference` is your own reference (e.g. RMA number) and must be unique per
        shop. Re-using a reference of an existing refund returns an error.

        See also
        [Refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152280).
        """
        return self._client._invoke(
            OPERATIONS["createRefund"],
            {
                "orderNumber": order_number,
            },
            {},
            refund,
        )

    def _submit_invoice(
        self,
        order_number: str,
        invoice_number: str,
        body: SubmitInvoiceBody,
    ) -> None:
        """Submit an invoice file (``POST /order/{orderNumber}/invoice/{invoiceNumber}``).

        Upload an invoice PDF (or similar) for an order.

        If this is the **first** invoice submitted for the order and the shop is configured to
        send invoices by letter post, this call may also trigger Komfortkasse to send the
        invoice to the customer as a physical letter. Do not call this multiple times for the
        same `invoiceNumber` — repeat uploads of an existing invoice file are silently ignored,
        but you should still treat the call as non-idempotent for triggering side effects.
        """
        return self._client._invoke(
            OPERATIONS["submitInvoice"],
            {
                "orderNumber": order_number,
                "invoiceNumber": invoice_number,
            },
            {},
            body,
        )


class AsyncOrdersResource:
    """The operations on ``client.orders`` (async)."""

    def __init__(self, client: AsyncInvoker) -> None:
        self._client = client

    async def list(
        self,
        *,
        max_age: int | None = None,
        payment_status: PaymentStatus
        | str
        | Iterable[PaymentStatus | str]
        | None = None,
        min_posting_date: datetime.date | None = None,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> builtins.list[OrderRead]:
        """Read Orders (``GET /orders``).

        Read orders from Komfortkasse.
        """
        return await self._client._invoke(
            OPERATIONS["readOrders"],
            {},
            {
                "maxAge": max_age,
                "paymentStatus": payment_status,
                "minPostingDate": min_posting_date,
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            None,
        )

    async def _submit_orders(
        self,
        orders: Iterable[OrderWriteWithNumber | OrderRead],
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> builtins.list[OrderRead]:
        """Submit Orders (``POST /orders``).

        Submit multiple orders to Komfortkasse.

        It is recommended to periodically (e.g. once per day) send all open orders to
        Komfortkasse in order to update any data that might have been changed (e.g., amount
        change, change of email address, etc.).

        If you have a large amount of orders to send (more than 100), please split this call
        into multiple calls to avoid timeout errors.
        """
        return await self._client._invoke(
            OPERATIONS["submitOrders"],
            {},
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            orders,
        )

    async def _sync_orders(
        self,
        open_order_numbers: Iterable[str],
    ) -> int:
        """Sync Orders (``POST /ordersync``).

        Send the full list of currently-open order numbers from your shop. Komfortkasse marks
        any of its open orders for this shop that are NOT in the submitted list as `LEGACY`
        (i.e. no longer tracked) and updates `lastSeen` for the rest. Returns the number of
        orders that were marked `LEGACY`. Allow a timeout of at least 10 minutes for this
        operation.

        ⚠️ **Warning:** You must always send the **complete** list of currently-open orders in
        your shop. Any open order not present in the list will be marked `LEGACY` and stop being
        tracked by Komfortkasse — including reminder, collection and refund processing. Sending
        a partial list is destructive.
        """
        return await self._client._invoke(
            OPERATIONS["syncOrders"],
            {},
            {},
            open_order_numbers,
        )

    async def get(
        self,
        order_number: str,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """Get Order Details (``GET /order/{orderNumber}``).

        Read details of a single order from Komfortkasse.

        The following fields in the response are read-only (set by Komfortkasse, not by the
        merchant):
        `paymentStatus`, `referenceNumber`, `bankAccount`, `dunningLevel`, `amountPaid`,
        `postings`,
        `collectionPartner`, `collectionFile`, `collectionStatus`, `collectionHistory`,
        `paymentReminders`,
        `refunds`, `hasBankDetailsForRefund`.
        """
        return await self._client._invoke(
            OPERATIONS["getOrder"],
            {
                "orderNumber": order_number,
            },
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            None,
        )

    async def submit(
        self,
        order_number: str,
        order: OrderWrite | OrderWriteWithNumber | OrderRead,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """Submit Order (``POST /order/{orderNumber}``).

        Submit an order to Komfortkasse after the order has been placed in your online shop.

        Only submit orders that are relevant to Komfortkasse, so don't send orders that will be
        paid by PayPal or creditcard. (You might submit orders with these payment methods as
        order type `OTHER` if you know what you are doing.)

        Re-submitting an order with the same `orderNumber` updates the existing order — for
        example, if the customer's email address or the order amount changed in your shop. The
        `initialDunningLevel` field is honoured **only on the first submission** of an order; on
        subsequent updates it must be omitted or `0`.
        """
        return await self._client._invoke(
            OPERATIONS["submitOrder"],
            {
                "orderNumber": order_number,
            },
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            order,
        )

    async def remove(
        self,
        order_number: str,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """Remove Order (``POST /order/remove/{orderNumber}``).

        Mark an order as `DISAPPEARED` (removed externally). Use this if the order was cancelled
        in your shop and should no longer be tracked by Komfortkasse.

        **Difference vs `cancel`:** `remove` means the order has vanished from your shop (sets
        `paymentStatus` to `DISAPPEARED`), while `cancel` means the order was explicitly
        cancelled (sets `paymentStatus` to `CANCELLED`). Both stop reminders, but they are
        distinct payment statuses.
        """
        return await self._client._invoke(
            OPERATIONS["removeOrder"],
            {
                "orderNumber": order_number,
            },
            {
                "includePostings": include_postings,
                "includeCollectionHistory": include_collection_history,
                "includePaymentReminders": include_payment_reminders,
                "includeRefunds": include_refunds,
            },
            None,
        )

    async def set_paid(
        self,
        order_number: str,
    ) -> OrderRead:
        """Set Order paid (``POST /order/{orderNumber}/setpaid``).

        Manually mark an order as paid.
        """
        return await self._client._invoke(
            OPERATIONS["setOrderPaid"],
            {
                "orderNumber": order_number,
            },
            {},
            None,
        )

    async def set_unpaid(
        self,
        order_number: str,
    ) -> OrderRead:
        """Set Order unpaid (``POST /order/{orderNumber}/setunpaid``).

        Manually mark an order as unpaid (revert a previous setpaid).
        """
        return await self._client._invoke(
            OPERATIONS["setOrderUnpaid"],
            {
                "orderNumber": order_number,
            },
            {},
            None,
        )

    async def cancel(
        self,
        order_number: str,
    ) -> OrderRead:
        """Cancel Order (``POST /order/{orderNumber}/cancel``).

        Cancel an order (sets `paymentStatus` to `CANCELLED`).

        Use `cancel` to record an explicit cancellation in your shop. To indicate that the order
        has vanished/been removed externally, use [Remove Order](#operation/removeOrder) instead
        — that produces `DISAPPEARED`.
        """
        return await self._client._invoke(
            OPERATIONS["cancelOrder"],
            {
                "orderNumber": order_number,
            },
            {},
            None,
        )

    async def refund(
        self,
        order_number: str,
        refund: Refund,
    ) -> RefundRead:
        """Create a refund for an order (``POST /order/{orderNumber}/refund``).

        Create a refund (bank transfer back to the customer) for an existing order.

        - `plannedDate` must be in the future (the date the bank transfer should be initiated).
        - If the customer's bank details are not yet known, the refund starts in status
        `BANKDETAILS_MISSING` and Komfortkasse asks the customer to provide their IBAN. Once
        received, it transitions to `NEW` and is executed at `plannedDate`.
        - `externalReference` is your own reference (e.g. RMA number) and must be unique per
        shop. Re-using a reference of an existing refund returns an error.

        See also
        [Refunds](https://komfortkasse.freshdesk.com/support/solutions/articles/14000152280).
        """
        return await self._client._invoke(
            OPERATIONS["createRefund"],
            {
                "orderNumber": order_number,
            },
            {},
            refund,
        )

    async def _submit_invoice(
        self,
        order_number: str,
        invoice_number: str,
        body: SubmitInvoiceBody,
    ) -> None:
        """Submit an invoice file (``POST /order/{orderNumber}/invoice/{invoiceNumber}``).

        Upload an invoice PDF (or similar) for an order.

        If this is the **first** invoice submitted for the order and the shop is configured to
        send invoices by letter post, this call may also trigger Komfortkasse to send the
        invoice to the customer as a physical letter. Do not call this multiple times for the
        same `invoiceNumber` — repeat uploads of an existing invoice file are silently ignored,
        but you should still treat the call as non-idempotent for triggering side effects.
        """
        return await self._client._invoke(
            OPERATIONS["submitInvoice"],
            {
                "orderNumber": order_number,
                "invoiceNumber": invoice_number,
            },
            {},
            body,
        )


class ImagesResource:
    """The operations on ``client.images``."""

    def __init__(self, client: Invoker) -> None:
        self._client = client

    def get(
        self,
        order_number: str,
        type: ImageType | str = ImageType.QRCODE,
    ) -> Image:
        """Get Image (``GET /image/{orderNumber}``).

        Get a payment-related image (QR code, payment slip) for an order.
        """
        return self._client._invoke(
            OPERATIONS["getImage"],
            {
                "orderNumber": order_number,
            },
            {
                "type": type,
            },
            None,
        )


class AsyncImagesResource:
    """The operations on ``client.images`` (async)."""

    def __init__(self, client: AsyncInvoker) -> None:
        self._client = client

    async def get(
        self,
        order_number: str,
        type: ImageType | str = ImageType.QRCODE,
    ) -> Image:
        """Get Image (``GET /image/{orderNumber}``).

        Get a payment-related image (QR code, payment slip) for an order.
        """
        return await self._client._invoke(
            OPERATIONS["getImage"],
            {
                "orderNumber": order_number,
            },
            {
                "type": type,
            },
            None,
        )


class PostingsResource:
    """The operations on ``client.postings``."""

    def __init__(self, client: Invoker) -> None:
        self._client = client

    def list(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        include_orders: bool = False,
        iban: str | None = None,
    ) -> builtins.list[PostingRead]:
        """Read Postings (``GET /postings``).

        Read bank postings (incoming payments) from Komfortkasse.
        """
        return self._client._invoke(
            OPERATIONS["readPostings"],
            {},
            {
                "createdMin": created_min,
                "createdMax": created_max,
                "includeOrders": include_orders,
                "iban": iban,
            },
            None,
        )


class AsyncPostingsResource:
    """The operations on ``client.postings`` (async)."""

    def __init__(self, client: AsyncInvoker) -> None:
        self._client = client

    async def list(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        include_orders: bool = False,
        iban: str | None = None,
    ) -> builtins.list[PostingRead]:
        """Read Postings (``GET /postings``).

        Read bank postings (incoming payments) from Komfortkasse.
        """
        return await self._client._invoke(
            OPERATIONS["readPostings"],
            {},
            {
                "createdMin": created_min,
                "createdMax": created_max,
                "includeOrders": include_orders,
                "iban": iban,
            },
            None,
        )


#: Resource attribute name -> (sync class, async class).
RESOURCES: dict[str, tuple[type[Any], type[Any]]] = {
    "orders": (OrdersResource, AsyncOrdersResource),
    "images": (ImagesResource, AsyncImagesResource),
    "postings": (PostingsResource, AsyncPostingsResource),
}


class Resources:
    """The resources a sync client carries (their attributes, typed)."""

    orders: OrdersResource
    images: ImagesResource
    postings: PostingsResource


class AsyncResources:
    """The resources an async client carries (their attributes, typed)."""

    orders: AsyncOrdersResource
    images: AsyncImagesResource
    postings: AsyncPostingsResource


__all__ = [
    "OPERATIONS",
    "RESOURCES",
    "AsyncImagesResource",
    "AsyncInvoker",
    "AsyncOrdersResource",
    "AsyncPostingsResource",
    "AsyncResources",
    "ImagesResource",
    "Invoker",
    "OrdersResource",
    "PostingsResource",
    "Resources",
]

"""``client.orders``, ``client.postings``, ``client.images`` -- sync and async twins.

Every method body is one line handing an operation from
:mod:`komfortkasse._operations` to the client's executor; the twins differ
only in ``async``/``await``. Bulk submit is the one place with a loop of its own;
refund and set-paid resolve a lost answer here (resend, then read back: the
decisions are in :mod:`komfortkasse._workflows`), never in the send loop.
"""

from __future__ import annotations

import builtins
import datetime
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import anyio

from komfortkasse_generated.models import (
    Image,
    ImageType,
    OrderRead,
    PostingRead,
    Refund,
    RefundRead,
)

from . import _operations as ops
from ._bulk import (
    AsyncSubmitStream,
    BulkSubmitError,
    NumberedOrder,
    Progress,
    check_chunk_size,
    check_orders,
    stream_sync,
)
from ._core import Call
from ._exceptions import KomfortkasseError, ValidationError
from ._validation import AnyOrder
from ._workflows import (
    OPEN_STATUSES,
    PREVIEW_MAX_AGE,
    REPEAT_REFUSED,
    PaymentChanges,
    PaymentCursor,
    Reconciliation,
    SyncPreview,
    as_cursor,
    check_sync_guard,
    diff_statuses,
    find_refund,
    make_preview,
    note_in_doubt,
    note_unresolved,
    plan_resend,
    reconcile,
)

if TYPE_CHECKING:
    from ._client import AsyncKomfortkasse, Komfortkasse

T = TypeVar("T")
PaymentStatusFilter = Any  # PaymentStatus | str | Iterable[PaymentStatus | str]
NO_FLAGS = ops.includes(False, False, False, False)


def check_accepted(accepted: object) -> builtins.list[OrderRead] | None:
    if accepted is not None and not isinstance(accepted, builtins.list):
        raise ValidationError(
            "accepted", f"must be a list to fill, or None, got {type(accepted).__name__}"
        )
    return accepted


#: Why a refusal of a resent refund is not resolved by reading back.
NOT_OURS = "no refund with this external_reference, amount and currency is on the order"


class Orders:
    """Single and bulk order operations."""

    def __init__(self, client: Komfortkasse) -> None:
        self._client = client

    def submit(
        self,
        order_number: str,
        order: AnyOrder,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """Create or update an order (``POST /order/{n}``); returns it as Komfortkasse sees it."""
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        call = ops.submit(order_number, order, flags, self._client._today())
        return self._once(call, order_number)

    def _once(self, call: Call[T], number: str | None) -> T:
        """Execute ``call``; when it was not repeated although its request may have
        arrived, the error says how to check what happened."""
        try:
            return self._client._execute(call)
        except KomfortkasseError as error:
            note_in_doubt(error, call, number)
            raise

    def _resend_resolving(self, call: Call[T], number: str, resolve: Callable[[], T | None]) -> T:
        """Execute ``call`` (refund, set-paid); after a lost answer resend it, and when
        the API refuses the resend as a repeat, return ``resolve()`` (the result read
        back). See the README's Retries section."""
        try:
            return self._client._execute(call)
        except KomfortkasseError as error:
            resend = plan_resend(call, self._client.retry, error)
            if resend is None:
                note_in_doubt(error, call, number)
                raise
        time.sleep(resend.delay)
        try:
            return self._client.with_options(retry=resend.policy)._execute(resend.call)
        except REPEAT_REFUSED[call.operation] as refused:
            try:
                found = resolve()
            except KomfortkasseError as error:
                note_unresolved(error, call, number, "reading the result back failed")
                raise
            if found is None:
                note_unresolved(refused, call, number, NOT_OURS)
                raise
            return found
        except KomfortkasseError as error:
            note_in_doubt(error, call, number)
            raise

    def get(
        self,
        order_number: str,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """One order with its payment status (``GET /order/{n}``)."""
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        return self._client._execute(ops.get(order_number, flags))

    def list(
        self,
        *,
        max_age: int | None = None,
        payment_status: PaymentStatusFilter = None,
        min_posting_date: datetime.date | None = None,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> list[OrderRead]:
        """Orders filtered by age (days; the API's default is 120), status(es) and
        last posting date (``GET /orders``). ``min_posting_date`` returns only
        orders that have postings, as the API documents."""
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        return self._client._execute(
            ops.list_orders(max_age, payment_status, min_posting_date, flags)
        )

    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = ops.MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[OrderRead] | None = None,
    ) -> Iterator[OrderRead]:
        """Like :meth:`submit_many`, but yield each ``OrderRead`` as its chunk is
        accepted: memory stays flat for any number of orders. On a failure
        :class:`BulkSubmitError` is raised from the iteration (its ``accepted``
        then holds only what was not yet yielded)."""
        orders = check_orders(orders)
        accepted = check_accepted(accepted)
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        size = check_chunk_size(chunk_size, ops.MAX_CHUNK)

        def send(first: int, chunk: builtins.list[NumberedOrder]) -> builtins.list[OrderRead]:
            call = ops.submit_chunk(chunk, flags, self._client._today(), first_index=first)
            return self._client._execute(call)

        return stream_sync(orders, size, send, on_progress, accepted)

    def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = ops.MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[OrderRead] | None = None,
    ) -> builtins.list[OrderRead]:
        """Submit orders (``OrderWriteWithNumber``) in chunks of at most 100
        (``POST /orders``), streaming from any iterable; each chunk is validated
        before it is sent. Raises :class:`BulkSubmitError` on the first failed chunk.

        ``accepted``: a list of yours that gets each chunk's results the
        moment the API accepted them, so it is exact whatever stops the call
        (``KeyboardInterrupt``, a timeout, an exception of ``on_progress``)."""
        reads = self.submit_iter(
            orders,
            chunk_size=chunk_size,
            include_postings=include_postings,
            include_collection_history=include_collection_history,
            include_payment_reminders=include_payment_reminders,
            include_refunds=include_refunds,
            on_progress=on_progress,
            accepted=accepted,
        )
        results: builtins.list[OrderRead] = []
        try:
            results.extend(reads)
        except BulkSubmitError as stop:
            raise stop.after(results) from stop.__cause__
        return results

    def sync(
        self,
        open_order_numbers: Iterable[str],
        *,
        allow_empty: bool = False,
        max_legacy: int | float | None = None,
    ) -> int:
        """Send the complete list of open order numbers (``POST /ordersync``).

        Destructive by design: every open order not listed is marked ``LEGACY``.
        An empty list is refused unless ``allow_empty=True``; duplicates are
        sent once. With ``max_legacy`` (a count, or a fraction of the open
        orders) a :meth:`preview_sync` runs first and :class:`SyncRefusedError`
        is raised, nothing sent, when more would go ``LEGACY``. Returns how many
        orders went ``LEGACY``. Timeout >= 10 min.
        """
        call = ops.sync(open_order_numbers, allow_empty)
        if max_legacy is not None:
            check_sync_guard(self.preview_sync(call.json_body), max_legacy)
        return self._once(call, None)

    def preview_sync(self, open_order_numbers: Iterable[str]) -> SyncPreview:
        """Which of Komfortkasse's open orders a sync with this list would mark
        ``LEGACY``. Reads only; changes nothing."""
        numbers = ops.sync(open_order_numbers, allow_empty=True).json_body
        call = ops.list_orders(PREVIEW_MAX_AGE, OPEN_STATUSES, None, NO_FLAGS)
        return make_preview(numbers, self._client._execute(call))

    def changes_since(
        self, cursor: PaymentCursor | str | None = None, *, max_age: int | None = None
    ) -> PaymentChanges:
        """Orders whose ``paymentStatus`` changed since the poll that returned
        ``cursor`` (``None`` for the first poll), and the next cursor.

        One ``GET /orders`` over the last ``max_age`` days (default 120, kept
        in the cursor); store ``result.cursor.to_json()`` between runs.
        """
        current = as_cursor(cursor, max_age)
        call = ops.list_orders(current.max_age, None, None, NO_FLAGS)
        return diff_statuses(current, self._client._execute(call))

    def set_paid(self, order_number: str) -> OrderRead:
        """Mark an order paid manually. After a lost answer it is resent; when the
        API answers "Order already in paymentStatus PAID", the order is read back
        and returned."""
        call = ops.change_status("setOrderPaid", order_number)
        return self._resend_resolving(call, order_number, lambda: self.get(order_number))

    def set_unpaid(self, order_number: str) -> OrderRead:
        """Revert a manual ``set_paid``. Never repeated once it may have arrived."""
        return self._once(ops.change_status("setOrderUnpaid", order_number), order_number)

    def cancel(self, order_number: str) -> OrderRead:
        """Record an explicit cancellation (``CANCELLED``). Never repeated once it may
        have arrived."""
        return self._once(ops.change_status("cancelOrder", order_number), order_number)

    def remove(self, order_number: str) -> OrderRead:
        """The order vanished from the shop (``DISAPPEARED``). Never repeated once it
        may have arrived."""
        return self._once(ops.remove(order_number), order_number)

    def upload_invoice(
        self,
        order_number: str,
        invoice_number: str,
        file: ops.FileInput,
        *,
        filename: str | None = None,
    ) -> None:
        """Upload an invoice file (path, bytes or binary file object). Empty files
        are refused before sending; never repeated once it may have arrived."""
        self._once(ops.upload_invoice(order_number, invoice_number, file, filename), order_number)

    def refund(self, order_number: str, refund: Refund) -> RefundRead:
        """Create a refund (``planned_date`` must be in the future). After a lost
        answer it is resent; when the API answers "Refund already exists", the
        order's refund with this ``external_reference`` is read back and returned."""
        call = ops.refund(order_number, refund, self._client._today())

        def read_back() -> RefundRead | None:
            return find_refund(self.get(order_number, include_refunds=True), refund)

        return self._resend_resolving(call, order_number, read_back)


class Postings:
    """Bank postings (incoming payments)."""

    def __init__(self, client: Komfortkasse) -> None:
        self._client = client

    def list(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        include_orders: bool = False,
        iban: str | None = None,
    ) -> list[PostingRead]:
        """Postings created in ``[created_min, created_max)``, optionally for one IBAN."""
        return self._client._execute(
            ops.list_postings(created_min, created_max, include_orders, iban)
        )

    def reconcile(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        iban: str | None = None,
    ) -> Reconciliation:
        """Each posting with the orders it was assigned to, and those assigned to none."""
        return reconcile(
            self.list(
                created_min=created_min, created_max=created_max, include_orders=True, iban=iban
            )
        )


class Images:
    """QR codes and payment slips for an order."""

    def __init__(self, client: Komfortkasse) -> None:
        self._client = client

    def get(self, order_number: str, type: ImageType | str = ImageType.QRCODE) -> Image:
        """The image as the API returns it (base64 PNG in ``data``)."""
        return self._client._execute(ops.image(order_number, type))

    def get_png(self, order_number: str, type: ImageType | str = ImageType.QRCODE) -> bytes:
        """The image's PNG bytes (signature checked)."""
        return ops.png_bytes(self.get(order_number, type))

    def save(
        self,
        order_number: str,
        path: str | PathLike[str],
        type: ImageType | str = ImageType.QRCODE,
    ) -> Path:
        """Write the PNG to ``path``; returns the path."""
        target = Path(path)
        target.write_bytes(self.get_png(order_number, type))
        return target


class AsyncOrders:
    """Async twin of :class:`Orders`."""

    def __init__(self, client: AsyncKomfortkasse) -> None:
        self._client = client

    async def submit(
        self,
        order_number: str,
        order: AnyOrder,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """See :meth:`Orders.submit`."""
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        call = ops.submit(order_number, order, flags, self._client._today())
        return await self._once(call, order_number)

    async def _once(self, call: Call[T], number: str | None) -> T:
        """See :meth:`Orders._once`."""
        try:
            return await self._client._execute(call)
        except KomfortkasseError as error:
            note_in_doubt(error, call, number)
            raise

    async def _resend_resolving(
        self, call: Call[T], number: str, resolve: Callable[[], Awaitable[T | None]]
    ) -> T:
        """See :meth:`Orders._resend_resolving`."""
        try:
            return await self._client._execute(call)
        except KomfortkasseError as error:
            resend = plan_resend(call, self._client.retry, error)
            if resend is None:
                note_in_doubt(error, call, number)
                raise
        await anyio.sleep(resend.delay)
        try:
            return await self._client.with_options(retry=resend.policy)._execute(resend.call)
        except REPEAT_REFUSED[call.operation] as refused:
            try:
                found = await resolve()
            except KomfortkasseError as error:
                note_unresolved(error, call, number, "reading the result back failed")
                raise
            if found is None:
                note_unresolved(refused, call, number, NOT_OURS)
                raise
            return found
        except KomfortkasseError as error:
            note_in_doubt(error, call, number)
            raise

    async def get(
        self,
        order_number: str,
        *,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> OrderRead:
        """See :meth:`Orders.get`."""
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        return await self._client._execute(ops.get(order_number, flags))

    async def list(
        self,
        *,
        max_age: int | None = None,
        payment_status: PaymentStatusFilter = None,
        min_posting_date: datetime.date | None = None,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
    ) -> list[OrderRead]:
        """See :meth:`Orders.list`."""
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        return await self._client._execute(
            ops.list_orders(max_age, payment_status, min_posting_date, flags)
        )

    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = ops.MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = 4,
        accepted: builtins.list[OrderRead] | None = None,
    ) -> AsyncSubmitStream:
        """Stream the results of a bulk submit, in input order, with up to
        ``concurrency`` chunks in flight and memory bounded by them::

            async with client.orders.submit_iter(orders) as reads:
                async for read in reads:
                    ...

        Iterating it without ``async with`` raises ``SubmitStreamNotEnteredError``.
        ``accepted`` as for :meth:`submit_many` (filled in the order chunks are accepted).
        """
        orders = check_orders(orders)
        accepted = check_accepted(accepted)
        flags = ops.includes(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        size = check_chunk_size(chunk_size, ops.MAX_CHUNK)
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValidationError("concurrency", f"must be a positive int, got {concurrency!r}")

        async def send(first: int, chunk: builtins.list[NumberedOrder]) -> builtins.list[OrderRead]:
            call = ops.submit_chunk(chunk, flags, self._client._today(), first_index=first)
            return await self._client._execute(call)

        return AsyncSubmitStream(orders, size, send, on_progress, concurrency, accepted=accepted)

    async def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = ops.MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = 4,
        accepted: builtins.list[OrderRead] | None = None,
    ) -> builtins.list[OrderRead]:
        """See :meth:`Orders.submit_many`; up to ``concurrency`` chunks are in
        flight at once. Results keep the input's order. After a failure no new
        chunk starts; chunks in flight finish and are reported. After a
        cancellation or a timeout, ``accepted`` (a list of yours) holds exactly
        what the API accepted; chunks that were in flight may have arrived too."""
        stream = self.submit_iter(
            orders,
            chunk_size=chunk_size,
            include_postings=include_postings,
            include_collection_history=include_collection_history,
            include_payment_reminders=include_payment_reminders,
            include_refunds=include_refunds,
            on_progress=on_progress,
            concurrency=concurrency,
            accepted=accepted,
        )
        results: builtins.list[OrderRead] = []
        try:
            async with stream as reads:
                async for read in reads:
                    results.append(read)
        except BulkSubmitError as stop:
            raise stop.after(results) from stop.__cause__
        return results

    async def sync(
        self,
        open_order_numbers: Iterable[str],
        *,
        allow_empty: bool = False,
        max_legacy: int | float | None = None,
    ) -> int:
        """See :meth:`Orders.sync`."""
        call = ops.sync(open_order_numbers, allow_empty)
        if max_legacy is not None:
            check_sync_guard(await self.preview_sync(call.json_body), max_legacy)
        return await self._once(call, None)

    async def preview_sync(self, open_order_numbers: Iterable[str]) -> SyncPreview:
        """See :meth:`Orders.preview_sync`."""
        numbers = ops.sync(open_order_numbers, allow_empty=True).json_body
        call = ops.list_orders(PREVIEW_MAX_AGE, OPEN_STATUSES, None, NO_FLAGS)
        return make_preview(numbers, await self._client._execute(call))

    async def changes_since(
        self, cursor: PaymentCursor | str | None = None, *, max_age: int | None = None
    ) -> PaymentChanges:
        """See :meth:`Orders.changes_since`."""
        current = as_cursor(cursor, max_age)
        call = ops.list_orders(current.max_age, None, None, NO_FLAGS)
        return diff_statuses(current, await self._client._execute(call))

    async def set_paid(self, order_number: str) -> OrderRead:
        """See :meth:`Orders.set_paid`."""

        async def read_back() -> OrderRead:
            return await self.get(order_number)

        call = ops.change_status("setOrderPaid", order_number)
        return await self._resend_resolving(call, order_number, read_back)

    async def set_unpaid(self, order_number: str) -> OrderRead:
        """See :meth:`Orders.set_unpaid`."""
        return await self._once(ops.change_status("setOrderUnpaid", order_number), order_number)

    async def cancel(self, order_number: str) -> OrderRead:
        """See :meth:`Orders.cancel`."""
        return await self._once(ops.change_status("cancelOrder", order_number), order_number)

    async def remove(self, order_number: str) -> OrderRead:
        """See :meth:`Orders.remove`."""
        return await self._once(ops.remove(order_number), order_number)

    async def upload_invoice(
        self,
        order_number: str,
        invoice_number: str,
        file: ops.FileInput,
        *,
        filename: str | None = None,
    ) -> None:
        """See :meth:`Orders.upload_invoice`."""
        call = ops.upload_invoice(order_number, invoice_number, file, filename)
        await self._once(call, order_number)

    async def refund(self, order_number: str, refund: Refund) -> RefundRead:
        """See :meth:`Orders.refund`."""
        call = ops.refund(order_number, refund, self._client._today())

        async def read_back() -> RefundRead | None:
            return find_refund(await self.get(order_number, include_refunds=True), refund)

        return await self._resend_resolving(call, order_number, read_back)


class AsyncPostings:
    """Async twin of :class:`Postings`."""

    def __init__(self, client: AsyncKomfortkasse) -> None:
        self._client = client

    async def list(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        include_orders: bool = False,
        iban: str | None = None,
    ) -> list[PostingRead]:
        """See :meth:`Postings.list`."""
        return await self._client._execute(
            ops.list_postings(created_min, created_max, include_orders, iban)
        )

    async def reconcile(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        iban: str | None = None,
    ) -> Reconciliation:
        """See :meth:`Postings.reconcile`."""
        postings = await self.list(
            created_min=created_min, created_max=created_max, include_orders=True, iban=iban
        )
        return reconcile(postings)


class AsyncImages:
    """Async twin of :class:`Images`."""

    def __init__(self, client: AsyncKomfortkasse) -> None:
        self._client = client

    async def get(self, order_number: str, type: ImageType | str = ImageType.QRCODE) -> Image:
        """See :meth:`Images.get`."""
        return await self._client._execute(ops.image(order_number, type))

    async def get_png(self, order_number: str, type: ImageType | str = ImageType.QRCODE) -> bytes:
        """See :meth:`Images.get_png`."""
        return ops.png_bytes(await self.get(order_number, type))

    async def save(
        self,
        order_number: str,
        path: str | PathLike[str],
        type: ImageType | str = ImageType.QRCODE,
    ) -> Path:
        """See :meth:`Images.save`."""
        target = Path(path)
        target.write_bytes(await self.get_png(order_number, type))
        return target

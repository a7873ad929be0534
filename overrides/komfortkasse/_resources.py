"""The workflows on top of the generated resources (``client.orders`` and friends).

Every operation of the spec is a generated, typed method of
``komfortkasse_generated.api`` (``orders.get``, ``orders.set_paid``, ...), checked and
sent by the client's ``_invoke`` with the rules of :mod:`komfortkasse._operations`.
The classes here add only what the spec does not describe: bulk submit in chunks,
the guarded order sync and its preview, payment polling, invoices from files,
reconciliation, and images as PNG files. Sync and async twins differ only in
``async``/``await``.
"""

from __future__ import annotations

import base64
import builtins
import datetime
import mimetypes
from collections.abc import Callable, Iterable, Iterator
from os import PathLike
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, overload

from komfortkasse_generated.api import (
    OPERATIONS,
    AsyncImagesResource,
    AsyncOrdersResource,
    AsyncPostingsResource,
    ImagesResource,
    OrdersResource,
    PostingsResource,
)
from komfortkasse_generated.models import ImageType

from ._bulk import (
    MAX_CHUNK,
    AsyncSubmitStream,
    BulkSubmitError,
    Progress,
    check_chunk_size,
    check_orders,
    stream_chunks_sync,
    stream_sync,
)
from ._exceptions import UnexpectedResponseError, ValidationError
from ._exports import adopt

# The clients import this module: it stays light, and each workflow imports the
# rules and models it uses when it runs (the first call loads them).
if TYPE_CHECKING:
    from komfortkasse_generated.models import Image, OrderRead
    from komfortkasse_generated.types import File

    from ._bulk import NumberedOrder, OrderAck, SendChunk
    from ._client import AsyncKomfortkasse, Komfortkasse
    from ._workflows import PaymentChanges, PaymentCursor, Reconciliation, SyncPreview

_SUBMIT_ORDERS = "submitOrders"

#: Chunks an async bulk submit keeps in flight by default. Measured (``make bench``,
#: 25 ms per chunk at the server, 2 cores): the speed-up over sync grows almost
#: linearly up to 8 (about 6x) and then flattens, as the client's own CPU per
#: order becomes the limit (16: about 7x, for twice the connections and memory).
#: The knee sits where concurrency x the client's CPU per chunk reaches the
#: server's time per chunk: 25 ms / (100 orders x ~30 us) is about 8. Rechecked
#: after issue 13's CPU work: on a slower 2-core machine c=8 and c=16 gave the
#: same speed-up; on a faster one (2026-12-04) 6.6-7.1x at 8 and 7.7-9.2x at 16,
#: 15-30 % for twice the requests one shop has in flight at the API, so 8 stays.
DEFAULT_CONCURRENCY = 8


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

FileInput = bytes | bytearray | memoryview | str | PathLike[str] | IO[bytes]


def read_file(file: FileInput) -> tuple[bytes, str | None]:
    """An invoice's bytes and file name, from bytes, a path or a binary file."""
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file), None
    if isinstance(file, str | PathLike):
        path = Path(file)
        try:
            return path.read_bytes(), path.name
        except OSError as exc:
            raise ValidationError("file", f"cannot read {str(path)!r}: {exc.strerror}") from None
    read = getattr(file, "read", None)
    if read is None:
        raise ValidationError("file", f"must be bytes, a path or a binary file, got {file!r}")
    data = read()
    if not isinstance(data, bytes):
        raise ValidationError("file", "must be opened in binary mode ('rb')")
    name = getattr(file, "name", None)
    return data, Path(name).name if isinstance(name, str) else None


def invoice_file(invoice_number: str, file: FileInput, filename: str | None) -> File:
    """The invoice as a multipart file: not empty, named, with its media type."""
    import io

    from komfortkasse_generated.types import File

    from ._validation import check_number

    content, found_name = read_file(file)
    if not content:
        raise ValidationError("file", "is empty (the API refuses a file of size 0)")
    if filename is not None:
        check_number(filename, "filename")
    name = filename or found_name or f"{invoice_number}.pdf"
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return File(payload=io.BytesIO(content), file_name=name, mime_type=content_type)


def png_bytes(image: Image) -> bytes:
    """Decode an :class:`Image`'s base64 data and check it really is a PNG."""
    data = image.data
    if not isinstance(data, str):
        raise UnexpectedResponseError("image has no data", operation="getImage")
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError:
        raise UnexpectedResponseError(
            "image data is not valid base64", operation="getImage"
        ) from None
    if not raw.startswith(PNG_SIGNATURE):
        raise UnexpectedResponseError(
            "image data is not a PNG", operation="getImage", body=raw[:64]
        )
    return raw


def check_accepted(accepted: object) -> builtins.list[Any] | None:
    if accepted is not None and not isinstance(accepted, builtins.list):
        raise ValidationError(
            "accepted", f"must be a list to fill, or None, got {type(accepted).__name__}"
        )
    return accepted


def _flags(
    postings: bool, collection_history: bool, payment_reminders: bool, refunds: bool
) -> dict[str, bool]:
    return {
        "includePostings": postings,
        "includeCollectionHistory": collection_history,
        "includePaymentReminders": payment_reminders,
        "includeRefunds": refunds,
    }


def _reader(acknowledge_only: object, flags: dict[str, bool]) -> Callable[[Any], Any] | None:
    """How a bulk chunk's answer is read: ``None`` for the spec's way (an
    ``OrderRead`` per order), else an ``OrderAck`` per order. Asking for more of
    each order than is read is refused, not fetched for nothing."""
    if not isinstance(acknowledge_only, bool):
        raise ValidationError(
            "acknowledge_only", f"must be True or False, got {acknowledge_only!r}"
        )
    if not acknowledge_only:
        return None
    python = {param.wire: param.python for param in OPERATIONS[_SUBMIT_ORDERS].query_params}
    asked = [python.get(name, name) for name, wanted in flags.items() if wanted]
    if asked:
        raise ValidationError(
            "acknowledge_only",
            f"reads only each order's number: {', '.join(asked)} would be fetched for nothing",
        )
    from ._bulk import acknowledgements

    return acknowledgements


def _sync_numbers(open_order_numbers: object, allow_empty: bool) -> builtins.list[str]:
    from ._validation import sync_body

    if not isinstance(open_order_numbers, Iterable):
        raise ValidationError(
            "open_order_numbers",
            f"must be a collection of order numbers, got {type(open_order_numbers).__name__}",
        )
    return sync_body(open_order_numbers, allow_empty=allow_empty)


class Orders(OrdersResource):
    """Single and bulk order operations: every operation of the spec's order tags,
    plus bulk submit, the guarded sync and payment polling."""

    _client: Komfortkasse

    def __init__(self, client: Komfortkasse) -> None:
        super().__init__(client)

    @overload
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[OrderRead] | None = None,
        acknowledge_only: Literal[False] = False,
    ) -> Iterator[OrderRead]: ...
    @overload
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[OrderAck] | None = None,
        acknowledge_only: Literal[True],
    ) -> Iterator[OrderAck]: ...
    @overload
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool,
    ) -> Iterator[OrderRead] | Iterator[OrderAck]: ...
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool = False,
    ) -> Iterator[Any]:
        """Like :meth:`submit_many`, but yield each ``OrderRead`` (or ``OrderAck``) as
        its chunk is accepted: memory stays flat for any number of orders. On a
        failure :class:`BulkSubmitError` is raised from the iteration (its
        ``accepted`` then holds only what was not yet yielded)."""
        flags = _flags(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        orders, accepted, size, send = self._bulk(
            orders, accepted, chunk_size, flags, acknowledge_only
        )
        return stream_sync(orders, size, send, on_progress, accepted)

    def _bulk(
        self,
        orders: Iterable[NumberedOrder],
        accepted: builtins.list[Any] | None,
        chunk_size: int,
        flags: dict[str, bool],
        acknowledge_only: bool,
    ) -> tuple[Iterable[NumberedOrder], builtins.list[Any] | None, int, SendChunk[Any]]:
        """The checked input, ``accepted`` list, chunk size and answer reader
        (checked in this order), and the chunk sender of a bulk submit."""
        orders = check_orders(orders)
        accepted = check_accepted(accepted)
        size = check_chunk_size(chunk_size, MAX_CHUNK)
        reader = _reader(acknowledge_only, flags)
        operation = OPERATIONS[_SUBMIT_ORDERS]

        def send(first: int, chunk: builtins.list[NumberedOrder]) -> builtins.list[Any]:
            results: builtins.list[Any] = self._client._invoke(
                operation, {}, flags, chunk, first_index=first, decode=reader
            )
            return results

        return orders, accepted, size, send

    @overload
    def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[OrderRead] | None = None,
        acknowledge_only: Literal[False] = False,
    ) -> builtins.list[OrderRead]: ...
    @overload
    def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[OrderAck] | None = None,
        acknowledge_only: Literal[True],
    ) -> builtins.list[OrderAck]: ...
    @overload
    def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool,
    ) -> builtins.list[OrderRead] | builtins.list[OrderAck]: ...
    def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool = False,
    ) -> builtins.list[Any]:
        """Submit orders (``OrderWriteWithNumber``) in chunks of at most 100
        (``POST /orders``), streaming from any iterable; each chunk is validated
        before it is sent. Raises :class:`BulkSubmitError` on the first failed chunk.

        ``accepted``: a list of yours that gets each chunk's results the
        moment the API accepted them, so it is exact whatever stops the call
        (``KeyboardInterrupt``, a timeout, an exception of ``on_progress``).

        ``acknowledge_only=True``: an :class:`OrderAck` (the order's number) per
        accepted order instead of its ``OrderRead``, for jobs that need no more.
        Only each answer's number is read and checked against those sent, which
        takes about half the client's CPU per order (see the README's Performance)."""
        flags = _flags(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        orders, accepted, size, send = self._bulk(
            orders, accepted, chunk_size, flags, acknowledge_only
        )
        # As submit_iter, one chunk's results at a time (no hand-over per order).
        chunks = stream_chunks_sync(orders, size, send, on_progress, accepted)
        results: builtins.list[Any] = []
        try:
            for reads in chunks:
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
        orders went ``LEGACY``. Timeout >= 10 min; never repeated once sent.
        """
        numbers = _sync_numbers(open_order_numbers, allow_empty)
        if max_legacy is not None:
            from ._workflows import check_sync_guard, legacy_limit

            legacy_limit(max_legacy, 0)  # a bad guard is refused before the preview's read
            check_sync_guard(self.preview_sync(numbers), max_legacy)
        return self._sync_orders(numbers)

    def preview_sync(self, open_order_numbers: Iterable[str]) -> SyncPreview:
        """Which of Komfortkasse's open orders a sync with this list would mark
        ``LEGACY``. Reads only; changes nothing."""
        numbers = _sync_numbers(open_order_numbers, allow_empty=True)
        from ._workflows import OPEN_STATUSES, PREVIEW_MAX_AGE, make_preview

        return make_preview(
            numbers, self.list(max_age=PREVIEW_MAX_AGE, payment_status=OPEN_STATUSES)
        )

    def changes_since(
        self, cursor: PaymentCursor | str | None = None, *, max_age: int | None = None
    ) -> PaymentChanges:
        """Orders whose ``paymentStatus`` changed since the poll that returned
        ``cursor`` (``None`` for the first poll), and the next cursor.

        One ``GET /orders`` over the last ``max_age`` days (default 120, kept
        in the cursor); store ``result.cursor.to_json()`` between runs.
        """
        from ._workflows import as_cursor, diff_statuses

        current = as_cursor(cursor, max_age)
        return diff_statuses(current, self.list(max_age=current.max_age))

    def upload_invoice(
        self,
        order_number: str,
        invoice_number: str,
        file: FileInput,
        *,
        filename: str | None = None,
    ) -> None:
        """Upload an invoice file (path, bytes or binary file object). Empty files
        are refused before sending; never repeated once it may have arrived."""
        from komfortkasse_generated.models import SubmitInvoiceBody

        upload = invoice_file(invoice_number, file, filename)
        self._submit_invoice(order_number, invoice_number, SubmitInvoiceBody(file=upload))


class Postings(PostingsResource):
    """Bank postings (incoming payments) and their reconciliation."""

    _client: Komfortkasse

    def __init__(self, client: Komfortkasse) -> None:
        super().__init__(client)

    def reconcile(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        iban: str | None = None,
    ) -> Reconciliation:
        """Each posting with the orders it was assigned to, and those assigned to none."""
        from ._workflows import reconcile

        return reconcile(
            self.list(
                created_min=created_min, created_max=created_max, include_orders=True, iban=iban
            )
        )


class Images(ImagesResource):
    """QR codes and payment slips for an order."""

    _client: Komfortkasse

    def __init__(self, client: Komfortkasse) -> None:
        super().__init__(client)

    def get_png(self, order_number: str, type: ImageType | str = ImageType.QRCODE) -> bytes:
        """The image's PNG bytes (signature checked)."""
        return png_bytes(self.get(order_number, type=type))

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


class AsyncOrders(AsyncOrdersResource):
    """Async twin of :class:`Orders`."""

    _client: AsyncKomfortkasse

    def __init__(self, client: AsyncKomfortkasse) -> None:
        super().__init__(client)

    @overload
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[OrderRead] | None = None,
        acknowledge_only: Literal[False] = False,
    ) -> AsyncSubmitStream[OrderRead]: ...
    @overload
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[OrderAck] | None = None,
        acknowledge_only: Literal[True],
    ) -> AsyncSubmitStream[OrderAck]: ...
    @overload
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool,
    ) -> AsyncSubmitStream[OrderRead] | AsyncSubmitStream[OrderAck]: ...
    def submit_iter(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool = False,
    ) -> AsyncSubmitStream[Any]:
        """Stream the results of a bulk submit, in input order, with up to
        ``concurrency`` chunks in flight (default 8: where the measured speed-up
        flattens, see :data:`DEFAULT_CONCURRENCY`) and memory bounded by them::

            async with client.orders.submit_iter(orders) as reads:
                async for read in reads:
                    ...

        Iterating it without ``async with`` raises ``SubmitStreamNotEnteredError``.
        ``accepted`` and ``acknowledge_only`` as for :meth:`submit_many`
        (``accepted`` is filled in the order chunks are accepted).
        """
        orders = check_orders(orders)
        accepted = check_accepted(accepted)
        flags = _flags(
            include_postings, include_collection_history, include_payment_reminders, include_refunds
        )
        size = check_chunk_size(chunk_size, MAX_CHUNK)
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValidationError("concurrency", f"must be a positive int, got {concurrency!r}")
        reader = _reader(acknowledge_only, flags)
        operation = OPERATIONS[_SUBMIT_ORDERS]

        async def send(first: int, chunk: builtins.list[NumberedOrder]) -> builtins.list[Any]:
            results: builtins.list[Any] = await self._client._invoke(
                operation, {}, flags, chunk, first_index=first, decode=reader
            )
            return results

        return AsyncSubmitStream(orders, size, send, on_progress, concurrency, accepted=accepted)

    @overload
    async def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[OrderRead] | None = None,
        acknowledge_only: Literal[False] = False,
    ) -> builtins.list[OrderRead]: ...
    @overload
    async def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[OrderAck] | None = None,
        acknowledge_only: Literal[True],
    ) -> builtins.list[OrderAck]: ...
    @overload
    async def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool,
    ) -> builtins.list[OrderRead] | builtins.list[OrderAck]: ...
    async def submit_many(
        self,
        orders: Iterable[NumberedOrder],
        *,
        chunk_size: int = MAX_CHUNK,
        include_postings: bool = False,
        include_collection_history: bool = False,
        include_payment_reminders: bool = False,
        include_refunds: bool = False,
        on_progress: Progress | None = None,
        concurrency: int = DEFAULT_CONCURRENCY,
        accepted: builtins.list[Any] | None = None,
        acknowledge_only: bool = False,
    ) -> builtins.list[Any]:
        """See :meth:`Orders.submit_many`; up to ``concurrency`` chunks are in
        flight at once (default 8: beyond it the client's CPU, not the server,
        limits the speed-up). Results keep the input's order. After a failure no new
        chunk starts; chunks in flight finish and are reported. After a
        cancellation or a timeout, ``accepted`` (a list of yours) holds exactly
        what the API accepted; chunks that were in flight may have arrived too."""
        stream: AsyncSubmitStream[Any] = self.submit_iter(
            orders,
            chunk_size=chunk_size,
            include_postings=include_postings,
            include_collection_history=include_collection_history,
            include_payment_reminders=include_payment_reminders,
            include_refunds=include_refunds,
            on_progress=on_progress,
            concurrency=concurrency,
            accepted=accepted,
            acknowledge_only=acknowledge_only,
        )
        results: builtins.list[Any] = []
        try:
            async with stream as reads:
                # A chunk at a time: one await per chunk, not one __anext__ per order.
                while (chunk := await reads.next_chunk()) is not None:
                    results.extend(chunk)
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
        numbers = _sync_numbers(open_order_numbers, allow_empty)
        if max_legacy is not None:
            from ._workflows import check_sync_guard, legacy_limit

            legacy_limit(max_legacy, 0)  # a bad guard is refused before the preview's read
            check_sync_guard(await self.preview_sync(numbers), max_legacy)
        return await self._sync_orders(numbers)

    async def preview_sync(self, open_order_numbers: Iterable[str]) -> SyncPreview:
        """See :meth:`Orders.preview_sync`."""
        numbers = _sync_numbers(open_order_numbers, allow_empty=True)
        from ._workflows import OPEN_STATUSES, PREVIEW_MAX_AGE, make_preview

        open_orders = await self.list(max_age=PREVIEW_MAX_AGE, payment_status=OPEN_STATUSES)
        return make_preview(numbers, open_orders)

    async def changes_since(
        self, cursor: PaymentCursor | str | None = None, *, max_age: int | None = None
    ) -> PaymentChanges:
        """See :meth:`Orders.changes_since`."""
        from ._workflows import as_cursor, diff_statuses

        current = as_cursor(cursor, max_age)
        return diff_statuses(current, await self.list(max_age=current.max_age))

    async def upload_invoice(
        self,
        order_number: str,
        invoice_number: str,
        file: FileInput,
        *,
        filename: str | None = None,
    ) -> None:
        """See :meth:`Orders.upload_invoice`."""
        from komfortkasse_generated.models import SubmitInvoiceBody

        upload = invoice_file(invoice_number, file, filename)
        await self._submit_invoice(order_number, invoice_number, SubmitInvoiceBody(file=upload))


class AsyncPostings(AsyncPostingsResource):
    """Async twin of :class:`Postings`."""

    _client: AsyncKomfortkasse

    def __init__(self, client: AsyncKomfortkasse) -> None:
        super().__init__(client)

    async def reconcile(
        self,
        *,
        created_min: datetime.date | None = None,
        created_max: datetime.date | None = None,
        iban: str | None = None,
    ) -> Reconciliation:
        """See :meth:`Postings.reconcile`."""
        from ._workflows import reconcile

        postings = await self.list(
            created_min=created_min, created_max=created_max, include_orders=True, iban=iban
        )
        return reconcile(postings)


class AsyncImages(AsyncImagesResource):
    """Async twin of :class:`Images`."""

    _client: AsyncKomfortkasse

    def __init__(self, client: AsyncKomfortkasse) -> None:
        super().__init__(client)

    async def get_png(self, order_number: str, type: ImageType | str = ImageType.QRCODE) -> bytes:
        """See :meth:`Images.get_png`."""
        return png_bytes(await self.get(order_number, type=type))

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


#: The resources the clients extend with workflows; any other resource of the spec
#: is bound as generated.
SYNC_RESOURCES: dict[str, type[Any]] = {"orders": Orders, "postings": Postings, "images": Images}
ASYNC_RESOURCES: dict[str, type[Any]] = {
    "orders": AsyncOrders,
    "postings": AsyncPostings,
    "images": AsyncImages,
}


adopt(globals())

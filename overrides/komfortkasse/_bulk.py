"""Bulk submit bookkeeping shared by the sync and async ``submit_many``.

Orders are pulled from the caller's iterable one chunk at a time (a generator
of 100,000 orders is never held in memory); each chunk is validated whole
before it is sent. On failure, :class:`BulkSubmitError` says exactly what was
accepted, which chunk failed with which error, what may have arrived and
cannot be resent blindly, and what to send again. An ``accepted`` list passed
by the caller is filled as each chunk is accepted, so it is exact even after a
cancellation or a timeout.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import (
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sized,
)
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from ._exceptions import KomfortkasseError, ValidationError
from ._exports import adopt

#: What a bulk submit gives per accepted order: ``OrderRead``, or ``OrderAck``.
R = TypeVar("R")

# Light at import (the resources import it): the models, anyio and the rules
# are imported where a chunk is checked or sent.
if TYPE_CHECKING:
    import anyio.abc
    from anyio.streams.memory import MemoryObjectReceiveStream, MemoryObjectSendStream

    from komfortkasse_generated.models import OrderRead, OrderWriteWithNumber

    #: What a bulk submit takes: orders that carry their number (an ``OrderRead``
    #: read back is accepted too; its read-only fields are not sent).
    NumberedOrder = OrderWriteWithNumber | OrderRead
    #: Sends one validated chunk and returns a result per order (``OrderRead``, or
    #: ``OrderAck`` with ``acknowledge_only``): the client's executor.
    SendChunk = Callable[[int, list[NumberedOrder]], Iterable[R]]
    AsyncSendChunk = Callable[[int, list[NumberedOrder]], Awaitable[list[R]]]

__all__ = [
    "MAX_CHUNK",
    "BulkSubmitError",
    "ChunkFailure",
    "NumberedOrder",
    "OrderAck",
    "Progress",
    "SubmitStreamNotEnteredError",
    "chunks",
]

#: Orders per ``POST /orders``: the API asks for at most 100.
MAX_CHUNK = 100

#: ``on_progress(done, total)``: orders accepted so far, and the total when known.
Progress = Callable[[int, int | None], None]


def __getattr__(name: str) -> Any:
    if name == "NumberedOrder":  # the runtime alias, made when first asked for
        from komfortkasse_generated.models import OrderRead, OrderWriteWithNumber

        alias = OrderWriteWithNumber | OrderRead
        globals()[name] = alias
        return alias
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class OrderAck:
    """The API accepted order ``number``: what ``submit_many(...,
    acknowledge_only=True)`` gives per order instead of its ``OrderRead``. Only the
    number of each answer is read (and checked against those sent); for a job
    that needs no more, that costs a fraction of decoding every ``OrderRead``."""

    number: str


def acknowledgements(data: Any) -> list[OrderAck]:
    """A bulk submit's answer read as an :class:`OrderAck` per order: a JSON array
    of objects, each with a string ``number`` (``WireError`` names what is not)."""
    from komfortkasse_generated._wire import WireError, describe, missing

    if type(data) is not list:
        raise WireError("array", describe(data))
    acks = []
    for index, item in enumerate(data):
        if type(item) is not dict:
            raise WireError("object", describe(item), ((index, index),))
        number = item.get("number")
        if type(number) is not str:
            where = ((index, index), ("number", "number"))
            if number is None and "number" not in item:
                raise missing(where)
            raise WireError("string", describe(number), where)
        acks.append(OrderAck(number))
    return acks


@dataclass(frozen=True)
class ChunkFailure:
    """One chunk that was not accepted. ``first_index`` is its first order's
    position in the caller's input; ``error`` what stopped it (a
    ``KomfortkasseError``, or whatever else sending it raised)."""

    first_index: int
    orders: list[NumberedOrder]
    error: Exception

    @property
    def in_doubt(self) -> bool:
        """The chunk may have been acted upon and must not be sent blindly again:
        its request may have arrived, and it creates an order with an initial
        dunning level (a repeat would be an update, which the API refuses)."""
        from ._operations import repeatable_order
        from ._workflows import may_have_arrived

        return may_have_arrived(self.error) and not all(map(repeatable_order, self.orders))


class BulkSubmitError(KomfortkasseError):
    """``submit_many`` (or ``submit_iter``) stopped. Nothing is left to guess:

    * ``accepted`` -- the ``OrderRead`` (with ``acknowledge_only``: the
      ``OrderAck``) of every order the API accepted (from ``submit_iter``: those
      accepted but not yet yielded);
    * ``failures`` -- each failed chunk with its orders and error;
    * :attr:`in_doubt` -- orders of failed chunks that may have been created
      and cannot be resent blindly (they set ``initial_dunning_level``): read
      each with ``orders.get(number)``; submit again only those not found;
    * :meth:`not_sent` -- every other order of the failed chunks, followed by
      every order never taken from the input, ready to pass to ``submit_many``
      again (re-sending them is safe: order submission is an upsert).
    """

    def __init__(
        self,
        accepted: list[Any],
        failures: list[ChunkFailure],
        remaining: Iterator[NumberedOrder],
    ) -> None:
        self.accepted = accepted
        self.failures = failures
        self._remaining = remaining
        first = failures[0]
        doubt = len(self.in_doubt)
        super().__init__(
            f"bulk submit stopped: {len(accepted)} orders accepted, "
            f"{len(failures)} chunk(s) failed; the first failed chunk starts at input index "
            f"{first.first_index} (0-based): "
            f"{first.error}"
            + (
                f"; {doubt} order(s) with an initial dunning level may have been created: "
                "read them (see .in_doubt) before submitting them again"
                if doubt
                else ""
            )
        )

    @property
    def error(self) -> Exception:
        """The first failure's error."""
        return self.failures[0].error

    @property
    def in_doubt(self) -> list[NumberedOrder]:
        """Orders that may have been created by a chunk whose answer was lost and that
        must not be resent blindly (see :attr:`ChunkFailure.in_doubt`)."""
        return [order for failure in self.failures if failure.in_doubt for order in failure.orders]

    def after(self, earlier: list[Any]) -> BulkSubmitError:
        """The same stop, with ``earlier`` (results already handed out) in front."""
        merged = BulkSubmitError(earlier + self.accepted, self.failures, self._remaining)
        merged.__cause__ = self.__cause__
        return merged

    def not_sent(self) -> Iterator[NumberedOrder]:
        """The orders to submit again to finish the job (consumes the input's rest):
        the failed chunks' orders, except those :attr:`in_doubt`, then the rest."""
        failed = (
            order for failure in self.failures if not failure.in_doubt for order in failure.orders
        )
        return itertools.chain(failed, self._remaining)


class SubmitStreamNotEnteredError(KomfortkasseError, TypeError):
    """The async ``submit_iter`` stream was iterated without ``async with``."""


def check_orders(orders: object) -> Iterable[NumberedOrder]:
    """Refuse what is not an iterable of orders (``None``, one order, a string)."""
    if isinstance(orders, str | bytes | Mapping) or not isinstance(orders, Iterable):
        raise ValidationError(
            "orders", f"must be an iterable of OrderWriteWithNumber, got {type(orders).__name__}"
        )
    return orders


def check_chunk_size(chunk_size: int, limit: int) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise ValidationError("chunk_size", f"must be an int, got {chunk_size!r}")
    if not 1 <= chunk_size <= limit:
        raise ValidationError("chunk_size", f"must be between 1 and {limit}, got {chunk_size}")
    return chunk_size


def total_of(orders: Iterable[NumberedOrder]) -> int | None:
    return len(orders) if isinstance(orders, Sized) else None


def chunks(
    iterator: Iterator[NumberedOrder], size: int
) -> Iterator[tuple[int, list[NumberedOrder]]]:
    """``(first_index, orders)`` for consecutive chunks, pulled lazily."""
    index = 0
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield index, chunk
        index += len(chunk)


def stream_sync(
    orders: Iterable[NumberedOrder],
    size: int,
    send: SendChunk[R],
    on_progress: Progress | None,
    accepted: list[R] | None = None,
) -> Iterator[R]:
    """Yield each order's ``OrderRead`` as its chunk is accepted; at most one chunk
    of input and one of results are held at a time. ``accepted``, when given, gets
    each chunk's results the moment the API accepted it."""
    for reads in stream_chunks_sync(orders, size, send, on_progress, accepted):
        yield from reads


def stream_chunks_sync(
    orders: Iterable[NumberedOrder],
    size: int,
    send: SendChunk[R],
    on_progress: Progress | None,
    accepted: list[R] | None = None,
) -> Iterator[list[R]]:
    """:func:`stream_sync` one chunk's results at a time (``submit_many`` keeps
    them all: no hand-over per order)."""
    total = total_of(orders)
    iterator = iter(orders)
    done = 0
    for first, chunk in chunks(iterator, size):
        try:
            reads = list(send(first, chunk))
        except Exception as exc:  # any failure of one chunk keeps what was accepted
            raise BulkSubmitError([], [ChunkFailure(first, chunk, exc)], iterator) from exc
        if accepted is not None:
            accepted.extend(reads)
        done += len(chunk)
        if on_progress is not None:
            on_progress(done, total)
        yield reads


class AsyncSubmitStream(Generic[R]):
    """``async with client.orders.submit_iter(orders) as reads: async for read in reads``.

    Up to ``concurrency`` chunks are in flight; results come out in input order.
    A chunk's slot is freed only once its results were handed out, so memory is
    bounded by ``concurrency`` chunks however long the input. Leaving the block
    early cancels what is still running (a chunk in flight may still have
    reached the API: submitting again is safe, it is an upsert, except for
    orders with an initial dunning level). Iterating without ``async with``
    raises :class:`SubmitStreamNotEnteredError` at once.

    An exception raised by ``on_progress`` or by the caller's iterable reaches
    the consumer as itself, after the chunks in flight have finished.
    """

    def __init__(
        self,
        orders: Iterable[NumberedOrder],
        size: int,
        send: AsyncSendChunk[R],
        on_progress: Progress | None,
        concurrency: int,
        *,
        accepted: list[R] | None = None,
    ) -> None:
        self._orders = orders
        self._size = size
        self._send_chunk = send
        self._on_progress = on_progress
        self._concurrency = concurrency
        self._accepted = accepted
        self._group: anyio.abc.TaskGroup | None = None
        #: The rest of the chunk being handed out.
        self._current: collections.deque[R] = collections.deque()

    async def __aenter__(self) -> Self:
        import anyio

        # Made here, not in __init__: a stream never entered leaves nothing open. It
        # carries one chunk's results at a time (one hand-over per chunk, not per
        # order), unbuffered: a chunk counts against ``concurrency`` until it is taken.
        out: MemoryObjectSendStream[list[R] | Exception]
        into: MemoryObjectReceiveStream[list[R] | Exception]
        out, into = anyio.create_memory_object_stream(0)
        self._out, self._in = out, into
        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        self._group.start_soon(self._produce)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._group is None:
            return
        try:
            self._group.cancel_scope.cancel()
            await self._group.__aexit__(None, None, None)
        finally:  # also when the caller's own scope was cancelled meanwhile
            self._out.close()
            self._in.close()

    def _check_entered(self) -> None:
        if self._group is None:
            raise SubmitStreamNotEnteredError(
                "the async submit_iter stream runs its chunks in a task group and must be "
                "entered first: 'async with client.orders.submit_iter(orders) as reads: "
                "async for read in reads: ...' (or use 'await client.orders.submit_many(orders)')"
            )

    def __aiter__(self) -> AsyncIterator[R]:
        self._check_entered()
        return self

    async def __anext__(self) -> R:
        self._check_entered()
        while not self._current:
            import anyio

            try:
                item = await self._in.receive()
            except anyio.EndOfStream:
                raise StopAsyncIteration from None
            if isinstance(item, Exception):
                raise item
            self._current = collections.deque(item)
        return self._current.popleft()

    async def next_chunk(self) -> list[R] | None:
        """The results not yet handed out, up to the end of their chunk (the next
        chunk's whole when none are left); ``None`` at the end. ``submit_many``
        takes them so, instead of one ``__anext__`` per order."""
        self._check_entered()
        if self._current:
            rest = list(self._current)
            self._current.clear()
            return rest
        import anyio

        try:
            item = await self._in.receive()
        except anyio.EndOfStream:
            return None
        if isinstance(item, Exception):
            raise item
        return item

    async def _produce(self) -> None:
        async with self._out:
            try:
                await self._run()
            except Exception as stop:  # a BulkSubmitError, or the caller's own exception
                await self._out.send(stop)

    async def _run(self) -> None:  # noqa: PLR0915 (one loop and its three ways to stop)
        import anyio

        total = total_of(self._orders)
        iterator: Iterator[NumberedOrder] = iter(self._orders)
        slots = anyio.Semaphore(self._concurrency)
        started: collections.deque[int] = collections.deque()
        ready: dict[int, list[R]] = {}
        failures: list[ChunkFailure] = []
        #: An exception of the caller's (``on_progress``, the input), raised as itself.
        foreign: list[Exception] = []
        flushing = anyio.Lock()
        done = 0

        async def flush() -> None:
            async with flushing:  # one sender at a time keeps the input's order
                while started and started[0] in ready:
                    await self._out.send(ready.pop(started.popleft()))
                    slots.release()

        async def one(first: int, chunk: list[NumberedOrder]) -> None:
            nonlocal done
            try:
                reads = await self._send_chunk(first, chunk)
            except Exception as exc:  # any failure of one chunk keeps what was accepted
                failures.append(ChunkFailure(first, chunk, exc))
                slots.release()
                return
            if self._accepted is not None:  # no await since the answer: exact on cancel
                self._accepted.extend(reads)
            done += len(chunk)
            ready[first] = reads
            if self._on_progress is not None:
                try:
                    self._on_progress(done, total)
                except Exception as exc:
                    foreign.append(exc)
            if failures or foreign:
                slots.release()  # nothing will be handed out after a failure
            else:
                await flush()

        pieces = chunks(iterator, self._size)
        async with anyio.create_task_group() as group:
            while True:
                try:
                    item = next(pieces, None)
                except Exception as exc:  # the caller's iterable raised
                    foreign.append(exc)
                    break
                if item is None:
                    break
                first, chunk = item
                await slots.acquire()
                if failures or foreign:
                    slots.release()
                    iterator = itertools.chain(chunk, iterator)  # back in front, unsent
                    break
                started.append(first)
                group.start_soon(one, first, chunk)
        if foreign:
            raise foreign[0]
        if failures:
            failures.sort(key=lambda failure: failure.first_index)
            kept = [read for first in started if first in ready for read in ready[first]]
            raise BulkSubmitError(kept, failures, iterator) from failures[0].error


adopt(globals())

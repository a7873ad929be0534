"""Bulk submit bookkeeping shared by the sync and async ``submit_many``.

Orders are pulled from the caller's iterable one chunk at a time (a generator
of 100,000 orders is never held in memory); each chunk is validated whole
before it is sent. On failure, :class:`BulkSubmitError` says exactly what was
accepted, which chunk failed with which error, and what was never sent.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sized
from types import TracebackType
from typing import Self

import anyio
import anyio.abc
import attrs

from komfortkasse_generated.models import OrderRead

from ._exceptions import KomfortkasseError, ValidationError
from ._validation import AnyOrder

__all__ = ["BulkSubmitError", "ChunkFailure", "Progress", "chunks"]

#: ``on_progress(done, total)``: orders accepted so far, and the total when known.
Progress = Callable[[int, int | None], None]


@attrs.frozen
class ChunkFailure:
    """One chunk that was not accepted. ``first_index`` is its first order's
    position in the caller's input."""

    first_index: int
    orders: list[AnyOrder]
    error: KomfortkasseError


class BulkSubmitError(KomfortkasseError):
    """``submit_many`` (or ``submit_iter``) stopped. Nothing is left to guess:

    * ``accepted`` -- the ``OrderRead`` of every order the API accepted (from
      ``submit_iter``: those accepted but not yet yielded);
    * ``failures`` -- each failed chunk with its orders and error;
    * :meth:`not_sent` -- the failed chunks' orders followed by every order
      never taken from the input, ready to pass to ``submit_many`` again
      (re-sending is safe: order submission is an upsert).
    """

    def __init__(
        self,
        accepted: list[OrderRead],
        failures: list[ChunkFailure],
        remaining: Iterator[AnyOrder],
    ) -> None:
        self.accepted = accepted
        self.failures = failures
        self._remaining = remaining
        first = failures[0]
        super().__init__(
            f"bulk submit stopped: {len(accepted)} orders accepted, "
            f"{len(failures)} chunk(s) failed; the first failed chunk starts at input index "
            f"{first.first_index} (0-based): "
            f"{first.error}"
        )

    @property
    def error(self) -> KomfortkasseError:
        """The first failure's error."""
        return self.failures[0].error

    def after(self, earlier: list[OrderRead]) -> BulkSubmitError:
        """The same stop, with ``earlier`` (results already handed out) in front."""
        merged = BulkSubmitError(earlier + self.accepted, self.failures, self._remaining)
        merged.__cause__ = self.__cause__
        return merged

    def not_sent(self) -> Iterator[AnyOrder]:
        """The orders to submit again to finish the job (consumes the input's rest)."""
        failed = (order for failure in self.failures for order in failure.orders)
        return itertools.chain(failed, self._remaining)


def check_chunk_size(chunk_size: int, limit: int) -> int:
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int):
        raise ValidationError("chunk_size", f"must be an int, got {chunk_size!r}")
    if not 1 <= chunk_size <= limit:
        raise ValidationError("chunk_size", f"must be between 1 and {limit}, got {chunk_size}")
    return chunk_size


def total_of(orders: Iterable[AnyOrder]) -> int | None:
    return len(orders) if isinstance(orders, Sized) else None


def chunks(iterator: Iterator[AnyOrder], size: int) -> Iterator[tuple[int, list[AnyOrder]]]:
    """``(first_index, orders)`` for consecutive chunks, pulled lazily."""
    index = 0
    while True:
        chunk = list(itertools.islice(iterator, size))
        if not chunk:
            return
        yield index, chunk
        index += len(chunk)


#: Sends one validated chunk and returns its ``OrderRead``\ s (the client's executor).
SendChunk = Callable[[int, list[AnyOrder]], Iterable[OrderRead]]
AsyncSendChunk = Callable[[int, list[AnyOrder]], Awaitable[list[OrderRead]]]


def stream_sync(
    orders: Iterable[AnyOrder], size: int, send: SendChunk, on_progress: Progress | None
) -> Iterator[OrderRead]:
    """Yield each order's ``OrderRead`` as its chunk is accepted; at most one chunk
    of input and one of results are held at a time."""
    total = total_of(orders)
    iterator = iter(orders)
    done = 0
    for first, chunk in chunks(iterator, size):
        try:
            reads = list(send(first, chunk))
        except KomfortkasseError as exc:
            raise BulkSubmitError([], [ChunkFailure(first, chunk, exc)], iterator) from exc
        done += len(chunk)
        if on_progress is not None:
            on_progress(done, total)
        yield from reads


class AsyncSubmitStream:
    """``async with client.orders.submit_iter(orders) as reads: async for read in reads``.

    Up to ``concurrency`` chunks are in flight; results come out in input order.
    A chunk's slot is freed only once its results were handed out, so memory is
    bounded by ``concurrency`` chunks however long the input. Leaving the block
    early cancels what is still running (a chunk in flight may still have
    reached the API: submitting again is safe, it is an upsert).
    """

    def __init__(
        self,
        orders: Iterable[AnyOrder],
        size: int,
        send: AsyncSendChunk,
        on_progress: Progress | None,
        concurrency: int,
    ) -> None:
        self._orders = orders
        self._size = size
        self._send_chunk = send
        self._on_progress = on_progress
        self._concurrency = concurrency
        self._group: anyio.abc.TaskGroup | None = None
        out, into = anyio.create_memory_object_stream[OrderRead | BulkSubmitError](concurrency)
        self._out, self._in = out, into

    async def __aenter__(self) -> Self:
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
        if self._group is not None:
            self._group.cancel_scope.cancel()
            await self._group.__aexit__(None, None, None)
        self._in.close()

    def __aiter__(self) -> AsyncIterator[OrderRead]:
        return self

    async def __anext__(self) -> OrderRead:
        try:
            item = await self._in.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None
        if isinstance(item, BulkSubmitError):
            raise item
        return item

    async def _produce(self) -> None:
        async with self._out:
            try:
                await self._run()
            except BulkSubmitError as stop:
                await self._out.send(stop)

    async def _run(self) -> None:
        total = total_of(self._orders)
        iterator: Iterator[AnyOrder] = iter(self._orders)
        slots = anyio.Semaphore(self._concurrency)
        started: collections.deque[int] = collections.deque()
        ready: dict[int, list[OrderRead]] = {}
        failures: list[ChunkFailure] = []
        flushing = anyio.Lock()
        done = 0

        async def flush() -> None:
            async with flushing:  # one sender at a time keeps the input's order
                while started and started[0] in ready:
                    for read in ready.pop(started.popleft()):
                        await self._out.send(read)
                    slots.release()

        async def one(first: int, chunk: list[AnyOrder]) -> None:
            nonlocal done
            try:
                reads = await self._send_chunk(first, chunk)
            except KomfortkasseError as exc:
                failures.append(ChunkFailure(first, chunk, exc))
                slots.release()
                return
            done += len(chunk)
            if self._on_progress is not None:
                self._on_progress(done, total)
            ready[first] = reads
            if failures:
                slots.release()  # nothing will be handed out after a failure
            else:
                await flush()

        async with anyio.create_task_group() as group:
            for first, chunk in chunks(iterator, self._size):
                await slots.acquire()
                if failures:
                    slots.release()
                    iterator = itertools.chain(chunk, iterator)  # back in front, unsent
                    break
                started.append(first)
                group.start_soon(one, first, chunk)
        if failures:
            failures.sort(key=lambda failure: failure.first_index)
            kept = [read for first in started if first in ready for read in ready[first]]
            raise BulkSubmitError(kept, failures, iterator) from failures[0].error

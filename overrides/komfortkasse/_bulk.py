"""Bulk submit bookkeeping shared by the sync and async ``submit_many``.

Orders are pulled from the caller's iterable one chunk at a time (a generator
of 100,000 orders is never held in memory); each chunk is validated whole
before it is sent. On failure, :class:`BulkSubmitError` says exactly what was
accepted, which chunk failed with which error, and what was never sent.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sized

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
    """``submit_many`` stopped. Nothing is left to guess:

    * ``accepted`` -- the ``OrderRead`` of every order the API accepted;
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

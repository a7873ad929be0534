"""An async attempt's deadline: one loop timer on asyncio, a cancel scope on trio.

An attempt must end by its deadline however slowly the server drips bytes, so
the async send loop runs inside a scope that cancels it then. anyio's
``CancelScope`` does this on any backend, but costs ~20 us per call on asyncio
(its scope bookkeeping and cancel-delivery machinery), more than the rest of
the loop. On asyncio the same rule needs one ``loop.call_at`` that cancels the
task, undone with ``uncancel()`` as ``asyncio.timeout`` does (~2 us): the
cancellation is the loop's own, edge-triggered, delivered once at the await the
task is suspended in, which is always inside the scope. trio keeps anyio's scope.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Protocol


class AttemptScope(Protocol):
    """What the send loop uses of an attempt's deadline scope."""

    @property
    def cancelled_caught(self) -> bool:
        """The deadline cut the block short (and the cancellation ended here)."""

    def disarm(self) -> None:
        """No cancellation from here on (before a close that must not be cut)."""

    def __enter__(self) -> object: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None: ...


class AsyncioDeadline:
    """Cancel the current asyncio task once ``remaining`` seconds have passed;
    the cancellation ends at this scope (``cancelled_caught``), any other
    passes through. ``disarm()`` stops the timer early (before a close that
    must not be cut)."""

    __slots__ = ("_cancelling", "_handle", "_remaining", "_task", "cancelled_caught", "fired")

    def __init__(self, task: asyncio.Task[object], remaining: float) -> None:
        self._task = task
        self._remaining = remaining
        self._handle: asyncio.TimerHandle | None = None
        self.fired = False
        self.cancelled_caught = False

    def __enter__(self) -> AsyncioDeadline:
        task = self._task
        loop = task.get_loop()
        self._cancelling = task.cancelling()
        self._handle = loop.call_at(loop.time() + self._remaining, self._fire)
        return self

    def _fire(self) -> None:
        self.fired = True
        self._handle = None
        self._task.cancel()

    def disarm(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        self.disarm()
        if not self.fired:
            return False
        # Ours fired: take back its cancel request; a CancelledError with no
        # other request pending is ours and ends here.
        if self._task.uncancel() <= self._cancelling and exc_type is asyncio.CancelledError:
            self.cancelled_caught = True
            return True
        return False


class _NoDeadline:
    """An attempt without a time limit (``timeout=None``)."""

    __slots__ = ()
    cancelled_caught = False

    def __enter__(self) -> _NoDeadline:
        return self

    def __exit__(self, *exc_info: object) -> None:
        return None

    def disarm(self) -> None:
        return None


_NONE = _NoDeadline()


class _AnyioDeadline:
    """anyio's cancel scope (trio): level-triggered, so the close after it runs
    shielded instead of disarmed."""

    __slots__ = ("_scope",)

    def __init__(self, remaining: float) -> None:
        import anyio

        self._scope = anyio.CancelScope(deadline=anyio.current_time() + remaining)

    @property
    def cancelled_caught(self) -> bool:
        return self._scope.cancelled_caught

    def disarm(self) -> None:
        return None

    def __enter__(self) -> _AnyioDeadline:
        self._scope.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        return self._scope.__exit__(exc_type, exc, tb)


def attempt_deadline(remaining: float | None) -> AttemptScope:
    """The scope that ends an async attempt after ``remaining`` seconds
    (``None``: never). Not on an asyncio task (trio): anyio's cancel scope."""
    if remaining is None:
        return _NONE
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no asyncio loop runs this: trio
        task = None
    if task is not None:
        return AsyncioDeadline(task, remaining)
    return _AnyioDeadline(remaining)

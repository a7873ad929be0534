"""One attempt of a call, without I/O: its deadline, the body read under a size
cap as it arrives (and decompressed), and the outcome. The sync and async send
loops feed it what they read and stay twins."""

from __future__ import annotations

import logging
import time
import zlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

import httpx

from ._call import Call, decode_response, transport_error
from ._config import ClientConfig, attempt_budget
from ._exceptions import (
    BODY_PREFIX_BYTES,
    APITimeoutError,
    KomfortkasseError,
    UnexpectedResponseError,
)
from ._log import logger

T = TypeVar("T")

#: What is read of an error answer at most: the API's are a line of JSON.
ERROR_READ_BYTES = 64 * 1024

#: The most one decompression step produces: a small compressed body cannot unfold
#: into more than this beyond the size cap before it is refused.
INFLATE_STEP = 1024 * 1024


class _Inflater:
    """One ``Content-Encoding`` step (gzip or deflate) whose output comes in
    pieces of at most :data:`INFLATE_STEP` bytes (a gzip bomb unfolds no further
    than the reader takes)."""

    def __init__(self, encoding: str) -> None:
        self._raw_fallback = encoding == "deflate"  # zlib-wrapped, or raw as some servers send
        wbits = zlib.MAX_WBITS | 16 if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(wbits)
        self._started = False

    def pieces(self, data: bytes, *, last: bool = False) -> Iterator[bytes]:
        """The output for ``data`` (``last``: and whatever the stream still holds)."""
        out = self._first(data)
        while True:
            if out:
                yield out
            tail = self._inflater.unconsumed_tail
            if not tail:
                break
            out = self._inflater.decompress(tail, INFLATE_STEP)
        if last:
            yield self._inflater.flush()

    def _first(self, data: bytes) -> bytes:
        try:
            out = self._inflater.decompress(data, INFLATE_STEP)
        except zlib.error:
            if not (self._raw_fallback and not self._started):
                raise
            self._raw_fallback = False
            self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._inflater.decompress(data, INFLATE_STEP)
        self._started = self._started or bool(data)
        return out


#: An attempt's headers and decompression steps before any answer (shared, never changed).
_NO_HEADERS = httpx.Headers()
_NO_INFLATERS: list[_Inflater] = []

_IDENTITY = frozenset({"", "identity"})
_INFLATED = frozenset({"gzip", "x-gzip", "deflate"})


class Exchange(Generic[T]):
    """One attempt of a call, without I/O: its deadline, the body as it arrives
    (capped on the wire and decompressed), and the outcome.

    The send loops feed it what they read; every decision is made here, so the
    sync and async loops stay twins::

        exchange = Exchange(call, config)        # deadline = now + attempt budget
        if exchange.begin(status, headers):      # False: nothing (more) to read
            for chunk in raw_chunks:
                if not exchange.feed(chunk):     # False: enough read (an error's start)
                    break
        result = exchange.result()               # decoded, or the error raised
    """

    __slots__ = (
        "_buffer",
        "_complete",
        "_inflaters",
        "_limit",
        "_size",
        "_wire",
        "call",
        "clock",
        "config",
        "deadline",
        "failure",
        "headers",
        "started",
        "status",
    )

    def __init__(
        self, call: Call[T], config: ClientConfig, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.call = call
        self.config = config
        self.clock = clock
        self.started = clock()
        budget = config.timing_for(call.min_timeout).budget
        #: ``clock()`` value by which this attempt must be over (``None``: no limit).
        self.deadline = None if budget is None else self.started + budget
        self.status = 0
        self.headers = _NO_HEADERS
        self.failure: KomfortkasseError | None = None
        self._limit = self._wire = self._size = 0
        # One growing buffer: a list of 64 KiB chunks fragments the heap to twice the cap;
        # a body httpx already holds is kept as it is.
        self._buffer: bytearray | bytes = b""
        self._inflaters: list[_Inflater] = _NO_INFLATERS
        self._complete = False

    def remaining(self) -> float | None:
        """Seconds left for this attempt (``None``: no limit; never negative)."""
        return None if self.deadline is None else max(0.0, self.deadline - self.clock())

    def begin(self, status: int, headers: httpx.Headers, *, read: bytes | None = None) -> bool:
        """The status line and headers arrived; whether to read the body (raises
        for a body that cannot be read). ``read`` is the body of a response httpx
        has already read and decoded (an in-memory one, as ``MockTransport`` makes)."""
        self.status, self.headers = status, headers
        cap = self.config.max_response_bytes
        self._limit = cap if status == 200 else min(cap, ERROR_READ_BYTES)
        if read is not None:
            if len(read) <= self._limit:  # all of it kept, as feed would; without a copy
                self._wire = self._size = len(read)
                self._buffer = read
                self._check_deadline()
            else:
                self.feed(read)
            return False
        encodings = [e.strip().lower() for e in headers.get("content-encoding", "").split(",")]
        unknown = [e for e in encodings if e not in _IDENTITY | _INFLATED]
        if unknown:
            raise self._unexpected(
                f"unsupported Content-Encoding {', '.join(unknown)!r} (the client asks for "
                "gzip or deflate)"
            )
        # Applied in the reverse order of the header (the last one was applied last).
        self._inflaters = [_Inflater(e) for e in reversed(encodings) if e in _INFLATED]
        self._buffer = bytearray()
        length = headers.get("content-length", "")
        if status == 200 and length.isascii() and length.isdigit() and int(length) > cap:
            raise self._too_large(f"announces {int(length)} bytes, more")
        return True

    def feed(self, raw: bytes) -> bool:
        """A chunk of the body as it came off the wire; whether to read on."""
        self._wire += len(raw)
        keep = self._take(raw, last=False)
        if keep and self._wire > self._limit:
            keep = self._over_limit("takes more bytes on the wire")
        if keep:
            self._check_deadline()
        return keep

    def _check_deadline(self) -> None:
        if self.deadline is not None and self.clock() > self.deadline:
            raise self._timed_out()

    def _take(self, raw: bytes, *, last: bool) -> bool:
        """Decode ``raw`` through the encodings and keep it, piece by piece."""
        try:
            return all(self._keep(piece) for piece in self._decoded(raw, 0, last))
        except zlib.error:
            raise self._unexpected("response body is not valid gzip/deflate data") from None

    def _decoded(self, data: bytes, stage: int, last: bool) -> Iterator[bytes]:
        if stage == len(self._inflaters):
            yield data
            return
        for piece in self._inflaters[stage].pieces(data, last=last):
            yield from self._decoded(piece, stage + 1, last)

    def _keep(self, data: bytes) -> bool:
        room = self._limit - self._size
        if len(data) <= room:
            self._buffer += data  # not sliced: a copy of every piece for nothing
            self._size += len(data)
            return True
        self._buffer += data[:room]
        self._size += room
        return self._over_limit("is larger")

    def _over_limit(self, how: str) -> bool:
        """A 200 larger than the cap is refused; of an error answer its start is enough."""
        if self.status == 200:
            raise self._too_large(how)
        self._complete = True
        return False

    def lost(self, exc: httpx.HTTPError) -> None:
        """The exchange failed in httpx (connect, send, read); ``exc`` is not kept."""
        passed = self.deadline is not None and self.clock() >= self.deadline
        if (
            passed
            and isinstance(exc, httpx.TimeoutException)
            and not isinstance(exc, httpx.ConnectTimeout | httpx.PoolTimeout)
        ):
            self.failure = self._timed_out()
        else:
            self.failure = transport_error(exc, self.call.operation)

    def timed_out(self) -> None:
        """The attempt's deadline cut it short (the async loop's cancel scope)."""
        self.failure = self._timed_out()

    def fail(self, error: KomfortkasseError) -> None:
        self.failure = error

    def result(self) -> T:
        """The call's result, or the attempt's error raised."""
        if self.failure is not None:
            raise self.failure
        if not self._complete and self._inflaters:
            self._take(b"", last=True)
        body = self._buffer  # not copied: json.loads reads a bytearray too
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "komfortkasse: %s -> HTTP %d, %d bytes in %.3fs",
                self.call.operation,
                self.status,
                len(body),
                self.clock() - self.started,
            )
        return decode_response(self.call, self.status, self.headers, body)

    def _prefix(self) -> bytes:
        return bytes(self._buffer[:BODY_PREFIX_BYTES])

    def _unexpected(self, reason: str) -> UnexpectedResponseError:
        return UnexpectedResponseError(
            reason, operation=self.call.operation, status_code=self.status, body=self._prefix()
        )

    def _too_large(self, how: str) -> UnexpectedResponseError:
        cap = self.config.max_response_bytes
        return self._unexpected(
            f"response body {how} than max_response_bytes={cap} allows: refused "
            "(raise max_response_bytes on the client if such answers are real)"
        )

    def _timed_out(self) -> APITimeoutError:
        budget = attempt_budget(self.call.timeout(self.config))
        limit = "its timeout" if budget is None else f"its {budget:g} s"
        return APITimeoutError(
            f"the attempt took longer than {limit} (the timeout bounds each "
            "attempt as a whole, also an answer that trickles in)",
            operation=self.call.operation,
            request_sent=True,
        )

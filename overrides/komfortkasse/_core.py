"""The sans-I/O core shared by the sync and async clients.

A :class:`Call` describes one API operation: the request to send, whether it
is safe to repeat, and how to decode a 200. The clients only move bytes and
sleep; everything else -- URLs, headers, mapping transport failures, each
attempt's deadline, reading the body under a size cap (and decompressing it),
turning answers into results or typed errors, keeping the key out of server
text, the retry bookkeeping -- lives here once.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
import logging
import math
import os
import random
import re
import sys
import time
import unicodedata
import zlib
from collections.abc import Callable, Generator, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from urllib.parse import urlsplit

import httpx

from komfortkasse_generated._ops import paused_gc
from komfortkasse_generated._wire import WireError, dumps, loads

from ._exceptions import (
    BODY_PREFIX_BYTES,
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    KomfortkasseError,
    LockError,
    ResponseValidationError,
    TransportError,
    UnexpectedResponseError,
    ValidationError,
    api_error_for,
)
from ._paths import check_length

if TYPE_CHECKING:
    from ._retry import RetryPolicy

T = TypeVar("T")

logger = logging.getLogger("komfortkasse")
#: A library does not print: without the application's own logging set-up, nothing
#: reaches stderr (Python's last-resort handler stays out of it).
logger.addHandler(logging.NullHandler())
#: ``KOMFORTKASSE_LOG=debug`` or ``info`` prints the library's log to stderr.
LOG_ENV = "KOMFORTKASSE_LOG"
_LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def log_to_stderr_from_env(environ: Mapping[str, str] = os.environ) -> logging.Handler | None:
    """Honour ``$KOMFORTKASSE_LOG`` (``debug`` or ``info``): a stderr handler at that
    level on the ``komfortkasse`` logger. Run once at import; returns the handler."""
    level = _LOG_LEVELS.get(environ.get(LOG_ENV, "").strip().lower())
    if level is None:
        return None
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return handler


log_to_stderr_from_env()

API_KEY_HEADER = "X-Komfortkasse-API-Key"
API_KEY_ENV = "KOMFORTKASSE_API_KEY"
BASE_URL_ENV = "KOMFORTKASSE_BASE_URL"
PRODUCTION_URL = "https://ssl.komfortkasse.eu/api/v2"
#: The docs' example value; the API answers it with a 401, we refuse it up front.
PLACEHOLDER_KEY = "[your API key]"
#: A finite default; ``orders.sync`` raises its own to the 10 minutes the docs demand.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)

TimeoutTypes = float | httpx.Timeout | None


class _Secret:
    """Holds the API key; its repr never shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<API key hidden>"

    __str__ = __repr__


class ApiKeyAuth(httpx.Auth):
    """Adds ``X-Komfortkasse-API-Key`` as the request is sent, so the key sits in
    no request-building dict, local variable or log line of ours."""

    def __init__(self, secret: _Secret) -> None:
        self._secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._secret.reveal()
        yield request

    def __repr__(self) -> str:
        return "<ApiKeyAuth: key hidden>"


def resolve_api_key(api_key: str | None) -> _Secret:
    if api_key is not None and not isinstance(api_key, str):
        raise ConfigurationError(f"api_key must be a str, got {type(api_key).__name__}")
    value = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if value is None or not value.strip():
        raise ConfigurationError(
            f"no API key: pass api_key=... or set {API_KEY_ENV} "
            "(find the key in the Komfortkasse merchant area)"
        )
    if value.strip() == PLACEHOLDER_KEY:
        raise ConfigurationError(
            f"the API key is the docs' placeholder {PLACEHOLDER_KEY!r}: "
            "use the key from the Komfortkasse merchant area"
        )
    if value != value.strip() or any(ord(c) < 33 or ord(c) > 126 for c in value):
        raise ConfigurationError("the API key contains whitespace or non-ASCII characters")
    return _Secret(value)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def resolve_base_url(base_url: str | None) -> str:
    url = base_url if base_url is not None else os.environ.get(BASE_URL_ENV) or PRODUCTION_URL
    if not isinstance(url, str):
        raise ConfigurationError(f"base_url must be a str, got {type(url).__name__}")
    parts = urlsplit(url)
    if "@" in parts.netloc:
        # Never echo it: the part before "@" may be a password.
        shown = parts._replace(netloc="***@" + parts.netloc.rpartition("@")[2]).geturl()
        raise ConfigurationError(
            f"base_url must not contain user:password@ (the API authenticates with the "
            f"API key), got {shown!r}"
        )
    if "?" in url or "#" in url:
        raise ConfigurationError(
            f"base_url must not contain a query or fragment (every path would be "
            f"appended after it), got {url!r}"
        )
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return url.rstrip("/")
    raise ConfigurationError(
        f"base_url must be https:// (plain http:// only for loopback hosts), got {url!r}"
    )


def _timeout_value(value: object, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(
            f"{name} must be a number of seconds, None or an httpx.Timeout, got {value!r}"
        )
    if not (math.isfinite(value) and value > 0):
        raise ConfigurationError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def as_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    """``timeout`` as an ``httpx.Timeout``; anything but positive finite seconds or
    ``None`` (no limit) is refused here, not at the first request."""
    if isinstance(timeout, httpx.Timeout):
        for name, value in timeout.as_dict().items():
            _timeout_value(value, f"timeout.{name}")
        return timeout
    return httpx.Timeout(_timeout_value(timeout, "timeout"))


def attempt_budget(timeout: httpx.Timeout) -> float | None:
    """Seconds one attempt may take in all (connecting, sending, waiting, reading):
    the largest of the timeout's limits; ``None`` when one of them is unlimited.

    httpx's limits bound each socket operation alone, so a server that drips a
    byte now and then would keep a call busy forever; this bounds the attempt.
    """
    values = timeout.as_dict().values()
    return None if any(v is None for v in values) else max(v for v in values if v is not None)


#: The default cap on a response body (wire and decompressed): 256 MiB. The largest real
#: answer, 10,000 orders with every include (postings, reminders, history, refunds,
#: ten items, two addresses each), is about 48 MiB of JSON.
DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024 * 1024
#: What is read of an error answer at most: the API's are a line of JSON.
ERROR_READ_BYTES = 64 * 1024


def check_max_response_bytes(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(
            f"max_response_bytes must be a positive whole number of bytes, got {value!r}"
        )
    return value


def at_least(timeout: httpx.Timeout, seconds: float | None) -> httpx.Timeout:
    """``timeout`` with its read/write/pool limits raised to ``seconds``."""
    if seconds is None:
        return timeout

    def raise_to(value: float | None) -> float | None:
        return None if value is None else max(value, seconds)

    return httpx.Timeout(
        connect=timeout.connect,
        read=raise_to(timeout.read),
        write=raise_to(timeout.write),
        pool=raise_to(timeout.pool),
    )


@dataclasses.dataclass(frozen=True, slots=True)
class ClientConfig:
    """Everything a request needs besides the HTTP client; immutable, so
    ``with_options`` derives a new one."""

    api_key: _Secret
    base_url: str
    timeout: httpx.Timeout
    retry: RetryPolicy
    #: The largest response body read (on the wire and decompressed).
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    auth: ApiKeyAuth = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "auth", ApiKeyAuth(self.api_key))

    def evolve(
        self,
        *,
        timeout: TimeoutTypes | object,
        retry: RetryPolicy | None,
        max_response_bytes: int | None = None,
    ) -> ClientConfig:
        changes: dict[str, Any] = {}
        if timeout is not _KEEP:
            changes["timeout"] = as_timeout(timeout)  # type: ignore[arg-type]
        if retry is not None:
            from ._retry import RetryPolicy

            if not isinstance(retry, RetryPolicy):
                raise ConfigurationError(f"retry must be a RetryPolicy, got {type(retry).__name__}")
            changes["retry"] = retry
        if max_response_bytes is not None:
            changes["max_response_bytes"] = check_max_response_bytes(max_response_bytes)
        return dataclasses.replace(self, **changes)


_KEEP: Any = object()


@dataclasses.dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One operation: what to send and how to read the answer."""

    #: The spec's operationId, used in errors and log lines.
    operation: str
    method: str
    path: str
    decode: Callable[[Any], T]
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: JSON body, already validated and converted.
    json_body: Any = None
    #: Multipart files for httpx (``{"file": (name, bytes, content type)}``).
    files: Mapping[str, tuple[str, bytes, str]] | None = None
    #: Whether sending it twice is harmless (see :mod:`komfortkasse._retry`).
    idempotent: bool = False
    #: Whether a 200 carries a JSON body to decode.
    has_body: bool = True
    #: Lower bound for the read timeout (``ordersync``).
    min_timeout: float | None = None
    #: How a body encoding error names the field: the body's name (``orders``,
    #: ``refund``; empty for an order) and the index of a list body's first item.
    body_name: str = ""
    body_offset: int = 0
    #: The encoded JSON body; made at construction, so a value JSON cannot carry is
    #: refused before any request.
    content: bytes | None = dataclasses.field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.json_body is not None:
            object.__setattr__(self, "content", self._encode())
        for name, value in self.params.items():
            check_length(str(_query_value(value)), _snake(name))

    def _encode(self) -> bytes:
        try:
            text = dumps(self.json_body)  # decimals as exact JSON numbers
        except (TypeError, ValueError, RecursionError):
            where, rule = _unencodable(self.json_body, self.body_name, self.body_offset)
            raise ValidationError(where, rule) from None
        return text.encode("utf-8")

    def request_kwargs(self, config: ClientConfig) -> dict[str, Any]:
        # gzip and deflate only: what Exchange decompresses under the size cap.
        headers = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
        kwargs: dict[str, Any] = {
            "method": self.method.upper(),
            "url": config.base_url + self.path,
            "headers": headers,
            "timeout": self.timeout(config),
        }
        if self.params:  # an empty dict would make httpx rebuild the URL for nothing
            kwargs["params"] = {k: _query_value(v) for k, v in self.params.items()}
        if self.content is not None:
            headers["Content-Type"] = "application/json"
            kwargs["content"] = self.content
        if self.files is not None:
            kwargs["files"] = dict(self.files)
        return kwargs

    def timeout(self, config: ClientConfig) -> httpx.Timeout:
        return at_least(config.timeout, self.min_timeout)

    def describe(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _unencodable(body: Any, name: str, offset: int) -> tuple[str, str]:
    """Where in ``body`` JSON encoding fails, and why: ``(field path, rule)``.

    Paths use the body's JSON keys, below ``name`` (``orders[103].extraField``)."""
    todo: list[tuple[str, Any, int]] = [(name, body, 0)]
    while todo:
        path, value, depth = todo.pop(0)
        shown = path or "body"
        if depth > _MAX_JSON_DEPTH:
            return shown, "is nested too deeply to be sent as JSON"
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            return shown, f"must be a finite number to be sent as JSON, got {value!r}"
        if value is None or isinstance(value, str | int | float | Decimal):
            continue
        if isinstance(value, dict):
            for key, item in value.items():
                if key is not None and not isinstance(key, str | int | float):
                    return shown, f"has a key JSON cannot carry: {_short(key)}"
                todo.append((f"{path}.{key}" if path else str(key), item, depth + 1))
        elif isinstance(value, list | tuple):
            start = offset if depth == 0 else 0
            todo += [(f"{path}[{start + i}]", item, depth + 1) for i, item in enumerate(value)]
        else:
            return shown, f"cannot be sent as JSON: {type(value).__name__} {_short(value)}"
    return name or "body", "cannot be sent as JSON"  # pragma: no cover - json failed, we did not


#: Deeper than any body the API takes; json.dumps would hit the recursion limit.
_MAX_JSON_DEPTH = 500


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _query_value(value: object) -> object:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


#: httpx failures that happen before any byte of the request left.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def transport_error(exc: httpx.HTTPError, operation: str) -> TransportError:
    """Map an httpx failure to our error, noting whether the request may have arrived."""
    sent = not isinstance(exc, _NOT_SENT)
    kind = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        phase = "connecting" if not sent else "waiting for the answer"
        return APITimeoutError(
            f"timed out {phase} ({kind})", operation=operation, request_sent=sent
        )
    what = "could not connect" if not sent else "connection lost after the request was sent"
    return APIConnectionError(f"{what} ({kind}: {exc})", operation=operation, request_sent=sent)


def _is_json(body: bytes | bytearray) -> bool:
    try:
        loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return True


def _error_message(body: bytes | bytearray) -> str | None:
    try:
        data = loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return None


def decode_response(
    call: Call[T], status: int, headers: httpx.Headers, body: bytes | bytearray
) -> T:
    """Turn an HTTP answer into the call's result, or raise the fitting error
    (which keeps the start of the body)."""
    op = call.operation
    prefix = bytes(body[:BODY_PREFIX_BYTES])
    if 300 <= status < 400:
        location = headers.get("location", "(no location)")
        raise UnexpectedResponseError(
            f"refused to follow a redirect to {location}: the API redirects unknown URLs "
            "to its login page; check base_url",
            operation=op,
            status_code=status,
            body=prefix,
        )
    if status == 200:
        if not call.has_body:
            # Documented without a body: an empty answer (or JSON) is success, but an
            # HTML login page is the API's answer to a bad URL, not an upload.
            if body.strip() and _error_message(body) is None and not _is_json(body):
                raise UnexpectedResponseError(
                    "expected an empty answer, got a body that is not JSON",
                    operation=op,
                    status_code=status,
                    body=prefix,
                )
            # The decoder sees the JSON, if any (a 200 may carry the API's error).
            return call.decode(loads(body) if body.strip() else None)
        # The parsed JSON and the models built from it all outlive the block.
        with paused_gc():
            try:
                data = loads(body)
            except WireError as exc:
                raise ResponseValidationError(
                    f"response does not fit the schema: {exc}",
                    operation=op,
                    status_code=status,
                    body=prefix,
                ) from None
            except (ValueError, UnicodeDecodeError, RecursionError):
                reason = "empty response body" if not body.strip() else "response body is not JSON"
                raise UnexpectedResponseError(
                    reason + " (the API answers bad URLs with an HTML or blank page)",
                    operation=op,
                    status_code=status,
                    body=prefix,
                ) from None
            try:
                return call.decode(data)
            except WireError as exc:
                raise ResponseValidationError(
                    f"response does not fit the schema: {exc}",
                    operation=op,
                    status_code=status,
                    body=prefix,
                    field=exc.wire_path or None,
                    python_field=exc.python_path or None,
                ) from None
            except UnexpectedResponseError as exc:
                raise exc.in_context(op, status, prefix) from None
            except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
                detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
                raise ResponseValidationError(
                    f"response does not fit the schema: {detail}",
                    operation=op,
                    status_code=status,
                    body=prefix,
                ) from None
    message = _error_message(body)
    if status in (400, 401, 404) or status >= 500:
        if message is None:
            message = f"no error message (body starts {prefix[:200]!r})" if body else "empty body"
        raise api_error_for(status, message, operation=op, body=prefix)
    raise UnexpectedResponseError(
        f"unexpected HTTP status {status}", operation=op, status_code=status, body=prefix
    )


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
        budget = attempt_budget(call.timeout(config))
        #: ``clock()`` value by which this attempt must be over (``None``: no limit).
        self.deadline = None if budget is None else self.started + budget
        self.status = 0
        self.headers = httpx.Headers()
        self.failure: KomfortkasseError | None = None
        self._limit = self._wire = self._size = 0
        # One growing buffer: a list of 64 KiB chunks fragments the heap to twice the cap.
        self._buffer = bytearray()
        self._inflaters: list[_Inflater] = []
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
        length = headers.get("content-length", "")
        if status == 200 and length.isdigit() and int(length) > cap:
            raise self._too_large(f"announces {int(length)} bytes, more")
        return True

    def feed(self, raw: bytes) -> bool:
        """A chunk of the body as it came off the wire; whether to read on."""
        self._wire += len(raw)
        keep = self._take(raw, last=False)
        if keep and self._wire > self._limit:
            keep = self._over_limit("takes more bytes on the wire")
        if keep and self.deadline is not None and self.clock() > self.deadline:
            raise self._timed_out()
        return keep

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
        self._buffer += data[:room]
        self._size += min(len(data), room)
        return len(data) <= room or self._over_limit("is larger")

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


class Attempts:
    """Retry bookkeeping for one call; :meth:`after` decides and logs.

    Every error of an attempt passes through :meth:`after`, which first makes it
    safe to keep: the API key is cut out of all server-provided text and no link
    to an httpx request (holding the key in its headers) remains.
    """

    __slots__ = ("attempt", "call", "clock", "policy", "rand", "secret", "started")

    def __init__(
        self,
        call: Call[Any],
        policy: RetryPolicy,
        *,
        clock: Callable[[], float] = time.monotonic,
        rand: Callable[[], float] = random.random,
        secret: _Secret | None = None,
        attempt: int = 1,
    ) -> None:
        self.call = call
        self.policy = policy
        self.clock = clock
        self.rand = rand
        self.secret = secret
        self.attempt = attempt
        self.started = clock()

    def after(self, error: KomfortkasseError) -> float:
        """The delay before the next attempt; raises ``error`` when it is final."""
        detach(error)
        if self.secret is not None:
            redact(error, self.secret)
        delay = self.policy.next_delay(
            error,
            attempt=self.attempt,
            elapsed=self.clock() - self.started,
            idempotent=self.call.idempotent,
            rand=self.rand,
        )
        if delay is None:
            if isinstance(error, LockError):
                error.attempts = self.attempt
            # Only an error the policy would retry was "given up on": a 404 after a
            # 500 is the answer, not a failure of the retries.
            retryable = self.policy.should_retry(error, idempotent=self.call.idempotent)
            if self.attempt > 1 and retryable:
                error.add_note(f"gave up after {self.attempt} attempts")
            raise error
        logger.warning(
            "komfortkasse: retrying %s (attempt %d of %d failed: %s); next try in %.2fs",
            self.call.operation,
            self.attempt,
            self.policy.max_attempts,
            _reason(error),
            delay,
        )
        self.attempt += 1
        return delay


#: What stands in for the API key in server text (the CLI blanks it the same way).
REDACTED = "***"


def redact(error: BaseException, secret: _Secret) -> None:
    """Cut the API key out of the message, text attributes, body and notes of
    ``error`` and of every exception chained to it (a server that echoes the
    request puts it there), in place."""
    key = secret.reveal()
    forms = {key, json.dumps(key)[1:-1], key.replace("/", "\\/")}
    forms_bytes = {f.encode() for f in forms}

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            for form in forms:
                value = value.replace(form, REDACTED)
        elif isinstance(value, bytes):
            for raw in forms_bytes:
                value = value.replace(raw, REDACTED.encode())
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = [clean(v) for v in value]
        return value

    for link in _chain(error):
        link.args = tuple(clean(a) for a in link.args)
        for name, value in list(vars(link).items()):
            setattr(link, name, clean(value))


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and all(link is not seen for seen in found):
        found.append(link)
        link = link.__cause__ or link.__context__
    return found


def _holds_exchange(link: BaseException | None) -> bool:
    return link is not None and type(link).__module__.split(".")[0] in ("httpx", "httpcore")


def detach(error: BaseException) -> None:
    """Cut ``error``'s chain where it could hold the key, in place: every link to
    an httpx or httpcore error (it holds the request) and every context hidden by
    ``raise ... from None`` (a ``JSONDecodeError`` keeps the whole body in ``.doc``;
    hidden, it shows nowhere, but stays reachable)."""
    for link in _chain(error):
        if _holds_exchange(link.__cause__):
            link.__cause__ = None
        if link.__suppress_context__ or _holds_exchange(link.__context__):
            link.__context__ = None


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def log_text(text: str) -> str:
    """Server text made safe for a log line: newlines and other control or
    line-breaking characters escaped, so an answer cannot forge log lines."""
    return "".join(_escaped(c) for c in text)


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    category = unicodedata.category(char)
    if category[0] == "C" or category in ("Zl", "Zp"):
        return f"\\u{ord(char):04x}"
    return char


def _reason(error: KomfortkasseError) -> str:
    if isinstance(error, APIError):
        return log_text(f"HTTP {error.status_code} {error.message}")
    return type(error).__name__


def log_request(call: Call[Any], attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("komfortkasse: %s %s (attempt %d)", call.operation, call.describe(), attempt)

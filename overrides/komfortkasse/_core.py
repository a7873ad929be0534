"""The sans-I/O core shared by the sync and async clients.

A :class:`Call` describes one API operation: the request to send, whether it
is safe to repeat, and how to decode a 200. The clients only move bytes and
sleep; everything else -- URLs, headers, mapping transport failures, turning
answers into results or typed errors, the retry bookkeeping -- lives here once.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import random
import time
from collections.abc import Callable, Generator, Mapping
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import attrs
import httpx

from komfortkasse_generated._wire import WireError, dumps, loads

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    ConfigurationError,
    KomfortkasseError,
    LockError,
    ResponseValidationError,
    TransportError,
    UnexpectedResponseError,
    api_error_for,
)
from ._retry import RetryPolicy

T = TypeVar("T")

logger = logging.getLogger("komfortkasse")

API_KEY_HEADER = "X-Komfortkasse-API-Key"
API_KEY_ENV = "KOMFORTKASSE_API_KEY"
BASE_URL_ENV = "KOMFORTKASSE_BASE_URL"
PRODUCTION_URL = "https://ssl.komfortkasse.eu/api/v2"
#: The docs' example value; the API answers it with a 401, we refuse it up front.
PLACEHOLDER_KEY = "[your API key]"
#: A finite default; ``orders.sync`` raises its own to the 10 minutes the docs demand.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = "komfortkasse-python/0.1.0"

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
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return url.rstrip("/")
    raise ConfigurationError(
        f"base_url must be https:// (plain http:// only for loopback hosts), got {url!r}"
    )


def as_timeout(timeout: TimeoutTypes) -> httpx.Timeout:
    return timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)


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


@attrs.frozen
class ClientConfig:
    """Everything a request needs besides the HTTP client; immutable, so
    ``with_options`` derives a new one."""

    api_key: _Secret
    base_url: str
    auth: ApiKeyAuth = attrs.field(init=False)
    timeout: httpx.Timeout
    retry: RetryPolicy

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "auth", ApiKeyAuth(self.api_key))

    def evolve(self, *, timeout: TimeoutTypes | object, retry: RetryPolicy | None) -> ClientConfig:
        changes: dict[str, Any] = {}
        if timeout is not _KEEP:
            changes["timeout"] = as_timeout(timeout)  # type: ignore[arg-type]
        if retry is not None:
            changes["retry"] = retry
        return attrs.evolve(self, **changes)


_KEEP: Any = object()


@attrs.frozen
class Call(Generic[T]):
    """One operation: what to send and how to read the answer."""

    #: The spec's operationId, used in errors and log lines.
    operation: str
    method: str
    path: str
    decode: Callable[[Any], T]
    params: Mapping[str, Any] = attrs.field(factory=dict)
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

    def request_kwargs(self, config: ClientConfig) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        kwargs: dict[str, Any] = {
            "method": self.method.upper(),
            "url": config.base_url + self.path,
            "headers": headers,
            "timeout": at_least(config.timeout, self.min_timeout),
        }
        if self.params:  # an empty dict would make httpx rebuild the URL for nothing
            kwargs["params"] = {k: _query_value(v) for k, v in self.params.items()}
        if self.json_body is not None:
            headers["Content-Type"] = "application/json"
            kwargs["content"] = dumps(self.json_body).encode("utf-8")
        if self.files is not None:
            kwargs["files"] = dict(self.files)
        return kwargs

    def describe(self) -> str:
        return f"{self.method.upper()} {self.path}"


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


def _is_json(body: bytes) -> bool:
    try:
        loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return True


def _error_message(body: bytes) -> str | None:
    try:
        data = loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return None


def decode_response(call: Call[T], status: int, headers: httpx.Headers, body: bytes) -> T:
    """Turn an HTTP answer into the call's result, or raise the fitting error."""
    op = call.operation
    if 300 <= status < 400:
        location = headers.get("location", "(no location)")
        raise UnexpectedResponseError(
            f"refused to follow a redirect to {location}: the API redirects unknown URLs "
            "to its login page; check base_url",
            operation=op,
            status_code=status,
            body=body,
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
                    body=body,
                )
            # The decoder sees the JSON, if any (a 200 may carry the API's error).
            return call.decode(json.loads(body) if body.strip() else None)
        try:
            data = loads(body)
        except WireError as exc:
            raise ResponseValidationError(
                f"response does not fit the schema: {exc}",
                operation=op,
                status_code=status,
                body=body,
            ) from None
        except (ValueError, UnicodeDecodeError, RecursionError):
            reason = "empty response body" if not body.strip() else "response body is not JSON"
            raise UnexpectedResponseError(
                reason + " (the API answers bad URLs with an HTML or blank page)",
                operation=op,
                status_code=status,
                body=body,
            ) from None
        try:
            return call.decode(data)
        except WireError as exc:
            raise ResponseValidationError(
                f"response does not fit the schema: {exc}",
                operation=op,
                status_code=status,
                body=body,
                field=exc.wire_path or None,
                python_field=exc.python_path or None,
            ) from None
        except UnexpectedResponseError as exc:
            raise exc.in_context(op, status, body) from None
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            raise ResponseValidationError(
                f"response does not fit the schema: {detail}",
                operation=op,
                status_code=status,
                body=body,
            ) from None
    message = _error_message(body)
    if status in (400, 401, 404) or status >= 500:
        if message is None:
            message = f"no error message (body starts {body[:200]!r})" if body else "empty body"
        raise api_error_for(status, message, operation=op, body=body)
    raise UnexpectedResponseError(
        f"unexpected HTTP status {status}", operation=op, status_code=status, body=body
    )


@attrs.define
class Attempts:
    """Retry bookkeeping for one call; :meth:`after` decides and logs."""

    call: Call[Any]
    policy: RetryPolicy
    clock: Callable[[], float] = time.monotonic
    rand: Callable[[], float] = random.random
    attempt: int = 1
    started: float = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.started = self.clock()

    def after(self, error: KomfortkasseError) -> float:
        """The delay before the next attempt; raises ``error`` when it is final."""
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
            if self.attempt > 1:
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


def _reason(error: KomfortkasseError) -> str:
    if isinstance(error, APIError):
        return f"HTTP {error.status_code} {error.message}"
    return type(error).__name__


def log_request(call: Call[Any], attempt: int) -> None:
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug("komfortkasse: %s %s (attempt %d)", call.operation, call.describe(), attempt)


def finish(call: Call[T], response: httpx.Response, started: float) -> T:
    """Log and decode a complete answer (the body has been read); ``started`` is
    the ``time.monotonic()`` of sending."""
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(
            "komfortkasse: %s -> HTTP %d in %.3fs",
            call.operation,
            response.status_code,
            time.monotonic() - started,
        )
    return decode_response(call, response.status_code, response.headers, response.content)

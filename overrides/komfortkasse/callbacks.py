"""Receiving Komfortkasse's callbacks (webhooks).

Komfortkasse POSTs the order, in the format of Get Order Details, on every
payment status change, with the merchant area's *Callback Access Code* in the
header ``X-Komfortkasse-Access-Code``; it retries roughly every 15 minutes for
up to 7 days until it gets an HTTP 200.

:func:`parse` checks the code (in constant time, as bytes) and decodes the
order; :func:`wsgi_app` and :func:`asgi_app` are complete receivers that answer
200 only after your handler returned, so a failed handler means a retry::

    from komfortkasse import callbacks

    def on_change(order):           # an OrderRead
        mark_paid_in_shop(order.number, order.payment_status)

    app = callbacks.wsgi_app(access_code=os.environ["KK_CALLBACK_CODE"], handler=on_change)

Mount them at the exact callback URL: in Starlette or FastAPI as a route,
``Route("/hook", endpoint=app, methods=["POST"])`` (a ``Mount("/hook", app)``
answers a POST to ``/hook`` with a 307, which Komfortkasse counts as a failed
delivery); in Flask with ``werkzeug.middleware.dispatcher.DispatcherMiddleware``;
in a Django (or Flask) view call :func:`parse` (see the README).
"""

from __future__ import annotations

import contextlib
import hmac
import inspect
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from komfortkasse_generated._wire import loads
from komfortkasse_generated.models import OrderRead

from ._exceptions import ConfigurationError, KomfortkasseError, UnexpectedResponseError

__all__ = [
    "ACCESS_CODE_HEADER",
    "MAX_BODY_BYTES",
    "ASGIReceiver",
    "CallbackAuthError",
    "CallbackError",
    "CallbackPayloadError",
    "WSGIReceiver",
    "asgi_app",
    "parse",
    "wsgi_app",
]

ACCESS_CODE_HEADER = "X-Komfortkasse-Access-Code"
#: Bodies larger than this are refused unread (an order is a few KiB).
MAX_BODY_BYTES = 1024 * 1024

logger = logging.getLogger("komfortkasse.callbacks")

#: Header names with their values: a mapping, or pairs (repeated names allowed);
#: values as ``str`` (WSGI-style, latin-1 decoded, or real text) or raw ``bytes``.
Headers = Mapping[str, str] | Iterable[tuple[str, str]] | Iterable[tuple[bytes, bytes]]


class CallbackError(KomfortkasseError):
    """A callback that must not be acted upon."""

    #: The HTTP status a receiver answers with.
    status_code = 400


class CallbackAuthError(CallbackError):
    """Missing or wrong ``X-Komfortkasse-Access-Code``."""

    status_code = 401


class CallbackPayloadError(CallbackError):
    """A body that is too large, not JSON, or not an order."""


def _header_values(headers: Headers, name: str) -> list[str | bytes]:
    """Every value of header ``name`` (case-insensitive), in order."""
    items: Iterable[tuple[str | bytes, str | bytes]]
    items = headers.items() if isinstance(headers, Mapping) else headers
    wanted = name.lower()
    found: list[str | bytes] = []
    for key, value in items:
        text = key.decode("latin-1") if isinstance(key, bytes) else key
        if text.lower() == wanted:
            found.append(value)
    return found


def _check_code_configured(access_code: str) -> bytes:
    if not isinstance(access_code, str) or not access_code.strip():
        raise ConfigurationError("callbacks need the Callback Access Code from the merchant area")
    return access_code.encode("utf-8")


def _code_matches(received: str | bytes, expected: bytes) -> bool:
    """Compare as bytes, in constant time. A ``str`` is either the header's bytes
    decoded as latin-1 (what WSGI servers and frameworks hand out) or real text:
    both readings are compared, so a non-ASCII code sent as UTF-8 verifies."""
    if isinstance(received, bytes):
        return hmac.compare_digest(received, expected)
    readings = [received.encode("utf-8")]
    with contextlib.suppress(UnicodeEncodeError):
        readings.append(received.encode("latin-1"))
    matches = [hmac.compare_digest(reading, expected) for reading in readings]
    return any(matches)


def _check_code(headers: Headers, expected: bytes) -> None:
    received = _header_values(headers, ACCESS_CODE_HEADER)
    if not received:
        raise CallbackAuthError(f"callback without the {ACCESS_CODE_HEADER} header")
    # Every copy must match: with two headers the outcome must not depend on their order.
    verdicts = [_code_matches(value, expected) for value in received]
    if not all(verdicts):
        raise CallbackAuthError(f"callback with a wrong {ACCESS_CODE_HEADER}")


def parse(
    headers: Headers, body: bytes, access_code: str, *, max_body: int = MAX_BODY_BYTES
) -> OrderRead:
    """Verify a callback and return its order.

    Raises :class:`CallbackAuthError` for a missing or wrong code (compared in
    constant time; neither code appears in the message; every copy of a repeated
    header must match) and :class:`CallbackPayloadError` for an oversized,
    non-JSON, too deeply nested or non-order body.
    """
    expected = _check_code_configured(access_code)
    _check_code(headers, expected)
    if len(body) > max_body:
        raise CallbackPayloadError(f"callback body of {len(body)} bytes exceeds {max_body}")
    try:
        data = loads(body)  # decimals exact, NaN/Infinity refused
    except (ValueError, UnicodeDecodeError):
        raise CallbackPayloadError("callback body is not JSON") from None
    except RecursionError:
        raise CallbackPayloadError("callback body is nested too deeply to be an order") from None
    if not isinstance(data, dict):
        raise CallbackPayloadError("callback body is not a JSON object")
    try:
        order = OrderRead.from_dict(data)  # strict: every value is checked
    except UnexpectedResponseError as exc:
        raise CallbackPayloadError(f"callback body is not an order: {exc.reason}") from None
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise CallbackPayloadError(f"callback body is not an order: {exc!r}") from None
    return order


Handler = Callable[[OrderRead], object]
AsyncHandler = Callable[[OrderRead], Awaitable[object] | object]

_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 405: "Method Not Allowed",
            413: "Payload Too Large", 500: "Internal Server Error"}  # fmt: skip


def _outcome(
    headers: Headers, body: bytes, access_code: str, max_body: int
) -> tuple[int, OrderRead | None]:
    try:
        return 200, parse(headers, body, access_code, max_body=max_body)
    except CallbackError as exc:
        logger.warning("komfortkasse callback refused: %s", exc)
        return exc.status_code, None


def _check_handler(handler: object, *, allow_async: bool) -> None:
    if not callable(handler):
        raise ConfigurationError(f"handler must be callable, got {type(handler).__name__}")
    is_async = inspect.iscoroutinefunction(handler) or inspect.iscoroutinefunction(
        getattr(handler, "__call__", None)  # noqa: B004 (an object with an async __call__)
    )
    if is_async and not allow_async:
        raise ConfigurationError(
            "wsgi_app needs a plain (sync) handler: WSGI cannot await a coroutine, so it "
            "would answer 200 without running it; use asgi_app for an async handler"
        )


class WSGIReceiver:
    """The WSGI application :func:`wsgi_app` returns."""

    def __init__(self, access_code: str, handler: Handler, max_body: int) -> None:
        _check_code_configured(access_code)
        _check_handler(handler, allow_async=False)
        self._access_code = access_code
        self._handler = handler
        self._max_body = max_body

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        status = self._status(environ)
        start_response(f"{status} {_REASONS[status]}", [("Content-Type", "text/plain")])
        return [_REASONS[status].encode()]

    def __repr__(self) -> str:
        return f"<komfortkasse WSGI callback receiver, handler {self._handler!r}>"

    def _status(self, environ: dict[str, Any]) -> int:
        if environ.get("REQUEST_METHOD") != "POST":
            return 405
        body = _wsgi_body(environ, self._max_body)
        if isinstance(body, int):
            return body
        headers = [
            (key[5:].replace("_", "-"), value)
            for key, value in environ.items()
            if key.startswith("HTTP_")
        ]
        status, order = _outcome(headers, body, self._access_code, self._max_body)
        if order is None:
            return status
        try:
            result = self._handler(order)
        except Exception:
            logger.exception("komfortkasse callback handler failed for order %s", order.number)
            return 500
        if inspect.isawaitable(result):  # a sync callable that returned a coroutine
            close = getattr(result, "close", None)
            if close is not None:
                close()
            logger.error(
                "komfortkasse callback handler returned an awaitable for order %s: "
                "wsgi_app cannot await it (use asgi_app)",
                order.number,
            )
            return 500
        return 200


def _wsgi_body(environ: dict[str, Any], max_body: int) -> bytes | int:
    """The request body, or the status to answer (400 bad length, 413 too large).

    Without ``CONTENT_LENGTH`` the body is read only where the server marks the
    input as terminated (``wsgi.input_terminated``, e.g. a chunked request), and
    never more than ``max_body`` + 1 bytes."""
    stream = environ["wsgi.input"]
    raw = str(environ.get("CONTENT_LENGTH") or "").strip()
    if not raw:
        if not environ.get("wsgi.input_terminated"):
            return b""
        return _read_at_most(stream, max_body)
    if not (raw.isascii() and raw.isdigit()):  # refuses "-1", "1e3", "abc", "²"
        return 400
    length = int(raw)
    if length > max_body:
        return 413
    return _read_at_most(stream, length, exactly=True)


def _read_at_most(stream: Any, limit: int, *, exactly: bool = False) -> bytes | int:
    chunks: list[bytes] = []
    size = 0
    while True:
        want = limit - size if exactly else limit + 1 - size
        if want <= 0:
            break
        chunk = stream.read(min(want, 65536))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            return 413
    return b"".join(chunks)


def wsgi_app(access_code: str, handler: Handler, *, max_body: int = MAX_BODY_BYTES) -> WSGIReceiver:
    """A WSGI application receiving callbacks; mount it at your callback URL.

    ``handler`` must be a plain function (a coroutine function is refused here,
    as WSGI could not run it)."""
    return WSGIReceiver(access_code, handler, max_body)


class ASGIReceiver:
    """The ASGI (3.0) application :func:`asgi_app` returns. An instance, not a
    function, so that Starlette's and FastAPI's ``Route`` treat it as an ASGI
    app (``Route("/hook", endpoint=receiver, methods=["POST"])``)."""

    def __init__(self, access_code: str, handler: AsyncHandler, max_body: int) -> None:
        _check_code_configured(access_code)
        _check_handler(handler, allow_async=True)
        self._access_code = access_code
        self._handler = handler
        self._max_body = max_body

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        status = await self._status(scope, receive)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": _REASONS[status].encode()})

    def __repr__(self) -> str:
        return f"<komfortkasse ASGI callback receiver, handler {self._handler!r}>"

    async def _status(self, scope: dict[str, Any], receive: Any) -> int:
        if scope.get("method") != "POST":
            return 405
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return 400
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                return 413
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        headers: list[tuple[bytes, bytes]] = list(scope.get("headers", []))
        status, order = _outcome(headers, b"".join(chunks), self._access_code, self._max_body)
        if order is None:
            return status
        try:
            result = self._handler(order)
            if inspect.isawaitable(result):
                await result
        except Exception:
            logger.exception("komfortkasse callback handler failed for order %s", order.number)
            return 500
        return 200


def asgi_app(
    access_code: str, handler: AsyncHandler, *, max_body: int = MAX_BODY_BYTES
) -> ASGIReceiver:
    """An ASGI (3.0) application receiving callbacks; ``handler`` may be async.
    In Starlette/FastAPI, route it: ``Route("/hook", endpoint=app, methods=["POST"])``."""
    return ASGIReceiver(access_code, handler, max_body)

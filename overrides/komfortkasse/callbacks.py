"""Receiving Komfortkasse's callbacks (webhooks).

Komfortkasse POSTs the order, in the format of Get Order Details, on every
payment status change, with the merchant area's *Callback Access Code* in the
header ``X-Komfortkasse-Access-Code``; it retries roughly every 15 minutes for
up to 7 days until it gets an HTTP 200.

:func:`parse` checks the code (in constant time) and decodes the order;
:func:`wsgi_app` and :func:`asgi_app` are complete receivers that answer 200
only after your handler returned, so a failed handler means a retry::

    from komfortkasse import callbacks

    def on_change(order):           # an OrderRead
        mark_paid_in_shop(order.number, order.payment_status)

    app = callbacks.wsgi_app(access_code=os.environ["KK_CALLBACK_CODE"], handler=on_change)
"""

from __future__ import annotations

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
    "CallbackAuthError",
    "CallbackError",
    "CallbackPayloadError",
    "asgi_app",
    "parse",
    "wsgi_app",
]

ACCESS_CODE_HEADER = "X-Komfortkasse-Access-Code"
#: Bodies larger than this are refused unread (an order is a few KiB).
MAX_BODY_BYTES = 1024 * 1024

logger = logging.getLogger("komfortkasse.callbacks")

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


class CallbackError(KomfortkasseError):
    """A callback that must not be acted upon."""

    #: The HTTP status a receiver answers with.
    status_code = 400


class CallbackAuthError(CallbackError):
    """Missing or wrong ``X-Komfortkasse-Access-Code``."""

    status_code = 401


class CallbackPayloadError(CallbackError):
    """A body that is too large, not JSON, or not an order."""


def _header(headers: Headers, name: str) -> str | None:
    items = headers.items() if isinstance(headers, Mapping) else headers
    wanted = name.lower()
    for key, value in items:
        if key.lower() == wanted:
            return value
    return None


def _check_code_configured(access_code: str) -> bytes:
    if not isinstance(access_code, str) or not access_code.strip():
        raise ConfigurationError("callbacks need the Callback Access Code from the merchant area")
    return access_code.encode("utf-8")


def parse(
    headers: Headers, body: bytes, access_code: str, *, max_body: int = MAX_BODY_BYTES
) -> OrderRead:
    """Verify a callback and return its order.

    Raises :class:`CallbackAuthError` for a missing or wrong code (compared in
    constant time; neither code appears in the message) and
    :class:`CallbackPayloadError` for an oversized, non-JSON or non-order body.
    """
    expected = _check_code_configured(access_code)
    received = _header(headers, ACCESS_CODE_HEADER)
    if received is None:
        raise CallbackAuthError(f"callback without the {ACCESS_CODE_HEADER} header")
    if not hmac.compare_digest(received.encode("utf-8"), expected):
        raise CallbackAuthError(f"callback with a wrong {ACCESS_CODE_HEADER}")
    if len(body) > max_body:
        raise CallbackPayloadError(f"callback body of {len(body)} bytes exceeds {max_body}")
    try:
        data = loads(body)  # decimals exact, NaN/Infinity refused
    except (ValueError, UnicodeDecodeError):
        raise CallbackPayloadError("callback body is not JSON") from None
    if not isinstance(data, dict):
        raise CallbackPayloadError("callback body is not a JSON object")
    try:
        order = OrderRead.from_dict(data)  # strict: every value is checked
    except UnexpectedResponseError as exc:
        raise CallbackPayloadError(f"callback body is not an order: {exc.reason}") from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
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


def wsgi_app(
    access_code: str, handler: Handler, *, max_body: int = MAX_BODY_BYTES
) -> Callable[[dict[str, Any], Callable[..., Any]], list[bytes]]:
    """A WSGI application receiving callbacks; mount it at your callback URL."""
    _check_code_configured(access_code)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        status = _wsgi_status(environ, access_code, handler, max_body)
        start_response(f"{status} {_REASONS[status]}", [("Content-Type", "text/plain")])
        return [_REASONS[status].encode()]

    return app


def _wsgi_status(environ: dict[str, Any], access_code: str, handler: Handler, max_body: int) -> int:
    if environ.get("REQUEST_METHOD") != "POST":
        return 405
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400
    if length > max_body:
        return 413
    body = environ["wsgi.input"].read(length) if length else b""
    headers = [
        (key[5:].replace("_", "-"), value)
        for key, value in environ.items()
        if key.startswith("HTTP_")
    ]
    status, order = _outcome(headers, body, access_code, max_body)
    if order is None:
        return status
    try:
        handler(order)
    except Exception:
        logger.exception("komfortkasse callback handler failed for order %s", order.number)
        return 500
    return 200


def asgi_app(
    access_code: str, handler: AsyncHandler, *, max_body: int = MAX_BODY_BYTES
) -> Callable[[dict[str, Any], Any, Any], Awaitable[None]]:
    """An ASGI (3.0) application receiving callbacks; ``handler`` may be async."""
    _check_code_configured(access_code)

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        status = await _asgi_status(scope, receive, access_code, handler, max_body)
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": _REASONS[status].encode()})

    return app


async def _asgi_status(
    scope: dict[str, Any], receive: Any, access_code: str, handler: AsyncHandler, max_body: int
) -> int:
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
        if size > max_body:
            return 413
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])]
    status, order = _outcome(headers, b"".join(chunks), access_code, max_body)
    if order is None:
        return status
    try:
        result = handler(order)
        if inspect.isawaitable(result):
            await result
    except Exception:
        logger.exception("komfortkasse callback handler failed for order %s", order.number)
        return 500
    return 200

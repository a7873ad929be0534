"""What the callback tests share: the access code, a callback body, and calling a WSGI or
ASGI receiver in-process (no server)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import anyio

from komfortkasse import callbacks
from tests.samples import order_json

CODE = "callback-code-Vb38"
UNICODE_CODE = "Zugangscode-ä€ß"
HEADER = callbacks.ACCESS_CODE_HEADER
GOOD = {HEADER: CODE}
#: What Komfortkasse posts when order 1001 is paid.
BODY = json.dumps(order_json("1001", paymentStatus="PAID")).encode()


class Input(io.BytesIO):
    """``wsgi.input`` that records how many bytes were read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def wsgi(app: Callable[..., Any], environ: dict[str, Any]) -> str:
    """The status line a WSGI app answers ``environ`` with (a POST with the code, unless
    ``environ`` says otherwise)."""
    statuses: list[str] = []
    base = {"REQUEST_METHOD": "POST", "HTTP_X_KOMFORTKASSE_ACCESS_CODE": CODE}
    app({**base, **environ}, lambda status, headers: statuses.append(status))
    return statuses[0]


def call_wsgi(app: Callable[..., Any], method: str, headers: dict[str, str], body: bytes) -> str:
    """:func:`wsgi` for a request given as method, headers and body."""
    environ = {
        "REQUEST_METHOD": method,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
    }
    return wsgi(app, environ)


def run_asgi(
    app: Any, scope: dict[str, Any], messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Run an ASGI app on one scope, receiving ``messages`` in turn; what it sent."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def scenario() -> None:
        await app(scope, receive, send)

    anyio.run(scenario)
    return sent


def http_scope(headers: dict[str, str], method: str = "POST") -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": "/",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }


def asgi(app: Callable[..., Any], headers: list[tuple[bytes, bytes]], body: bytes) -> int:
    """The status an ASGI app answers a POST with these raw headers and this body."""
    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    sent = run_asgi(app, scope, [{"type": "http.request", "body": body, "more_body": False}])
    status: int = sent[0]["status"]
    return status

"""Callback receivers mounted where shops run them: Starlette (and so FastAPI), Flask, a
Django-style view through ``parse``, and wsgiref on a real socket."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import anyio
import httpx
import pytest

from komfortkasse import (
    OrderRead,
    callbacks,
)
from tests.callbacks.support import (
    BODY,
    CODE,
    HEADER,
    UNICODE_CODE,
)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def served() -> Iterator[tuple[str, list[str]]]:
    """A wsgiref server on 127.0.0.1 with a receiver for the non-ASCII code."""
    received: list[str] = []
    app = callbacks.wsgi_app(UNICODE_CODE, lambda order: received.append(order.number))
    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_a_non_ascii_code_sent_as_utf8_over_a_real_socket(
    served: tuple[str, list[str]],
) -> None:
    url, received = served
    raw = UNICODE_CODE.encode("utf-8")
    answer = httpx.post(url, content=BODY, headers={HEADER: raw})
    assert answer.status_code == 200
    assert received == ["1001"]
    wrong = httpx.post(url, content=BODY, headers={HEADER: raw[:-2]})
    assert wrong.status_code == 401
    # chunked (no Content-Length): wsgiref does not mark it terminated, so it is no order
    chunked = httpx.post(url, content=iter([BODY]), headers={HEADER: raw})
    assert chunked.status_code in (400, 411, 501)


def post(app: Any, path: str, body: bytes, code: str, method: str = "POST") -> int:
    """One request to an ASGI app, through httpx's ASGI transport (no server)."""

    async def main() -> int:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://shop.test") as client:
            answer = await client.request(method, path, content=body, headers={HEADER: code})
            return answer.status_code

    return anyio.run(main)


def test_starlette_route_serves_the_asgi_receiver() -> None:
    from starlette.applications import Starlette
    from starlette.routing import Mount, Route

    received: list[str] = []

    async def on_payment(order: OrderRead) -> None:
        received.append(order.number)

    receiver = callbacks.asgi_app(CODE, on_payment)
    app = Starlette(routes=[Route("/hook", endpoint=receiver, methods=["POST"])])
    assert post(app, "/hook", BODY, CODE) == 200
    assert post(app, "/hook", BODY, "no") == 401
    assert post(app, "/hook", b"", CODE, method="GET") == 405
    # FastAPI is Starlette underneath: app.add_route is the same Route.
    added = Starlette()
    added.add_route("/hook", receiver, methods=["POST"])
    assert post(added, "/hook", BODY, CODE) == 200
    assert received == ["1001", "1001"]
    # Why not Mount: Starlette redirects /hook to /hook/, a failed delivery for Komfortkasse.
    mounted = Starlette(routes=[Mount("/hook", app=receiver)])
    assert post(mounted, "/hook", BODY, CODE) == 307


def test_flask_with_the_wsgi_receiver_and_with_a_view() -> None:
    from flask import Flask, request
    from werkzeug.middleware.dispatcher import DispatcherMiddleware

    received: list[str] = []
    app = Flask(__name__)
    app.wsgi_app = DispatcherMiddleware(  # type: ignore[method-assign]
        app.wsgi_app, {"/hook": callbacks.wsgi_app(CODE, lambda o: received.append(o.number))}
    )

    @app.post("/view-hook")
    def view_hook() -> tuple[str, int]:
        try:
            order = callbacks.parse(request.headers, request.get_data(), CODE)
        except callbacks.CallbackError as exc:
            return "refused", exc.status_code
        received.append(order.number)
        return "OK", 200

    client = app.test_client()
    assert client.post("/hook", data=BODY, headers={HEADER: CODE}).status_code == 200
    assert client.post("/hook", data=BODY, headers={HEADER: "no"}).status_code == 401
    assert client.post("/view-hook", data=BODY, headers={HEADER: CODE}).status_code == 200
    assert client.post("/view-hook", data=b"{", headers={HEADER: CODE}).status_code == 400
    assert received == ["1001", "1001"]


def test_a_django_style_view_with_parse() -> None:
    """Django's ``request.headers`` is a case-insensitive mapping of WSGI (latin-1
    decoded) strings and ``request.body`` bytes: what ``parse`` is given here."""

    class HttpHeaders(dict[str, str]):
        pass

    headers = HttpHeaders({"X-Komfortkasse-Access-Code": UNICODE_CODE.encode().decode("latin-1")})
    assert callbacks.parse(headers, BODY, UNICODE_CODE).number == "1001"

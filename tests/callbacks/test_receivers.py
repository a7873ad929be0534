"""Callback receivers against hostile or unusual requests, and mounted in real
frameworks (Starlette, Flask; a Django-style view through ``parse``)."""

from __future__ import annotations

import io
import json
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import anyio
import httpx
import pytest

from komfortkasse import ConfigurationError, OrderRead, callbacks

CODE = "callback-code-Vb38"
UNICODE_CODE = "Zugangscode-ä€ß"
ORDER: dict[str, Any] = {
    "number": "1001",
    "date": "25-04-2018",
    "type": "INVOICE",
    "amount": 22.38,
    "currency": "EUR",
    "billing": {"lastName": "Mustermann", "countryCode": "DE"},
    "paymentStatus": "PAID",
}
BODY = json.dumps(ORDER).encode()
DEEP = b"[" * 200_000 + b"]" * 200_000
HEADER = callbacks.ACCESS_CODE_HEADER


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
    statuses: list[str] = []
    base = {"REQUEST_METHOD": "POST", "HTTP_X_KOMFORTKASSE_ACCESS_CODE": CODE}
    app({**base, **environ}, lambda status, headers: statuses.append(status))
    return statuses[0]


def asgi(app: Callable[..., Any], headers: list[tuple[bytes, bytes]], body: bytes) -> int:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    anyio.run(app, scope, receive, send)
    status: int = sent[0]["status"]
    return status


# --- construction ---------------------------------------------------------------------------


def test_wsgi_app_refuses_a_coroutine_function_at_construction() -> None:
    async def handler(order: OrderRead) -> None:
        pass

    class AsyncCallable:
        async def __call__(self, order: OrderRead) -> None:
            pass

    for bad in (handler, AsyncCallable()):
        with pytest.raises(ConfigurationError, match="asgi_app"):
            callbacks.wsgi_app(CODE, bad)
    with pytest.raises(ConfigurationError, match="callable"):
        callbacks.wsgi_app(CODE, "not a function")  # type: ignore[arg-type]
    assert callbacks.asgi_app(CODE, handler) is not None  # fine there


def test_a_sync_handler_returning_a_coroutine_is_a_500_not_a_silent_200() -> None:
    async def work(order: OrderRead) -> None:
        raise AssertionError("never run")

    def sync_looking(order: OrderRead) -> Any:  # a plain function that returns a coroutine
        return work(order)

    app = callbacks.wsgi_app(CODE, sync_looking)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "coroutine was never awaited" would be one
        assert wsgi(app, {"CONTENT_LENGTH": str(len(BODY)), "wsgi.input": Input(BODY)}) == (
            "500 Internal Server Error"
        )


def test_a_plain_awaitable_returned_by_a_sync_handler_is_a_500() -> None:
    class Pending:
        def __await__(self) -> Iterator[None]:
            yield None

    app = callbacks.wsgi_app(CODE, lambda order: Pending())
    environ = {"CONTENT_LENGTH": str(len(BODY)), "wsgi.input": Input(BODY)}
    assert wsgi(app, environ).startswith("500")


def test_receivers_show_their_handler_never_the_code() -> None:
    def on_payment(order: OrderRead) -> None:
        pass

    for receiver in (callbacks.wsgi_app(CODE, on_payment), callbacks.asgi_app(CODE, on_payment)):
        assert "on_payment" in repr(receiver)
        assert CODE not in repr(receiver)


# --- WSGI body framing -------------------------------------------------------------------


def test_a_chunked_wsgi_request_without_content_length_is_read() -> None:
    received: list[str] = []
    app = callbacks.wsgi_app(CODE, lambda order: received.append(order.number))
    environ = {"wsgi.input": Input(BODY), "wsgi.input_terminated": True}
    assert wsgi(app, environ) == "200 OK"
    assert received == ["1001"]


def test_a_chunked_wsgi_request_is_read_only_up_to_max_body() -> None:
    app = callbacks.wsgi_app(CODE, lambda order: None, max_body=1000)
    stream = Input(b" " * 10_000_000)
    assert wsgi(app, {"wsgi.input": stream, "wsgi.input_terminated": True}).startswith("413")
    assert stream.taken <= 1001


def test_without_length_or_termination_nothing_is_read() -> None:
    app = callbacks.wsgi_app(CODE, lambda order: None)
    stream = Input(BODY)
    assert wsgi(app, {"wsgi.input": stream}).startswith("400")  # an empty body
    assert stream.taken == 0


@pytest.mark.parametrize("length", ["-1", "-100", "1e3", "abc", " 12x"])
def test_a_negative_or_malformed_content_length_reads_nothing(length: str) -> None:
    app = callbacks.wsgi_app(CODE, lambda order: None, max_body=1000)
    stream = Input(b"x" * 10_000)
    assert wsgi(app, {"CONTENT_LENGTH": length, "wsgi.input": stream}).startswith("400")
    assert stream.taken == 0


def test_a_content_length_is_read_exactly() -> None:
    received: list[str] = []
    app = callbacks.wsgi_app(CODE, lambda order: received.append(order.number))
    stream = Input(BODY + b"garbage after the body")
    assert wsgi(app, {"CONTENT_LENGTH": str(len(BODY)), "wsgi.input": stream}) == "200 OK"
    assert stream.taken == len(BODY)


# --- deep JSON ------------------------------------------------------------------------------


def test_deeply_nested_json_is_a_payload_error_not_a_recursion_error() -> None:
    with pytest.raises(callbacks.CallbackPayloadError, match="nested too deeply"):
        callbacks.parse({HEADER: CODE}, DEEP, CODE)
    deep_object = b'{"a":' * 200_000 + b"1" + b"}" * 200_000
    with pytest.raises(callbacks.CallbackPayloadError):
        callbacks.parse({HEADER: CODE}, deep_object, CODE, max_body=2_000_000)


def test_deeply_nested_json_gives_400_from_both_receivers() -> None:
    wsgi_receiver = callbacks.wsgi_app(CODE, lambda order: None)
    environ = {"CONTENT_LENGTH": str(len(DEEP)), "wsgi.input": Input(DEEP)}
    assert wsgi(wsgi_receiver, environ).startswith("400")
    asgi_receiver = callbacks.asgi_app(CODE, lambda order: None)
    assert asgi(asgi_receiver, [(HEADER.lower().encode(), CODE.encode())], DEEP) == 400


# --- the access code ------------------------------------------------------------------------


def test_a_non_ascii_access_code_verifies_however_the_header_arrives() -> None:
    raw = UNICODE_CODE.encode("utf-8")
    # Real text (a dict built by hand), raw bytes (ASGI), latin-1 decoded bytes (WSGI).
    for value in (UNICODE_CODE, raw, raw.decode("latin-1")):
        headers: Any = [(HEADER, value)]
        assert callbacks.parse(headers, BODY, UNICODE_CODE).number == "1001"
    for wrong in ("Zugangscode-a€ß", raw[:-1], raw.decode("latin-1")[:-1], CODE):
        with pytest.raises(callbacks.CallbackAuthError):
            callbacks.parse([(HEADER, wrong)], BODY, UNICODE_CODE)  # type: ignore[list-item]


def test_a_non_ascii_access_code_through_both_receivers() -> None:
    received: list[str] = []
    wsgi_receiver = callbacks.wsgi_app(UNICODE_CODE, lambda o: received.append(o.number))
    environ = {
        "HTTP_X_KOMFORTKASSE_ACCESS_CODE": UNICODE_CODE.encode().decode("latin-1"),
        "CONTENT_LENGTH": str(len(BODY)),
        "wsgi.input": Input(BODY),
    }
    assert wsgi(wsgi_receiver, environ) == "200 OK"
    asgi_receiver = callbacks.asgi_app(UNICODE_CODE, lambda o: received.append(o.number))
    raw = [(b"x-komfortkasse-access-code", UNICODE_CODE.encode())]
    assert asgi(asgi_receiver, raw, BODY) == 200
    assert received == ["1001", "1001"]


@pytest.mark.parametrize("first_good", [True, False])
def test_two_access_code_headers_are_refused_unless_both_match(first_good: bool) -> None:
    pair = [(HEADER, CODE), (HEADER, "wrong")]
    headers = pair if first_good else pair[::-1]
    with pytest.raises(callbacks.CallbackAuthError):
        callbacks.parse(headers, BODY, CODE)
    raw = [(k.lower().encode(), v.encode()) for k, v in headers]
    assert asgi(callbacks.asgi_app(CODE, lambda o: None), raw, BODY) == 401
    assert callbacks.parse([(HEADER, CODE), (HEADER.lower(), CODE)], BODY, CODE).number == "1001"


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


# --- frameworks -----------------------------------------------------------------------------


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

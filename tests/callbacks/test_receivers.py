"""The WSGI and ASGI callback receivers: construction, body framing, deep JSON, the
access code, and answering 200 only once the shop's handler has succeeded."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from komfortkasse import (
    ConfigurationError,
    OrderRead,
    callbacks,
)
from tests.callbacks.support import (
    BODY,
    CODE,
    GOOD,
    HEADER,
    UNICODE_CODE,
    Input,
    asgi,
    call_wsgi,
    http_scope,
    run_asgi,
    wsgi,
)

DEEP = b"[" * 200_000 + b"]" * 200_000


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


@pytest.mark.parametrize("length", ["-1", "-100", "1e3", "abc", " 12x", "²", "١٢"])
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


# --- answers: 200 only after the handler, refusals by their status --------------------


def test_wsgi_receiver_answers_200_only_after_the_handler_succeeded() -> None:
    received: list[str] = []
    failures = iter([True, False])

    def handler(order: OrderRead) -> None:
        if next(failures):
            raise RuntimeError("database down")
        received.append(order.number)

    app = callbacks.wsgi_app(CODE, handler, max_body=10_000)
    assert call_wsgi(app, "POST", GOOD, BODY).startswith("500")
    assert received == []
    assert call_wsgi(app, "POST", GOOD, BODY) == "200 OK"
    assert received == ["1001"]
    assert call_wsgi(app, "POST", {HEADER: "no"}, BODY).startswith("401")
    assert call_wsgi(app, "POST", GOOD, b"x" * 20_000).startswith("413")
    assert call_wsgi(app, "POST", GOOD, b"{").startswith("400")
    assert call_wsgi(app, "GET", GOOD, b"").startswith("405")
    assert received == ["1001"]


def test_asgi_receiver_with_an_async_handler() -> None:
    received: list[str] = []
    failures = iter([True, False])

    async def handler(order: OrderRead) -> None:
        if next(failures):
            raise RuntimeError("queue full")
        received.append(order.number)

    app = callbacks.asgi_app(CODE, handler)

    def call(method: str, headers: dict[str, str], body: bytes) -> int:
        parts = [body[:10], body[10:]]  # the body arrives in two messages
        messages = [
            {"type": "http.request", "body": part, "more_body": i == 0}
            for i, part in enumerate(parts)
        ]
        return int(run_asgi(app, http_scope(headers, method), messages)[0]["status"])

    statuses = [call("POST", GOOD, BODY), call("POST", GOOD, BODY)]
    statuses += [call("POST", {}, BODY), call("PUT", GOOD, BODY)]
    assert statuses == [500, 200, 401, 405]
    assert received == ["1001"]


def test_wsgi_receiver_refuses_a_malformed_content_length() -> None:
    received: list[OrderRead] = []
    app = callbacks.wsgi_app(CODE, received.append)
    statuses: list[str] = []
    environ = {
        "REQUEST_METHOD": "POST",
        "CONTENT_LENGTH": "twelve",
        "HTTP_X_KOMFORTKASSE_ACCESS_CODE": CODE,
        "wsgi.input": io.BytesIO(BODY),
    }
    body = app(environ, lambda status, headers: statuses.append(status))
    assert statuses == ["400 Bad Request"]
    assert body == [b"Bad Request"]
    assert received == []


def test_asgi_receiver_ignores_other_scopes() -> None:
    received: list[OrderRead] = []
    app = callbacks.asgi_app(CODE, received.append)
    sent = run_asgi(app, {"type": "lifespan"}, [{"type": "lifespan.startup"}])
    assert sent == []  # nothing answered: a lifespan scope is not a callback
    assert received == []


def test_asgi_receiver_with_a_plain_function_handler() -> None:
    received: list[str] = []
    app = callbacks.asgi_app(CODE, lambda order: received.append(order.number))
    sent = run_asgi(app, http_scope(GOOD), [{"type": "http.request", "body": BODY}])
    assert sent[0]["status"] == 200
    assert sent[1]["body"] == b"OK"
    assert received == ["1001"]


def test_asgi_receiver_answers_400_when_the_client_disconnects() -> None:
    received: list[OrderRead] = []
    app = callbacks.asgi_app(CODE, received.append)
    messages = [
        {"type": "http.request", "body": BODY[:10], "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent = run_asgi(app, http_scope(GOOD), messages)
    assert sent[0]["status"] == 400
    assert received == []


def test_asgi_receiver_stops_reading_an_oversized_body() -> None:
    received: list[OrderRead] = []
    app = callbacks.asgi_app(CODE, received.append, max_body=100)
    messages = [
        {"type": "http.request", "body": b"x" * 60, "more_body": True},
        {"type": "http.request", "body": b"x" * 60, "more_body": True},
        {"type": "http.request", "body": b"never read", "more_body": False},
    ]
    sent = run_asgi(app, http_scope(GOOD), messages)
    assert sent[0]["status"] == 413
    assert sent[1]["body"] == b"Payload Too Large"
    assert len(messages) == 1  # the rest was not read
    assert received == []

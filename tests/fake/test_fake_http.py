"""The fake's HTTP framing, byte by byte over a raw socket: broken framing gets a blank
400 and a close, chunked bodies with trailers are read whole, every method is recorded,
and an error while serving is logged (a client hanging up is not)."""

from __future__ import annotations

import json
import logging
import socket
from typing import Any

import pytest

from komfortkasse.testing import FakeKomfortkasse
from tests.samples import RECENT, order_body

KEY = "framing-key-123"
ORDER = order_body("1001", day=RECENT)


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    return {"api_key": KEY}


def exchange(fake: FakeKomfortkasse, request: bytes) -> bytes:
    """Send raw bytes, read until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", fake.port), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def head_of(answer: bytes) -> tuple[str, dict[str, str], bytes]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return status, headers, body


@pytest.mark.parametrize(
    "framing",
    [
        b"Content-Length: twelve\r\n\r\n",
        "Content-Length: ²\r\n\r\n".encode("latin-1"),  # a digit to str.isdigit only
        b"Transfer-Encoding: chunked\r\n\r\nnot-hex\r\n",
    ],
    ids=["bad-length", "superscript-length", "bad-chunk-size"],
)
def test_broken_request_framing_gets_a_blank_400_and_a_close(
    fake: FakeKomfortkasse, framing: bytes
) -> None:
    # No "Connection: close" from the client: the server must end it by itself.
    answer = exchange(fake, b"POST /api/v2/orders HTTP/1.1\r\nHost: fake\r\n" + framing)
    status, headers, body = head_of(answer)
    assert status == "HTTP/1.1 400 Bad Request"
    assert headers["connection"] == "close"
    assert headers["content-length"] == "0"
    assert body == b""
    assert fake.requests == []  # not recorded: never got as far as a request


def test_chunked_body_with_trailer_is_read_whole(fake: FakeKomfortkasse) -> None:
    payload = json.dumps([ORDER]).encode()
    half = len(payload) // 2
    body = (
        b"%x;ext=1\r\n%s\r\n" % (half, payload[:half])
        + b"%x\r\n%s\r\n" % (len(payload) - half, payload[half:])
        + b"0\r\nX-Checksum: whatever\r\n\r\n"
    )
    request = (
        b"POST /api/v2/orders HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n"
        + f"X-Komfortkasse-API-Key: {KEY}\r\nContent-Type: application/json\r\n".encode()
        + b"Transfer-Encoding: chunked\r\n\r\n"
        + body
    )
    status, _, answer = head_of(exchange(fake, request))
    assert status == "HTTP/1.1 200 OK", answer
    assert [item["number"] for item in json.loads(answer)] == ["1001"]
    assert fake.requests[-1].body == payload
    assert str(fake.order("1001").data["amount"]) == "22.38"


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_reach_the_api_and_are_recorded(fake: FakeKomfortkasse, method: str) -> None:
    request = (
        f"{method} /api/v2/order/1001 HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n"
        f"X-Komfortkasse-API-Key: {KEY}\r\nContent-Length: 2\r\n\r\n{{}}"
    ).encode()
    status, _, _ = head_of(exchange(fake, request))
    assert status.split()[1] in {"404", "405"}  # the API has no such operation
    [recorded] = fake.requests
    assert (recorded.method, recorded.path, recorded.body) == (method, "/api/v2/order/1001", b"{}")
    assert recorded.headers["x-komfortkasse-api-key"] == "<redacted>"


def fail_handling(
    fake: FakeKomfortkasse, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    server = fake._running()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(server.api, "handle", broken)


def test_an_error_while_serving_is_logged_and_the_connection_closed(
    fake: FakeKomfortkasse, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fail_handling(fake, monkeypatch, RuntimeError("state corrupted"))
    with caplog.at_level(logging.ERROR, logger="komfortkasse.testing"):
        answer = exchange(fake, b"GET /api/v2/orders HTTP/1.1\r\nHost: fake\r\n\r\n")
    assert answer == b""
    [record] = [r for r in caplog.records if r.name == "komfortkasse.testing"]
    assert record.getMessage().startswith("fake Komfortkasse: error serving ('127.0.0.1', ")
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)


def test_a_client_hanging_up_is_not_logged(
    fake: FakeKomfortkasse, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    fail_handling(fake, monkeypatch, ConnectionResetError("peer went away"))
    with caplog.at_level(logging.DEBUG, logger="komfortkasse.testing"):
        answer = exchange(fake, b"GET /api/v2/orders HTTP/1.1\r\nHost: fake\r\n\r\n")
    assert answer == b""
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []

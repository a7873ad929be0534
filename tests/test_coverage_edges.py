"""Edge cases outside the command line: callback receivers, the fake's HTTP
framing and entry point, lazy exports, file and image handling, the demo's
``--live`` path. Everything runs in-process against servers on 127.0.0.1.
"""

from __future__ import annotations

import base64
import datetime
import io
import json
import logging
import signal
import socket
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from pytest_httpserver import HTTPServer

from komfortkasse import (
    Komfortkasse,
    OrderRead,
    OrderWriteWithNumber,
    UnexpectedResponseError,
    ValidationError,
    callbacks,
    demo,
)
from komfortkasse import testing as fake_package
from komfortkasse.testing import FakeKomfortkasse

CODE = "callback-code-Vb38"
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
GOOD = {"X-Komfortkasse-Access-Code": CODE}
RECENT = datetime.date.today() - datetime.timedelta(days=3)


# -- callback receivers ----------------------------------------------------------------------


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


def run_asgi(
    app: Any, scope: dict[str, Any], messages: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def scenario() -> None:
        await app(scope, receive, send)

    anyio.run(scenario)
    return sent


def http_scope(headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "method": "POST",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }


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


# -- the fake's HTTP framing -----------------------------------------------------------------


@pytest.fixture
def fake() -> Iterator[FakeKomfortkasse]:
    with FakeKomfortkasse(api_key="framing-key-123") as server:
        yield server


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
        b"Transfer-Encoding: chunked\r\n\r\nnot-hex\r\n",
    ],
    ids=["bad-length", "bad-chunk-size"],
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
    order = {**ORDER, "date": RECENT.strftime("%d-%m-%Y")}
    del order["paymentStatus"]
    payload = json.dumps([order]).encode()
    half = len(payload) // 2
    body = (
        b"%x;ext=1\r\n%s\r\n" % (half, payload[:half])
        + b"%x\r\n%s\r\n" % (len(payload) - half, payload[half:])
        + b"0\r\nX-Checksum: whatever\r\n\r\n"
    )
    request = (
        b"POST /api/v2/orders HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n"
        b"X-Komfortkasse-API-Key: framing-key-123\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + body
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
        "X-Komfortkasse-API-Key: framing-key-123\r\nContent-Length: 2\r\n\r\n{}"
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


# -- komfortkasse.testing: lazy exports and the entry point -----------------------------------


def test_testing_package_exports_lazily_and_lists_them() -> None:
    assert fake_package.FaultKind("500").value == "500"
    names = dir(fake_package)
    assert set(fake_package.__all__) <= set(names)
    assert names == sorted(names)
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = fake_package.Nope


def run_as_script(package: str, path: str) -> None:
    """Execute ``path`` as ``python -m`` would: ``__name__`` is ``"__main__"``
    and relative imports resolve in ``package`` (runpy cannot be used here:
    pytest's import hook owns the package, as it is a pytest plugin)."""
    code = compile(Path(path).read_text(encoding="utf-8"), path, "exec")
    exec(code, {"__name__": "__main__", "__package__": package, "__file__": path})


class Lines:
    """A stdout that remembers what was written."""

    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def in_helper_thread(
    stdout: Lines, then: Callable[[str, str], None], signum: signal.Signals
) -> threading.Thread:
    """Once the URL and key are printed, call ``then(url, key)``, then send
    ``signum`` to the main thread (where the entry point waits)."""
    main_thread = threading.main_thread().ident
    assert main_thread is not None

    def work() -> None:
        try:
            for _ in range(2000):
                if stdout.text.count("\n") >= 2:
                    break
                threading.Event().wait(0.005)
            lines = dict(line.split(": ", 1) for line in stdout.text.splitlines())
            then(lines["URL"], lines["API key"])
        finally:
            signal.pthread_kill(main_thread, signum)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def sigterm_restored() -> Iterator[None]:
    before = signal.getsignal(signal.SIGTERM)
    yield
    signal.signal(signal.SIGTERM, before)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.usefixtures("sigterm_restored")
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_python_dash_m_testing_serves_until_stopped(
    monkeypatch: pytest.MonkeyPatch, signum: signal.Signals
) -> None:
    from komfortkasse.testing.__main__ import main

    assert threading.current_thread() is threading.main_thread()
    stdout = Lines()
    monkeypatch.setattr(sys, "stdout", stdout)
    answers: list[Any] = []

    def query(url: str, key: str) -> None:
        request = urllib.request.Request(
            url + "/order/1001", headers={"X-Komfortkasse-API-Key": key}
        )
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as error:
            answers.append((key, error.code))
            error.close()

    thread = in_helper_thread(stdout, query, signum)
    code = main(["--port", "0", "--api-key", "entry-key-77", "--today", "2024-05-13"])
    thread.join(5)
    assert code == 0
    assert stdout.text.splitlines()[0].startswith("URL: http://127.0.0.1:")
    assert stdout.text.splitlines()[1] == "API key: entry-key-77"
    assert answers == [("entry-key-77", 404)]  # served: a real answer for an unknown order


def test_python_dash_m_testing_runs_main_as_a_script(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import komfortkasse.testing.__main__ as module  # importing it starts nothing

    assert capsys.readouterr() == ("", "")
    monkeypatch.setattr(sys, "argv", ["python -m komfortkasse.testing", "--today", "13.05.2024"])
    with pytest.raises(SystemExit) as exited:
        run_as_script("komfortkasse.testing", module.__file__)
    assert exited.value.code == 2
    assert "--today: invalid fromisoformat value: '13.05.2024'" in capsys.readouterr().err


# -- files and images through the client -----------------------------------------------------


class NotAFile:
    name = "invoice.pdf"


def test_upload_invoice_refuses_something_that_is_not_a_file(tmp_path: Path) -> None:
    with (
        Komfortkasse("any-key-1234", base_url="http://127.0.0.1:9/api/v2") as client,
        pytest.raises(ValidationError) as raised,
    ):
        client.orders.upload_invoice("1001", "R-1", NotAFile())  # type: ignore[arg-type]
    assert raised.value.field == "file"
    assert "must be bytes, a path or a binary file" in raised.value.rule


def test_postings_list_refuses_a_non_bool_include_orders() -> None:
    with (
        Komfortkasse("any-key-1234", base_url="http://127.0.0.1:9/api/v2") as client,
        pytest.raises(ValidationError) as raised,
    ):
        client.postings.list(include_orders="yes")  # type: ignore[arg-type]
    assert raised.value.field == "include_orders"
    assert raised.value.rule == "must be bool, got string 'yes'"


@pytest.mark.parametrize(
    ("image", "reason"),
    [
        ({"type": "QRCODE", "format": "png"}, "image has no data"),
        ({"type": "QRCODE", "data": "not base64!"}, "image data is not valid base64"),
        (
            {"type": "QRCODE", "data": base64.b64encode(b"GIF89a").decode()},
            "image data is not a PNG",
        ),
    ],
)
def test_get_png_refuses_an_image_that_is_not_a_png(
    httpserver: HTTPServer, image: dict[str, Any], reason: str
) -> None:
    httpserver.expect_request("/api/v2/image/1001").respond_with_json(image)
    with (
        Komfortkasse("any-key-1234", base_url=httpserver.url_for("/api/v2")) as client,
        pytest.raises(UnexpectedResponseError) as raised,
    ):
        client.images.get_png("1001")
    assert raised.value.reason == reason
    assert raised.value.operation == "getImage"


def test_get_png_returns_the_png(httpserver: HTTPServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 8
    data = base64.b64encode(png).decode()
    httpserver.expect_request("/api/v2/image/1001").respond_with_json({"data": data})
    with Komfortkasse("any-key-1234", base_url=httpserver.url_for("/api/v2")) as client:
        assert client.images.get_png("1001") == png


# -- the demo's --live path ------------------------------------------------------------------


def test_demo_live_runs_against_the_configured_api_without_simulating_payments(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeKomfortkasse(api_key="live-demo-key-1") as live:
        monkeypatch.setenv("KOMFORTKASSE_API_KEY", "live-demo-key-1")
        monkeypatch.setenv("KOMFORTKASSE_BASE_URL", live.url)
        code = demo.main(["--live", "--i-know-this-creates-real-orders", "--out", str(tmp_path)])
        out = capsys.readouterr().out
        assert code == 0
        assert f"Running against {live.url}" in out
        assert "live API: no payment simulation" in out
        statuses = {order.number: order.payment_status for order in live.orders()}
    assert len(statuses) == 5
    assert sorted(statuses.values()) == ["CANCELLED", "UNPAID", "UNPAID", "UNPAID", "UNPAID"]
    assert len(list(tmp_path.glob("*-qrcode.png"))) == 5


def test_demo_live_with_a_refused_key_exits_1(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FakeKomfortkasse(api_key="live-demo-key-1") as live:
        monkeypatch.setenv("KOMFORTKASSE_API_KEY", "not-the-key-2")
        monkeypatch.setenv("KOMFORTKASSE_BASE_URL", live.url)
        code = demo.main(["--live", "--i-know-this-creates-real-orders", "--out", str(tmp_path)])
        assert live.orders() == []
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ")
    assert "not-the-key-2" not in err


def test_python_dash_m_demo_exits_with_mains_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["python -m komfortkasse.demo", "--live"])
    with pytest.raises(SystemExit) as exited:
        run_as_script("komfortkasse", demo.__file__)
    assert exited.value.code == 2
    assert "creates REAL orders" in capsys.readouterr().err


def test_demo_orders_are_valid_submissions() -> None:
    orders = demo.demo_orders("T-", RECENT)
    assert all(isinstance(order, OrderWriteWithNumber) for order in orders)
    assert [order.number[:2] for order in orders] == ["T-"] * len(orders)

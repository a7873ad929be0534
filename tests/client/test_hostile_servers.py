"""Hostile servers and input that is not ours (issue 11, with issue 12's logging points).

Raw-socket servers on 127.0.0.1 drip answers, send too much or echo the key; every
failure must be a typed ``KomfortkasseError`` at the right moment, bounded in time and
memory, with the key nowhere in it.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import socket
import sys
import threading
import time
import urllib.parse
import zlib
from collections.abc import Callable, Iterator

import httpcore
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from komfortkasse import (
    APITimeoutError,
    AsyncKomfortkasse,
    ConfigurationError,
    Komfortkasse,
    KomfortkasseError,
    RetryPolicy,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
    _deadline,
)
from komfortkasse._exceptions import BODY_PREFIX_BYTES
from komfortkasse._paths import MAX_PARAMETER_LENGTH, encode_segment, fill
from komfortkasse._secret import (
    REDACTED,
    _Secret,
    detach,
    redact,
)
from tests.samples import FAST, KEY, order_json
from tests.transports import TEST_URL

ORDER = order_json("1001")
ORDER_BYTES = json.dumps(ORDER).encode()
ONCE = RetryPolicy.never()
#: The drip servers stop after this long, so a test that fails cannot hang the suite.
SERVER_LIMIT = 6.0


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("KOMFORTKASSE_API_KEY", "KOMFORTKASSE_BASE_URL", "KOMFORTKASSE_LOG"):
        monkeypatch.delenv(name, raising=False)


class Recorder:
    """A MockTransport handler that records requests and answers with the order."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        parts = request.url.raw_path.decode().split("?")[0].split("/")
        if len(parts) == 5 and parts[3] == "order":  # /api/v2/order/{n}: the order asked for
            return httpx.Response(200, json={**ORDER, "number": urllib.parse.unquote(parts[4])})
        return httpx.Response(200, json=ORDER)


@contextlib.contextmanager
def mocked() -> Iterator[tuple[Komfortkasse, Recorder]]:
    recorder = Recorder()
    with (
        httpx.Client(transport=httpx.MockTransport(recorder)) as http,
        Komfortkasse(KEY, base_url=TEST_URL, retry=ONCE, http_client=http) as kk,
    ):
        yield kk, recorder


# --- raw-socket servers -------------------------------------------------------------------

Script = Callable[[socket.socket, threading.Event], None]


class RawServer:
    """Accepts connections on 127.0.0.1, reads each request's head, runs ``script``."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.connections = 0
        self.stop = threading.Event()
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.handlers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/api/v2"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            handler = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            self.handlers.append(handler)
            handler.start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(SERVER_LIMIT)
            try:
                head = b""
                while b"\r\n\r\n" not in head:
                    data = conn.recv(65536)
                    if not data:
                        return
                    head += data
                self.script(conn, self.stop)
            except OSError:
                pass

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        for handler in self.handlers:
            handler.join()
        self.sock.close()


def drip(conn: socket.socket, stop: threading.Event, data: bytes, every: float) -> None:
    """Send ``data`` one byte every ``every`` seconds (at most SERVER_LIMIT in all)."""
    ends = time.monotonic() + SERVER_LIMIT
    for index in range(len(data)):
        if stop.is_set() or time.monotonic() > ends:
            return
        conn.sendall(data[index : index + 1])
        stop.wait(every)


def head(status: str = "200 OK", **headers: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/json"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def chunked(data: bytes, size: int) -> bytes:
    """``data`` in HTTP/1.1 chunks of ``size`` bytes, then the last chunk."""
    parts = [data[start : start + size] for start in range(0, len(data), size)]
    return b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in parts) + b"0\r\n\r\n"


def drip_headers(every: float) -> Script:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        drip(conn, stop, b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200, every)

    return script


def drip_body(every: float) -> Script:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(Content_Length=str(len(ORDER_BYTES) + 100)))
        drip(conn, stop, b" " * 100 + ORDER_BYTES, every)

    return script


def chunked_forever(every: float) -> Script:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(Transfer_Encoding="chunked"))
        ends = time.monotonic() + SERVER_LIMIT
        while not stop.is_set() and time.monotonic() < ends:
            conn.sendall(b"1\r\n \r\n")
            stop.wait(every)

    return script


def answer(status: str, body: bytes, **headers: str) -> Script:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(status, Content_Length=str(len(body)), **headers) + body)

    return script


# --- A. requests going where they should not ---------------------------------------------


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda kk: kk.orders.cancel("."), "order_number"),
        (lambda kk: kk.orders.set_paid(".."), "order_number"),
        (lambda kk: kk.orders.upload_invoice("1001", "..", b"%PDF"), "invoice_number"),
        (lambda kk: kk.orders.get(".."), "order_number"),
        # POST /order/remove/cancel is removeOrder("cancel"), and the other way round.
        (lambda kk: kk.orders.cancel("remove"), "order_number"),
        (lambda kk: kk.orders.set_unpaid("Remove"), "order_number"),
        (lambda kk: kk.orders.remove("cancel"), "order_number"),
        (lambda kk: kk.orders.remove("setpaid"), "order_number"),
        (lambda kk: kk.orders.get("x" * 70_000), "order_number"),
        (lambda kk: kk.postings.list(iban="DE" + "1" * 70_000), "iban"),
    ],
    ids=[
        "cancel-dot",
        "set_paid-dotdot",
        "invoice-dotdot",
        "get-dotdot",
        "cancel-remove",
        "set_unpaid-Remove",
        "remove-cancel",
        "remove-setpaid",
        "get-70000",
        "iban-70000",
    ],
)
def test_path_values_that_would_reach_another_url_are_refused(
    action: Callable[[Komfortkasse], object], field: str
) -> None:
    with mocked() as (kk, recorder), pytest.raises(ValidationError) as caught:
        action(kk)
    assert caught.value.field == field
    assert recorder.seen == []


def test_reserved_characters_stay_inside_one_segment() -> None:
    with mocked() as (kk, recorder):
        kk.orders.get("a/b?c#d%2e")
        kk.orders.get("...")  # not a dot segment: sent as it is
        kk.orders.get("remove")  # GET /order/remove is no other operation
        kk.orders.upload_invoice("1001/x", "R?1", b"%PDF")
        kk.orders.get("y" * MAX_PARAMETER_LENGTH)
    paths = [request.url.raw_path for request in recorder.seen]
    assert paths[:4] == [
        b"/api/v2/order/a%2Fb%3Fc%23d%252e",
        b"/api/v2/order/...",
        b"/api/v2/order/remove",
        b"/api/v2/order/1001%2Fx/invoice/R%3F1",
    ]


def test_encode_segment_encodes_dot_segments() -> None:
    assert encode_segment(".") == "%2E"
    assert encode_segment("..") == "%2E%2E"
    assert encode_segment("a.b") == "a.b"
    assert encode_segment("ä b/") == "%C3%A4%20b%2F"


def test_a_route_clash_without_a_value_to_blame_is_not_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A route that generalises this one (only possible in a changed spec) is the spec's
    ambiguity, not the caller's: the path is built."""
    import komfortkasse._paths as paths

    monkeypatch.setattr(paths, "spec_routes", lambda: (("GET", (None, None)),))
    assert fill("get", "/order/KK0", {"KK0": ("order_number", "1")}) == "/order/1"


@pytest.mark.parametrize(
    "url",
    [
        "https://api.example/api/v2?shop=1",
        "https://api.example/api/v2#frag",
        "https://api.example/api/v2?",
    ],
)
def test_base_url_with_query_or_fragment_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError, match="query or fragment"):
        Komfortkasse(KEY, base_url=url)


@pytest.mark.parametrize(
    "url",
    [
        "https://user:hunter2secret@api.example/api/v2",
        "http://user:hunter2secret@example.org/api/v2",  # also refused as plain http
        "https://:hunter2secret@api.example/api/v2",
    ],
)
def test_base_url_with_credentials_never_shows_the_password(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Komfortkasse(KEY, base_url=url)
    assert "hunter2secret" not in str(caught.value)
    assert "user:password@" in str(caught.value)
    monkeypatch.setenv("KOMFORTKASSE_BASE_URL", url)
    with pytest.raises(ConfigurationError) as from_env:
        Komfortkasse(KEY)
    assert "hunter2secret" not in str(from_env.value)


# --- B. time a server can take --------------------------------------------------------------


@pytest.mark.parametrize(
    ("script", "timeout"),
    [(drip_headers(0.3), 1.0), (drip_body(0.15), 0.5), (chunked_forever(0.15), 0.5)],
    ids=["headers", "body", "chunked-forever"],
)
def test_sync_timeout_bounds_an_attempt_that_trickles_in(script: Script, timeout: float) -> None:
    with (
        RawServer(script) as server,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE) as kk,
        pytest.raises(APITimeoutError) as caught,
    ):
        kk.with_options(timeout=timeout).orders.cancel("1001")
    assert caught.value.request_sent is True
    assert f"{timeout:g} s" in str(caught.value)


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("script", "timeout"),
    [(drip_headers(0.15), 0.5), (chunked_forever(0.3), 1.0)],
    ids=["headers", "chunked-forever"],
)
async def test_async_timeout_bounds_an_attempt_that_trickles_in(
    script: Script, timeout: float
) -> None:
    with RawServer(script) as server:
        async with AsyncKomfortkasse(KEY, base_url=server.url, retry=ONCE) as kk:
            with pytest.raises(APITimeoutError) as caught:
                await kk.with_options(timeout=timeout).orders.cancel("1001")
    assert caught.value.request_sent is True


@pytest.mark.anyio
async def test_a_stray_timeout_error_without_a_deadline_is_an_api_timeout() -> None:
    """A transport raising the built-in TimeoutError, with no timeout configured."""

    class Stray(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            raise TimeoutError("stray")

    async with (
        httpx.AsyncClient(transport=Stray()) as http,
        AsyncKomfortkasse(KEY, base_url=TEST_URL, timeout=None, retry=ONCE, http_client=http) as kk,
    ):
        with pytest.raises(APITimeoutError, match="longer than its timeout"):
            await kk.orders.cancel("1001")


def test_a_callers_http_client_is_bounded_too() -> None:
    with (
        RawServer(drip_headers(0.1)) as server,
        httpx.Client() as http,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE, http_client=http, timeout=0.4) as kk,
        pytest.raises(APITimeoutError),
    ):
        kk.orders.get("1001")
    assert isinstance(http._transport._pool._network_backend, _deadline.DeadlineBackend)  # type: ignore[attr-defined]


class Wrapped(httpx.BaseTransport):
    """A custom transport: the deadline backend cannot reach its sockets."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def test_a_custom_transport_body_is_bounded_between_chunks() -> None:
    with (
        RawServer(drip_body(0.1)) as server,
        httpx.Client(transport=Wrapped()) as http,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE, http_client=http, timeout=0.4) as kk,
        pytest.raises(APITimeoutError),
    ):
        kk.orders.get("1001")


def test_max_elapsed_bounds_a_call_with_retries() -> None:
    policy = RetryPolicy(
        max_attempts=100, max_elapsed=0.6, initial_delay=0.01, max_delay=0.01, jitter=0
    )
    with (
        RawServer(drip_headers(0.1)) as server,
        Komfortkasse(KEY, base_url=server.url, retry=policy, timeout=0.3) as kk,
        pytest.raises(APITimeoutError) as caught,
    ):
        kk.orders.get("1001")  # safe to repeat: timeouts are retried
    attempts = server.connections
    assert 2 <= attempts < 10
    assert caught.value.__notes__ == [f"gave up after {attempts} attempts"]


# --- B. memory a server can take --------------------------------------------------------------


def test_a_body_larger_than_the_cap_is_refused_while_reading() -> None:
    big = b"[" + b" " * 50_000 + b"]"

    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(Transfer_Encoding="chunked") + chunked(big, 4096))

    with (
        RawServer(script) as server,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE, max_response_bytes=10_000) as kk,
    ):
        with pytest.raises(UnexpectedResponseError, match="max_response_bytes=10000") as caught:
            kk.orders.list()
        assert kk.max_response_bytes == 10_000
        # The cap is the client's: a view can raise it.
        assert kk.with_options(max_response_bytes=100_000).orders.list() == []
    assert len(caught.value.body) <= BODY_PREFIX_BYTES


def test_an_announced_oversize_body_is_refused_before_reading() -> None:
    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(Content_Length=str(500 * 2**20)))
        stop.wait(SERVER_LIMIT)  # the body never comes: the client must not wait for it

    with (
        RawServer(script) as server,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE, max_response_bytes=2**20) as kk,
        pytest.raises(UnexpectedResponseError, match="announces 524288000 bytes"),
    ):
        kk.orders.get("1001")


@pytest.mark.anyio
async def test_a_gzip_bomb_is_refused_after_the_cap() -> None:
    bomb = gzip.compress(b"0" * (64 * 2**20), compresslevel=9)  # ~64 KiB on the wire
    with RawServer(answer("200 OK", bomb, Content_Encoding="gzip")) as server:
        async with AsyncKomfortkasse(
            KEY, base_url=server.url, retry=ONCE, max_response_bytes=2**20
        ) as kk:
            with pytest.raises(UnexpectedResponseError, match="is larger than") as caught:
                await kk.orders.get("1001")
    assert len(caught.value.body) <= BODY_PREFIX_BYTES


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data, wbits=-zlib.MAX_WBITS)),  # raw deflate
        ("gzip, identity", gzip.compress),
        ("deflate, gzip", lambda data: gzip.compress(zlib.compress(data))),
    ],
    ids=["gzip", "deflate", "raw-deflate", "gzip-identity", "deflate-then-gzip"],
)
def test_compressed_answers_are_decoded(encoding: str, encode: Callable[[bytes], bytes]) -> None:
    with (
        RawServer(answer("200 OK", encode(ORDER_BYTES), Content_Encoding=encoding)) as server,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE) as kk,
    ):
        assert kk.orders.get("1001").number == "1001"


@pytest.mark.parametrize(
    ("encoding", "body", "match"),
    [
        ("br", b"\x0b\x02\x80{}\x03", "unsupported Content-Encoding 'br'"),
        ("gzip", b"not gzip at all", "not valid gzip/deflate"),
        ("gzip", gzip.compress(ORDER_BYTES)[:-12], "not JSON|not valid"),
    ],
    ids=["brotli", "garbage", "cut-off"],
)
def test_undecodable_bodies_are_unexpected_responses(
    encoding: str, body: bytes, match: str
) -> None:
    with (
        RawServer(answer("200 OK", body, Content_Encoding=encoding)) as server,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE) as kk,
        pytest.raises(UnexpectedResponseError, match=match),
    ):
        kk.orders.get("1001")


BIG_ERROR = b'{"error": "' + b"x" * 3_000_000 + b'"}'


def test_an_error_answer_keeps_a_bounded_prefix() -> None:
    with (
        RawServer(answer("500 Internal Server Error", BIG_ERROR)) as server,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE) as kk,
        pytest.raises(ServerError) as caught,
    ):
        kk.orders.cancel("1001")
    assert caught.value.body == BIG_ERROR[:BODY_PREFIX_BYTES]
    assert "no error message" in caught.value.message  # the start is not a whole JSON


@pytest.mark.anyio
async def test_async_an_error_answer_is_read_only_as_far_as_needed() -> None:
    with RawServer(answer("502 Bad Gateway", BIG_ERROR)) as server:
        async with AsyncKomfortkasse(KEY, base_url=server.url, retry=ONCE) as kk:
            with pytest.raises(ServerError) as caught:
                await kk.orders.cancel("1001")
    assert caught.value.body == BIG_ERROR[:BODY_PREFIX_BYTES]


def test_a_compressed_body_is_capped_on_the_wire_too() -> None:
    packed = gzip.compress(os.urandom(9_990))  # incompressible: more bytes on the wire

    def script(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(Transfer_Encoding="chunked", Content_Encoding="gzip"))
        conn.sendall(chunked(packed, 1000))

    with (
        RawServer(script) as server,
        Komfortkasse(KEY, base_url=server.url, retry=ONCE, max_response_bytes=10_000) as kk,
        pytest.raises(UnexpectedResponseError, match="more bytes on the wire"),
    ):
        kk.orders.get("1001")


def test_an_in_memory_answer_is_capped_too() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"[" + b" " * 5000 + b"]")

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Komfortkasse(KEY, base_url=TEST_URL, http_client=http, max_response_bytes=1000) as kk,
        pytest.raises(UnexpectedResponseError, match="max_response_bytes=1000"),
    ):
        kk.orders.list()


# --- C. the key where a server echoes it ------------------------------------------------------


def echo_key(request: Request) -> Response:
    key = request.headers.get("X-Komfortkasse-API-Key", "")
    text = f"Invalid key {key}\nWARNING forged line"
    return Response(json.dumps({"error": text, "seen": key}), status=500)


def chain(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        link = todo.pop()
        if link is not None and all(link is not seen for seen in found):
            found.append(link)
            todo += [link.__cause__, link.__context__]
    return found


def assert_clean(exc: BaseException) -> None:
    for link in chain(exc):
        assert type(link).__module__.split(".")[0] not in ("httpx", "httpcore"), repr(link)
        assert KEY not in str(link)
        assert KEY not in repr(link.args)
        for value in vars(link).values():
            assert KEY not in repr(value)
            assert KEY.encode() not in (value if isinstance(value, bytes) else b"")


def test_an_echoed_key_is_redacted_from_errors_and_retry_warnings(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/api/v2/order/1001").respond_with_handler(echo_key)
    caplog.set_level(logging.WARNING, logger="komfortkasse")
    with (
        Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=FAST) as kk,
        pytest.raises(ServerError) as caught,
    ):
        kk.orders.get("1001")
    error = caught.value
    assert f"Invalid key {REDACTED}" in error.message
    assert REDACTED.encode() in error.body
    assert_clean(error)
    warnings = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert len(warnings) == FAST.max_attempts - 1
    for line in warnings:
        assert KEY not in line
        assert "\n" not in line
        assert "\\nWARNING forged line" in line


def test_an_echoed_key_is_redacted_from_unexpected_answers(httpserver: HTTPServer) -> None:
    def login_page(request: Request) -> Response:
        key = request.headers.get("X-Komfortkasse-API-Key", "")
        return Response(f"<html>your key: {key}</html>", status=200)

    httpserver.expect_request("/api/v2/order/1001").respond_with_handler(login_page)
    with (
        Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=ONCE) as kk,
        pytest.raises(UnexpectedResponseError) as caught,
    ):
        kk.orders.get("1001")
    assert REDACTED in caught.value.snippet
    assert_clean(caught.value)


@pytest.mark.parametrize(
    "failure", [httpx.ConnectError, httpx.ReadTimeout, httpx.RemoteProtocolError]
)
def test_no_error_references_an_httpx_request(failure: type[httpx.HTTPError]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise failure("trouble", request=request)

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Komfortkasse(KEY, base_url=TEST_URL, retry=FAST, http_client=http) as kk,
        pytest.raises(KomfortkasseError) as caught,
    ):
        kk.orders.cancel("1001")
    assert caught.value.__context__ is None
    assert_clean(caught.value)


def test_errors_raised_while_decoding_reference_no_httpx_object() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'{"number": 5}')

    with (
        httpx.Client(transport=httpx.MockTransport(handler)) as http,
        Komfortkasse(KEY, base_url=TEST_URL, retry=ONCE, http_client=http) as kk,
        pytest.raises(UnexpectedResponseError) as caught,
    ):
        kk.orders.get("1001")
    assert_clean(caught.value)


def test_a_socks_proxy_without_socksio_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "socksio", None)  # as if not installed
    monkeypatch.setenv("ALL_PROXY", "socks5://proxyuser:proxypass@127.0.0.1:1080")
    with pytest.raises(ConfigurationError, match="socksio") as caught:
        Komfortkasse(KEY, base_url=TEST_URL)
    assert "proxypass" not in str(caught.value)
    with pytest.raises(ConfigurationError, match="socksio"):
        AsyncKomfortkasse(KEY, base_url=TEST_URL)


def test_an_unusable_proxy_scheme_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ALL_PROXY", "ftp://proxyuser:proxypass@127.0.0.1:21")
    with pytest.raises(ConfigurationError, match="proxy") as caught:
        Komfortkasse(KEY, base_url=TEST_URL)
    assert "proxypass" not in str(caught.value)


def test_redact_and_detach_work_on_the_whole_chain() -> None:
    secret = _Secret(KEY)
    cause = httpx.ReadError("boom")
    error = ServerError(f"echo {KEY}", status_code=500, body=KEY.encode())
    error.add_note(f"note with {KEY}")
    error.__cause__ = cause
    inner = ValueError(f"json {json.dumps(KEY)[1:-1]}")
    outer = UnexpectedResponseError("x")
    outer.__context__ = inner  # shown (not suppressed): kept, but redacted
    detach(error)
    detach(outer)
    redact(error, secret)
    redact(outer, secret)
    assert error.__cause__ is None
    assert outer.__context__ is inner
    assert KEY not in inner.args[0]
    assert error.__notes__ == [f"note with {REDACTED}"]
    assert_clean(error)


# --- B. the deadline behind the time bounds ---------------------------------------------


def test_the_deadline_backend_limits_and_installs() -> None:
    assert _deadline._left(5.0, httpcore.ReadTimeout) == 5.0  # no attempt running
    with _deadline.deadline(time.monotonic() + 1.0):
        left = _deadline._left(None, httpcore.ReadTimeout)
        assert left is not None
        assert 0 < left <= 1.0
    with (
        _deadline.deadline(time.monotonic() - 0.1),
        pytest.raises(httpcore.ReadTimeout, match="deadline"),
    ):
        _deadline._left(5.0, httpcore.ReadTimeout)
    with httpx.Client(mounts={"all://example.org": None}) as http:
        assert _deadline.install(http)
        assert _deadline.install(http)  # once is enough: not wrapped twice
        backend = http._transport._pool._network_backend  # type: ignore[attr-defined]
        assert isinstance(backend, _deadline.DeadlineBackend)
        assert not isinstance(backend._backend, _deadline.DeadlineBackend)
    with httpx.Client(transport=httpx.MockTransport(Recorder())) as http:
        assert not _deadline.install(http)  # nothing of ours to reach

"""The API key stays secret and the connection stays safe.

The key must never show up in a repr, a log record or an exception (however it is
rendered); the client refuses set-ups that would send it somewhere it should not go.
"""

from __future__ import annotations

import json
import logging
import shutil
import ssl
import subprocess
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from komfortkasse import (
    APIConnectionError,
    AsyncKomfortkasse,
    AuthenticationError,
    ConfigurationError,
    Komfortkasse,
    KomfortkasseError,
    LockError,
    RetryPolicy,
    UnexpectedResponseError,
)
from tests.samples import FAST, KEY, an_order, order_json
from tests.transports import closed_url

SECRET = KEY
#: Parts of the key that would still give it away if it were cut or re-encoded.
FRAGMENTS = (SECRET, "SECRET-4242", "do-not-leak")
PRODUCTION = "https://ssl.komfortkasse.eu/api/v2"

ORDER_JSON: dict[str, Any] = order_json()


def assert_no_secret(text: str, where: str = "") -> None:
    for fragment in FRAGMENTS:
        assert fragment not in text, f"API key leaked in {where or 'text'}: {text[:300]!r}"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOMFORTKASSE_API_KEY", raising=False)
    monkeypatch.delenv("KOMFORTKASSE_BASE_URL", raising=False)


def exception_chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything reachable through ``__cause__`` / ``__context__``."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        current = todo.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        todo.extend([current.__cause__, current.__context__])
    return seen


def assert_exception_keeps_the_secret(exc: BaseException) -> None:
    chain = exception_chain(exc)
    for link in chain:
        assert_no_secret(str(link), f"str({type(link).__name__})")
        assert_no_secret(repr(link), f"repr({type(link).__name__})")
        assert_no_secret(repr(link.args), f"{type(link).__name__}.args")
        assert_no_secret("\n".join(getattr(link, "__notes__", [])), "notes")
    if isinstance(exc, KomfortkasseError):
        for name, value in vars(exc).items():
            assert_no_secret(repr(value), f"{type(exc).__name__}.{name}")
    rendered = "".join(traceback.format_exception(exc))
    assert_no_secret(rendered, "formatted traceback")
    assert type(exc).__name__ in rendered


def assert_logs_keep_the_secret(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "nothing was logged: the check would prove nothing"
    for record in caplog.records:
        assert_no_secret(record.getMessage(), f"log message of {record.name}")
        assert_no_secret(str(record.msg), f"log msg of {record.name}")
        assert_no_secret(repr(record.args), f"log args of {record.name}")
        if record.exc_info and record.exc_info[1] is not None:
            assert_exception_keeps_the_secret(record.exc_info[1])
    assert_no_secret(caplog.text, "captured log text")


# --- reprs ---------------------------------------------------------------------------------


def test_client_reprs_hide_the_key(httpserver: HTTPServer) -> None:
    url = httpserver.url_for("/api/v2")
    with Komfortkasse(SECRET, base_url=url, retry=FAST) as kk:
        view = kk.with_options(retry=RetryPolicy.never(), timeout=3.0)
        for obj in (kk, view, kk.orders, view.postings, kk.images, kk.retry, kk.timeout):
            assert_no_secret(repr(obj), f"repr({type(obj).__name__})")
            assert_no_secret(str(obj), f"str({type(obj).__name__})")
        assert repr(kk) == f"Komfortkasse(base_url={url!r})"
        for name, value in [*vars(kk).items(), *vars(view).items()]:
            assert_no_secret(repr(value), f"client.{name}")
            assert_no_secret(str(value), f"client.{name}")
        # The key is not a default header of the HTTP client either: it is added per request.
        assert "x-komfortkasse-api-key" not in {k.lower() for k in kk._http.headers}
        assert_no_secret(repr(kk._config), "config")
        assert "<API key hidden>" in repr(kk._config)
        assert_no_secret(f"{kk!r} {kk!s} {kk._config} {kk._config.api_key}")


@pytest.mark.anyio
async def test_async_client_reprs_hide_the_key(httpserver: HTTPServer) -> None:
    async with AsyncKomfortkasse(SECRET, base_url=httpserver.url_for("/api/v2"), retry=FAST) as kk:
        view = kk.with_options(retry=RetryPolicy.never())
        for obj in (kk, view, kk.orders, kk.postings, kk.images):
            assert_no_secret(repr(obj))
            assert_no_secret(str(obj))
        for name, value in [*vars(kk).items(), *vars(view).items()]:
            assert_no_secret(repr(value), f"client.{name}")
        assert repr(kk).startswith("AsyncKomfortkasse(")


def test_retry_policy_repr_has_no_key() -> None:
    assert_no_secret(repr(FAST))
    assert_no_secret(repr(RetryPolicy.never()))


def test_the_key_is_really_held(httpserver: HTTPServer, client: Komfortkasse) -> None:
    # The control for the repr tests: the client does hold the key, only hides it.
    assert client._config.api_key.reveal() == SECRET


# --- logs ----------------------------------------------------------------------------------


def _lock_twice_then_ok() -> Any:
    calls: list[int] = []

    def handler(request: Request) -> Response:
        calls.append(1)
        if len(calls) <= 2:
            return Response(json.dumps({"error": "Could not acquire lock"}), status=400)
        return Response(json.dumps(ORDER_JSON), content_type="application/json")

    return handler


def test_debug_logs_never_contain_the_key(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger: ours, httpx, httpcore
    httpserver.expect_request("/api/v2/order/7", method="GET").respond_with_json(ORDER_JSON)
    httpserver.expect_request("/api/v2/order/7", method="POST").respond_with_handler(
        _lock_twice_then_ok()
    )
    httpserver.expect_request("/api/v2/orders", method="GET").respond_with_json(
        {"error": "Invalid authentication header"}, status=401
    )
    raised: list[BaseException] = []
    with Komfortkasse(SECRET, base_url=httpserver.url_for("/api/v2"), retry=FAST) as kk:
        kk.orders.get("7")  # success
        kk.orders.submit("7", an_order())  # a retried lock
        with pytest.raises(AuthenticationError) as unauthorized:
            kk.orders.list()
        raised.append(unauthorized.value)
    url = closed_url()
    with Komfortkasse(SECRET, base_url=url, retry=FAST) as down:
        with pytest.raises(APIConnectionError) as refused:
            down.orders.get("7")
        raised.append(refused.value)
    assert refused.value.request_sent is False

    names = {record.name for record in caplog.records}
    assert "komfortkasse" in names
    assert any(name.startswith(("httpx", "httpcore")) for name in names)
    assert any(record.levelno == logging.WARNING for record in caplog.records)
    assert_logs_keep_the_secret(caplog)
    for exc in raised:
        assert_exception_keeps_the_secret(exc)
    # The key did go out, in its header: the logs had something to leak.
    keys = {request.headers.get("X-Komfortkasse-API-Key") for request, _ in httpserver.log}
    assert keys == {SECRET}


@pytest.mark.anyio
async def test_async_debug_logs_never_contain_the_key(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    httpserver.expect_request("/api/v2/order/7/setpaid", method="POST").respond_with_handler(
        _lock_twice_then_ok()
    )
    httpserver.expect_request("/api/v2/postings", method="GET").respond_with_json(
        {"error": "Authentication header not present"}, status=401
    )
    async with AsyncKomfortkasse(SECRET, base_url=httpserver.url_for("/api/v2"), retry=FAST) as kk:
        await kk.orders.set_paid("7")
        with pytest.raises(AuthenticationError) as unauthorized:
            await kk.postings.list()
    url = closed_url()
    async with AsyncKomfortkasse(SECRET, base_url=url, retry=FAST) as down:
        with pytest.raises(APIConnectionError) as refused:
            await down.orders.cancel("7")
    assert_logs_keep_the_secret(caplog)
    assert_exception_keeps_the_secret(unauthorized.value)
    assert_exception_keeps_the_secret(refused.value)


# --- exceptions ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.ReadTimeout,
        httpx.RemoteProtocolError,
        httpx.ReadError,
    ],
)
def test_transport_errors_keep_the_secret(failure: type[httpx.HTTPError]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["X-Komfortkasse-API-Key"] == SECRET
        raise failure("connection trouble", request=request)  # type: ignore[call-arg]

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        kk = Komfortkasse(SECRET, base_url=PRODUCTION, retry=FAST, http_client=http)
        with pytest.raises(KomfortkasseError) as caught:
            kk.orders.cancel("7")
    # The httpx error holds the request (and so the key): it is not chained, not even
    # as the (hidden) context.
    assert caught.value.__cause__ is None
    assert caught.value.__context__ is None
    assert failure.__name__ in str(caught.value)
    assert_exception_keeps_the_secret(caught.value)


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (401, {"error": "Invalid authentication header"}, AuthenticationError),
        (400, {"error": "Could not acquire lock"}, LockError),
        (200, {"number": "7"}, UnexpectedResponseError),
        (302, None, UnexpectedResponseError),
        (500, {"error": "boom"}, KomfortkasseError),
    ],
)
def test_api_errors_keep_the_secret(
    httpserver: HTTPServer,
    client: Komfortkasse,
    status: int,
    body: Any,
    expected: type[KomfortkasseError],
) -> None:
    headers = {"Location": httpserver.url_for("/login")} if status == 302 else None
    httpserver.expect_request("/api/v2/order/7/cancel").respond_with_data(
        b"" if body is None else json.dumps(body), status=status, headers=headers
    )
    with pytest.raises(expected) as caught:
        client.orders.cancel("7")
    assert_exception_keeps_the_secret(caught.value)


@pytest.mark.parametrize(
    "bad_key",
    [f" {SECRET}", f"{SECRET}\n", f"{SECRET} x", f"{SECRET}\u00e4", f"{SECRET}\t"],
    ids=["leading-space", "newline", "inner-space", "non-ascii", "tab"],
)
def test_bad_key_errors_do_not_echo_the_key(bad_key: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Komfortkasse(bad_key, base_url=PRODUCTION)
    assert_exception_keeps_the_secret(caught.value)


# --- configuration -------------------------------------------------------------------------


def test_missing_key_is_refused_before_any_request(httpserver: HTTPServer) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Komfortkasse(base_url=httpserver.url_for("/api/v2"))
    assert isinstance(caught.value, ValueError)
    assert "KOMFORTKASSE_API_KEY" in str(caught.value)
    with pytest.raises(ConfigurationError):
        AsyncKomfortkasse(base_url=httpserver.url_for("/api/v2"))
    assert httpserver.log == []


@pytest.mark.parametrize(
    "key", ["", " ", "   \t", "\n", "[your API key]", " [your API key] ", "[your API key]\n"]
)
def test_empty_blank_and_placeholder_keys_are_refused(httpserver: HTTPServer, key: str) -> None:
    with pytest.raises(ConfigurationError):
        Komfortkasse(key, base_url=httpserver.url_for("/api/v2"))
    with pytest.raises(ConfigurationError):
        AsyncKomfortkasse(key, base_url=httpserver.url_for("/api/v2"))
    assert httpserver.log == []


def test_placeholder_key_error_says_what_to_do() -> None:
    with pytest.raises(ConfigurationError, match="placeholder"):
        Komfortkasse("[your API key]", base_url=PRODUCTION)


@pytest.mark.parametrize("key", ["", "   ", "[your API key]"])
def test_bad_key_from_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("KOMFORTKASSE_API_KEY", key)
    with pytest.raises(ConfigurationError):
        Komfortkasse(base_url=PRODUCTION)


def test_key_from_the_environment_is_used(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMFORTKASSE_API_KEY", SECRET)
    httpserver.expect_request("/api/v2/order/7").respond_with_json(ORDER_JSON)
    with Komfortkasse(base_url=httpserver.url_for("/api/v2")) as kk:
        kk.orders.get("7")
    # An explicit key wins over the environment.
    with Komfortkasse("explicit-key-1", base_url=httpserver.url_for("/api/v2")) as kk:
        kk.orders.get("7")
    sent = [request.headers["X-Komfortkasse-API-Key"] for request, _ in httpserver.log]
    assert sent == [SECRET, "explicit-key-1"]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/api/v2",
        "http://ssl.komfortkasse.eu/api/v2",
        "http://localhost.example.com/api/v2",
        "http://127.0.0.1@example.com/api/v2",
        "http://10.0.0.1/api/v2",
        "ftp://ssl.komfortkasse.eu/api/v2",
        "ssl.komfortkasse.eu/api/v2",
        "https:///api/v2",
        "//ssl.komfortkasse.eu/api/v2",
    ],
)
def test_insecure_or_malformed_base_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        Komfortkasse(SECRET, base_url=url)
    assert isinstance(caught.value, ValueError)
    assert_exception_keeps_the_secret(caught.value)
    with pytest.raises(ConfigurationError):
        AsyncKomfortkasse(SECRET, base_url=url)


def test_insecure_base_url_from_the_environment_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KOMFORTKASSE_BASE_URL", "http://example.com/api/v2")
    with pytest.raises(ConfigurationError):
        Komfortkasse(SECRET)


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost",
        "http://localhost:8080/api/v2",
        "http://127.0.0.1/api/v2",
        "http://127.0.0.53:9/api/v2",
        "http://[::1]",
        "http://[::1]:8080/api/v2",
        "https://komfortkasse.test/api/v2",
    ],
)
def test_loopback_http_and_any_https_are_accepted(url: str) -> None:
    with Komfortkasse(SECRET, base_url=url) as kk:
        assert kk.base_url == url


def test_the_test_server_url_is_accepted_and_works(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    assert httpserver.url_for("/api/v2").startswith(("http://localhost:", "http://127.0.0.1:"))
    assert client.base_url == httpserver.url_for("/api/v2")
    httpserver.expect_request("/api/v2/order/7").respond_with_json(ORDER_JSON)
    assert client.orders.get("7").number == "7"


def test_default_base_url_is_production_over_https() -> None:
    with Komfortkasse(SECRET) as kk:
        assert kk.base_url == PRODUCTION
    assert AsyncKomfortkasse(SECRET).base_url == PRODUCTION


def test_base_url_from_the_environment(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KOMFORTKASSE_BASE_URL", httpserver.url_for("/api/v2/"))
    httpserver.expect_request("/api/v2/order/7").respond_with_json(ORDER_JSON)
    with Komfortkasse(SECRET) as kk:
        assert kk.base_url == httpserver.url_for("/api/v2")  # trailing slash dropped
        kk.orders.get("7")
    assert [request.path for request, _ in httpserver.log] == ["/api/v2/order/7"]
    # An explicit base_url wins over the environment.
    with Komfortkasse(SECRET, base_url="https://komfortkasse.test/api/v2") as kk:
        assert kk.base_url == "https://komfortkasse.test/api/v2"


@pytest.mark.parametrize("method", ["get", "submit", "upload"])
def test_key_travels_only_in_its_header(
    httpserver: HTTPServer, client: Komfortkasse, method: str
) -> None:
    httpserver.expect_request("/api/v2/order/7", method="GET").respond_with_json(ORDER_JSON)
    httpserver.expect_request("/api/v2/order/7", method="POST").respond_with_json(ORDER_JSON)
    httpserver.expect_request("/api/v2/order/7/invoice/INV-1").respond_with_data("")
    if method == "get":
        client.orders.get("7", include_postings=True)
    elif method == "submit":
        client.orders.submit("7", an_order())
    else:
        client.orders.upload_invoice("7", "INV-1", b"%PDF-1.4")
    (request, _), *_ = httpserver.log
    assert request.headers["X-Komfortkasse-API-Key"] == SECRET
    assert_no_secret(request.url, "URL")
    assert_no_secret(request.query_string.decode(), "query")
    assert_no_secret(request.get_data().decode("latin-1"), "body")
    other_headers = {
        k: v for k, v in request.headers.items() if k.lower() != "x-komfortkasse-api-key"
    }
    assert len(other_headers) == len(request.headers) - 1
    assert_no_secret(repr(other_headers), "other headers")
    assert "Authorization" not in request.headers
    assert "Cookie" not in request.headers


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_user_client_with_follow_redirects_still_does_not_follow(
    httpserver: HTTPServer, status: int
) -> None:
    login = httpserver.url_for("/login")
    httpserver.expect_request("/api/v2/order/7").respond_with_data(
        "", status=status, headers={"Location": login}
    )
    httpserver.expect_request("/login").respond_with_data("<html>login</html>")
    with httpx.Client(follow_redirects=True) as http:
        kk = Komfortkasse(
            SECRET, base_url=httpserver.url_for("/api/v2"), retry=FAST, http_client=http
        )
        with pytest.raises(UnexpectedResponseError) as caught:
            kk.orders.get("7")
    assert caught.value.status_code == status
    assert "redirect" in str(caught.value)
    assert [request.path for request, _ in httpserver.log] == ["/api/v2/order/7"]


@pytest.mark.anyio
async def test_async_user_client_with_follow_redirects_still_does_not_follow(
    httpserver: HTTPServer,
) -> None:
    httpserver.expect_request("/api/v2/orders").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/login")}
    )
    httpserver.expect_request("/login").respond_with_data("<html>login</html>")
    async with httpx.AsyncClient(follow_redirects=True) as http:
        kk = AsyncKomfortkasse(
            SECRET, base_url=httpserver.url_for("/api/v2"), retry=FAST, http_client=http
        )
        with pytest.raises(UnexpectedResponseError):
            await kk.orders.list()
    assert [request.path for request, _ in httpserver.log] == ["/api/v2/orders"]


def test_own_http_client_does_not_follow_redirects_by_default() -> None:
    with Komfortkasse(SECRET) as kk:
        assert kk._http.follow_redirects is False


@pytest.mark.anyio
async def test_user_http_client_of_the_wrong_kind_is_refused() -> None:
    async with httpx.AsyncClient() as async_http:
        with pytest.raises(ConfigurationError):
            Komfortkasse(SECRET, http_client=async_http)  # type: ignore[arg-type]
    with httpx.Client() as sync_http, pytest.raises(ConfigurationError):
        AsyncKomfortkasse(SECRET, http_client=sync_http)  # type: ignore[arg-type]


# --- TLS -----------------------------------------------------------------------------------


def test_tls_verification_is_on_for_the_own_http_clients() -> None:
    with Komfortkasse(SECRET) as kk:
        context = kk._http._transport._pool._ssl_context  # type: ignore[attr-defined]
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True
        # A view shares the same, verifying connection pool.
        assert kk.with_options(timeout=1.0)._http is kk._http
    async_kk = AsyncKomfortkasse(SECRET)
    context = async_kk._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(self_signed: tuple[Path, Path]) -> Iterator[HTTPServer]:
    cert, key = self_signed
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    server.expect_request("/api/v2/order/7").respond_with_json(ORDER_JSON)
    yield server
    server.clear()
    server.stop()


def test_an_untrusted_certificate_is_refused(
    tls_server: HTTPServer, self_signed: tuple[Path, Path]
) -> None:
    url = tls_server.url_for("/api/v2")
    assert url.startswith("https://127.0.0.1:")
    with (
        Komfortkasse(SECRET, base_url=url, retry=RetryPolicy.never()) as kk,
        pytest.raises(APIConnectionError) as caught,
    ):
        kk.orders.get("7")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert caught.value.request_sent is False
    assert tls_server.log == []  # no request, so the key never went out
    assert_exception_keeps_the_secret(caught.value)
    # The control: the same server works once its certificate is trusted.
    trusted = ssl.create_default_context(cafile=str(self_signed[0]))
    with httpx.Client(verify=trusted) as http:
        kk = Komfortkasse(SECRET, base_url=url, retry=RetryPolicy.never(), http_client=http)
        assert kk.orders.get("7").number == "7"
    assert len(tls_server.log) == 1


@pytest.mark.anyio
async def test_async_an_untrusted_certificate_is_refused(tls_server: HTTPServer) -> None:
    url = tls_server.url_for("/api/v2")
    async with AsyncKomfortkasse(SECRET, base_url=url, retry=RetryPolicy.never()) as kk:
        with pytest.raises(APIConnectionError) as caught:
            await kk.orders.get("7")
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert tls_server.log == []


def test_no_frame_of_a_failed_call_holds_the_key_in_its_locals() -> None:
    """Error reporters (Sentry and friends) capture frame locals: none may hold the key."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    with httpx.Client(transport=httpx.MockTransport(handler)) as http:
        kk = Komfortkasse(SECRET, base_url=PRODUCTION, retry=FAST, http_client=http)
        with pytest.raises(KomfortkasseError) as caught:
            kk.orders.get("7")
    rendered = "".join(
        traceback.TracebackException.from_exception(caught.value, capture_locals=True).format()
    )
    assert "kwargs" in rendered  # the locals really were captured
    assert SECRET not in rendered

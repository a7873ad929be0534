"""The server itself: keep-alive and connection counting, routes outside the API, the
requests log and key redaction, lifecycle, the pytest fixture, ``python -m``."""

from __future__ import annotations

import datetime
import json
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from komfortkasse import testing as fake_package
from komfortkasse.testing import FakeKomfortkasse
from tests.entry_points import banner, capture_stdout, interrupt_main_thread_when, run_as_script
from tests.fake.support import create, order_body


def test_keep_alive_uses_one_connection(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    before = fake.connection_count
    for _ in range(100):
        assert http.get("/orders").status_code == 200
    assert fake.connection_count - before == 1


def test_each_client_connection_is_counted(fake: FakeKomfortkasse) -> None:
    for _ in range(3):
        httpx.get(f"{fake.url}/orders")
    assert fake.connection_count == 3


def test_url_and_key(fake: FakeKomfortkasse) -> None:
    assert fake.url.startswith("http://127.0.0.1:")
    assert fake.url.endswith("/api/v2")
    assert fake.url == f"http://127.0.0.1:{fake.port}/api/v2"
    assert fake.api_key != "[your API key]"
    assert len(fake.api_key) >= 20
    assert FakeKomfortkasse().api_key != FakeKomfortkasse().api_key


def test_outside_the_api_redirects_to_login(fake: FakeKomfortkasse) -> None:
    origin = fake.url.removesuffix("/api/v2")
    for path in ("/", "/api/v1/orders", "/orders", "/api/v2x"):
        response = httpx.get(origin + path)
        assert response.status_code == 302, path
        assert response.headers["location"] == f"{origin}/login"
    followed = httpx.get(origin + "/orders", follow_redirects=True)
    assert followed.status_code == 200
    assert followed.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", ""), ("GET", "/"), ("GET", "/order"), ("DELETE", "/order/1"), ("GET", "/x/y/z")],
)
def test_malformed_api_route_is_a_blank_404(
    http: httpx.Client, fake: FakeKomfortkasse, method: str, path: str
) -> None:
    response = http.request(method, fake.url + path)
    assert response.status_code == 404
    assert response.content.strip() == b""


def test_requests_log_redacts_the_key(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1001")
    http.get("/orders", params={"paymentStatus": "PAID", "maxAge": "5"})
    post, get = fake.requests
    assert (post.method, post.path) == ("POST", "/api/v2/order/1001")
    assert post.json() == order_body()
    assert post.headers["content-type"] == "application/json"
    assert post.headers["x-komfortkasse-api-key"] == "<redacted>"
    assert get.query == {"paymentStatus": ["PAID"], "maxAge": ["5"]}
    assert get.body == b""
    everything = repr(fake) + repr(fake.requests) + repr(fake.shop()) + repr(fake.orders())
    assert fake.api_key not in everything


def test_secrets_not_in_reprs(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.set_callback("http://127.0.0.1:9/hook", "callback-secret")
    create(http, "1")
    http.post("/order/1/cancel")
    shown = repr(fake.shop()) + repr(fake.pending_callbacks) + repr(fake.callback_log)
    assert "callback-secret" not in shown
    assert fake.api_key not in shown


def test_chunked_request_body(fake: FakeKomfortkasse, http: httpx.Client) -> None:

    def chunks() -> object:
        data = json.dumps(order_body()).encode()
        yield data[:10]
        yield data[10:]

    response = http.post("/order/1", content=chunks())  # type: ignore[arg-type]
    assert response.status_code == 200, response.text
    assert fake.requests[-1].headers.get("transfer-encoding") == "chunked"


def test_reset(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    key = fake.api_key
    other = fake.add_shop()
    create(http, "1")
    fake.advance_days(3)
    fake.inject_fault("500")
    fake.reset()
    assert fake.orders() == []
    assert fake.requests == []
    assert fake.today == datetime.date(2024, 5, 13)
    assert fake.api_key == key
    assert http.get("/orders").status_code == 200  # the fault is gone too
    response = http.get("/orders", headers={"X-Komfortkasse-API-Key": other})
    assert response.status_code == 401


def test_start_stop_and_fixed_port() -> None:
    fake = FakeKomfortkasse()
    with pytest.raises(RuntimeError, match="not started"):
        _ = fake.url
    fake.start()
    port = fake.port
    assert fake.start() is fake  # idempotent
    with httpx.Client() as http:
        assert http.get(f"{fake.url}/orders").status_code == 401
        fake.stop()
        # The idle keep-alive connection was closed and nothing listens any more.
        with pytest.raises(httpx.TransportError):
            http.get(f"http://127.0.0.1:{port}/api/v2/orders")
    fake.stop()  # idempotent
    with FakeKomfortkasse(port=port) as again:
        assert again.port == port


def test_explicit_key_and_today() -> None:
    with FakeKomfortkasse(api_key="my-test-key", today=datetime.date(2020, 2, 29)) as fake:
        assert fake.api_key == "my-test-key"
        assert fake.today == datetime.date(2020, 2, 29)
        response = httpx.get(
            f"{fake.url}/orders", headers={"X-Komfortkasse-API-Key": "my-test-key"}
        )
        assert response.status_code == 200


def test_default_clock_starts_today() -> None:
    assert FakeKomfortkasse().today == datetime.date.today()


def test_pytest_fixture(komfortkasse_fake: FakeKomfortkasse) -> None:
    headers = {"X-Komfortkasse-API-Key": komfortkasse_fake.api_key}
    response = httpx.post(f"{komfortkasse_fake.url}/order/1", json=order_body(), headers=headers)
    assert response.status_code == 200
    assert komfortkasse_fake.order("1").payment_status == "UNPAID"


def test_pytest_plugin_is_registered(pytestconfig: pytest.Config) -> None:
    plugin = pytestconfig.pluginmanager.get_plugin("komfortkasse")
    assert plugin is not None
    assert plugin.__name__ == "komfortkasse.testing.pytest_plugin"


def test_plugin_import_is_light() -> None:
    code = (
        "import sys, komfortkasse.testing.pytest_plugin; "
        "print(sorted(m for m in ('jsonschema', 'segno', 'komfortkasse.testing._fake') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=30
    )
    assert result.stdout.strip() == "[]"


def test_python_dash_m() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "komfortkasse.testing", "--port", "0", "--api-key", "cli-key"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().removeprefix("URL: ")
        key = process.stdout.readline().strip().removeprefix("API key: ")
        assert key == "cli-key"
        response = httpx.get(f"{url}/orders", headers={"X-Komfortkasse-API-Key": key}, timeout=5)
        assert response.status_code == 200
        assert response.json() == []
    finally:
        process.terminate()
        assert process.wait(timeout=5) == 0
        if process.stdout is not None:
            process.stdout.close()


def test_concurrent_writers(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def submit(number: int) -> str:
        response = http.post(f"/order/{number}", json=order_body())
        assert response.status_code == 200
        reference: str = response.json()["referenceNumber"]
        return reference

    with ThreadPoolExecutor(max_workers=8) as pool:
        references = list(pool.map(submit, range(40)))
    assert len(set(references)) == 40
    assert len(fake.orders()) == 40
    assert fake.connection_count <= 8


def test_deeply_nested_body_is_invalid_json(http: httpx.Client) -> None:
    response = http.post("/order/1", content=b"[" * 100_000 + b"]" * 100_000)
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid JSON, comments not allowed in JSON body"}


def test_check_responses_reports_a_response_the_spec_forbids(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    create(http, "1")
    fake.order("1").data["currency"] = 978  # not a string: the fake would lie
    response = http.get("/order/1")
    assert response.status_code == 500
    assert "violates the spec" in response.json()["error"]
    assert "currency" in response.json()["error"]


def test_testing_package_exports_lazily_and_lists_them() -> None:
    assert fake_package.FaultKind("500").value == "500"
    names = dir(fake_package)
    assert set(fake_package.__all__) <= set(names)
    assert names == sorted(names)
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        _ = fake_package.Nope


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

    stdout = capture_stdout(monkeypatch)
    answers: list[Any] = []

    def query() -> None:
        printed = banner(stdout)
        url, key = printed["URL"], printed["API key"]
        request = urllib.request.Request(
            url + "/order/1001", headers={"X-Komfortkasse-API-Key": key}
        )
        try:
            urllib.request.urlopen(request, timeout=5)
        except urllib.error.HTTPError as error:
            answers.append((key, error.code))
            error.close()

    thread = interrupt_main_thread_when(lambda: stdout.text.count("\n") >= 2, query, signum)
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

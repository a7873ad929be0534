"""The fake's HTTP control endpoints (/_fake/...) and the `komfortkasse fake` commands:
what a test suite in PHP, Java or Node drives the fake with."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from komfortkasse.testing import FakeKomfortkasse
from komfortkasse.testing._control import ENDPOINTS
from komfortkasse.testing._protocol import CONTROL_PREFIX, MARKER_HEADER, TOKEN_ENV, TOKEN_HEADER
from tests.conftest import Run
from tests.fake.support import TODAY, CallbackReceiver, create, order_body
from tests.transports import closed_url

TOKEN = "control-token-for-tests"


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    return {"today": TODAY, "control_token": TOKEN, "callback_timeout": 1.0}


@pytest.fixture
def control(fake: FakeKomfortkasse) -> Iterator[httpx.Client]:
    """A raw HTTP client for the control endpoints, as any language would use them."""
    with httpx.Client(base_url=fake.control_url, headers={TOKEN_HEADER: TOKEN}, timeout=10) as c:
        yield c


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    assert response.headers[MARKER_HEADER] == "control"
    return response.json()


def refused(response: httpx.Response, status: int, fragment: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers[MARKER_HEADER] == "control"
    assert fragment in response.json()["error"]


# -- the endpoints, over HTTP --------------------------------------------------------------


def test_info_lists_every_endpoint(fake: FakeKomfortkasse, control: httpx.Client) -> None:
    info = ok(control.get(""))
    assert info["today"] == TODAY.isoformat()
    assert info["url"] == fake.url
    listed = {(e["method"], e["path"]) for e in info["endpoints"]}
    assert listed == {(e.method, e.full_path) for e in ENDPOINTS}
    assert ok(control.get("/")) == info


def test_payments(fake: FakeKomfortkasse, http: httpx.Client, control: httpx.Client) -> None:
    create(http, "1001")
    posting = ok(control.post("/payments", json={"order": "1001", "amount": "10.00"}))
    assert (posting["amount"], posting["reference"]) == (10, fake.order("1001").reference_number)
    ok(control.post("/payments", json={"order": "1001", "amount": 12.38, "reference": "R",
                                       "payerIban": "DE02120300000000202051"}))  # fmt: skip
    read = http.get("/order/1001", params={"includePostings": "true"}).json()
    assert (read["paymentStatus"], read["amountPaid"]) == ("PAID", 22.38)
    assert read["hasBankDetailsForRefund"] is True
    refused(control.post("/payments", json={"order": "nope", "amount": 1}), 404, "no order")
    refused(control.post("/payments", json={"order": "1001"}), 400, "'amount'")
    refused(control.post("/payments", json={"order": "1001", "amount": "x"}), 400, "not a number")
    refused(control.post("/payments", json={"amount": 1}), 400, "'order'")
    other = fake.add_shop()
    refused(control.post("/payments", json={"order": "1001", "amount": 1, "shop": other}),
            404, "no order")  # fmt: skip
    refused(control.post("/payments", json={"order": "1001", "amount": 1, "shop": "x"}),
            404, "no shop")  # fmt: skip


def test_clock(fake: FakeKomfortkasse, http: httpx.Client, control: httpx.Client) -> None:
    create(http, "1001", dueDate=order_body()["date"])
    assert ok(control.get("/clock")) == {
        "today": TODAY.isoformat(),
        "now": f"{TODAY.isoformat()}T00:00:00",
    }
    moved = ok(control.post("/clock", json={"days": 7, "minutes": 30}))
    assert moved["today"] == (TODAY + datetime.timedelta(days=7)).isoformat()
    assert moved["now"].endswith("T00:30:00")
    assert fake.order("1001").dunning_level == 1  # the day's rules ran
    refused(control.post("/clock", json={}), 400, "give 'days'")
    refused(control.post("/clock", json={"days": -1}), 400, ">= 0")
    refused(control.post("/clock", json={"days": True}), 400, "whole number")


def test_locks(http: httpx.Client, control: httpx.Client) -> None:
    create(http, "1001")
    assert ok(control.post("/locks", json={"order": "1001", "times": 2})) == {
        "order": "1001",
        "times": 2,
    }
    for _ in range(2):
        assert http.post("/order/1001/cancel").json() == {"error": "Could not acquire lock"}
    assert http.post("/order/1001/cancel").status_code == 200
    refused(control.post("/locks", json={"order": "1001", "times": 0}), 400, ">= 1")


def test_faults(fake: FakeKomfortkasse, http: httpx.Client, control: httpx.Client) -> None:
    body = {"kind": "502_html", "times": 1, "pathContains": "/orders"}
    assert ok(control.post("/faults", json=body)) == body
    answer = http.get("/orders")
    assert answer.status_code == 502
    assert answer.headers["content-type"].startswith("text/html")
    assert http.get("/orders").status_code == 200
    ok(control.post("/faults", json={"kind": "500"}))
    ok(control.get("/clock"))  # control requests never meet a fault
    assert http.get("/orders").status_code == 500
    ok(control.post("/faults", json={"kind": "delay", "delay": 0.01}))
    assert http.get("/orders").status_code == 200
    refused(control.post("/faults", json={"kind": "boom"}), 400, "one of 500, 502_html")
    refused(control.post("/faults", json={"kind": "delay", "delay": -1}), 400, "'delay'")


def test_requests_are_recorded_without_key_or_control_calls(
    fake: FakeKomfortkasse, http: httpx.Client, control: httpx.Client
) -> None:
    create(http, "1001")
    http.get("/orders", params={"maxAge": "3"})
    recorded = ok(control.get("/requests"))
    assert [(r["method"], r["path"]) for r in recorded] == [
        ("POST", "/api/v2/order/1001"),
        ("GET", "/api/v2/orders"),
    ]
    assert recorded[1]["query"] == {"maxAge": ["3"]}
    assert recorded[0]["headers"]["x-komfortkasse-api-key"] == "<redacted>"
    assert json.loads(recorded[0]["body"])["currency"] == "EUR"
    assert fake.api_key not in json.dumps(recorded)
    assert len(fake.requests) == 2  # the control calls are not API traffic


def test_callback_and_its_log(
    fake: FakeKomfortkasse, http: httpx.Client, control: httpx.Client, receiver: CallbackReceiver
) -> None:
    ok(control.post("/callback", json={"url": receiver.url, "accessCode": "code"}))
    create(http, "1001")
    http.post("/order/1001/setpaid")
    [(headers, body)] = receiver.received
    assert headers["x-komfortkasse-access-code"] == "code"
    assert body["paymentStatus"] == "PAID"
    [attempt] = ok(control.get("/callbacks"))
    assert attempt["order"] == "1001"
    assert (attempt["outcome"], attempt["statusCode"], attempt["gaveUp"]) == (
        "delivered",
        200,
        False,
    )
    refused(control.post("/callback", json={"url": receiver.url}), 400, "'accessCode'")


def test_bank_details(fake: FakeKomfortkasse, http: httpx.Client, control: httpx.Client) -> None:
    create(http, "1001")
    ok(control.post("/bank-details", json={"order": "1001"}))
    assert fake.order("1001").customer_iban
    ok(control.post("/bank-details", json={"order": "1001", "iban": "AT611904300234573201"}))
    assert fake.order("1001").customer_iban == "AT611904300234573201"
    refused(control.post("/bank-details", json={"order": "1001", "iban": "DE00"}), 400, "IBAN")


def test_reset(fake: FakeKomfortkasse, http: httpx.Client, control: httpx.Client) -> None:
    create(http, "1001")
    ok(control.post("/clock", json={"days": 3}))
    assert ok(control.post("/reset")) == {"reset": True, "today": TODAY.isoformat()}
    assert fake.orders() == []
    assert ok(control.get("/requests")) == []
    assert http.get("/orders").json() == []  # same API key after a reset


# -- the guards ----------------------------------------------------------------------------


def test_control_needs_the_token(fake: FakeKomfortkasse) -> None:
    with httpx.Client(base_url=fake.control_url) as anonymous:
        refused(anonymous.get("/clock"), 403, "control token missing")
        refused(anonymous.post("/reset", headers={TOKEN_HEADER: "guess"}), 403, "wrong")
        refused(anonymous.post("/reset", headers={TOKEN_HEADER: fake.api_key}), 403, "wrong")
    assert fake.requests == []


def test_unknown_endpoint_and_wrong_method(control: httpx.Client) -> None:
    refused(control.get("/nope"), 404, "no control endpoint /_fake/nope")
    refused(control.get("/reset"), 405, "GET not allowed on /_fake/reset (use POST)")
    refused(control.post("/payments", content=b"{not json"), 400, "Invalid JSON")
    refused(control.post("/payments", json=[1]), 400, "a JSON object")


def test_the_token_on_an_api_path_is_refused(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    answer = http.get("/orders", headers={TOKEN_HEADER: TOKEN})
    assert answer.status_code == 400
    assert "control endpoints are under /_fake/" in answer.json()["error"]
    assert http.get("/orders").status_code == 200
    assert fake.requests[0].headers[TOKEN_HEADER.lower()] == "<redacted>"


def test_control_paths_stay_outside_the_api(fake: FakeKomfortkasse) -> None:
    assert not fake.url.endswith(CONTROL_PREFIX)
    with httpx.Client(headers={TOKEN_HEADER: TOKEN}) as http:
        # Below /api/v2 the control prefix is an API path: the token is refused there,
        # and without it the path is just an unknown API route.
        assert http.get(f"{fake.url}{CONTROL_PREFIX}/clock").status_code == 400
    assert httpx.get(f"{fake.url}{CONTROL_PREFIX}/clock").status_code == 404
    # A lookalike prefix is not the control prefix: the login-page redirect.
    assert httpx.get(fake.url.removesuffix("/api/v2") + "/_fakes").status_code == 302


def test_control_token_is_random_unless_given() -> None:
    with FakeKomfortkasse() as one, FakeKomfortkasse() as two:
        assert one.control_token != two.control_token
        assert one.control_token.startswith("fake-control-")
        assert one.control_url.endswith("/_fake")
    with pytest.raises(ValueError, match="control_token"):
        FakeKomfortkasse(control_token=" ")


# -- the command line: komfortkasse fake ... -------------------------------------------------


def test_fake_commands_drive_the_fake(
    fake: FakeKomfortkasse,
    http: httpx.Client,
    receiver: CallbackReceiver,
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TOKEN_ENV, TOKEN)
    monkeypatch.setenv("KOMFORTKASSE_BASE_URL", fake.url)
    create(http, "1001")
    assert run("fake", "pay", "1001", "10.00")[:2] == (
        0,
        "posting 1: 10.00 paid for order 1001\n",
    )
    code, out, _ = run("fake", "pay", "1001", "12.38", "--reference", "R-9",
                       "--payer-iban", "DE02120300000000202051", "--json")  # fmt: skip
    assert (code, json.loads(out)["reference"]) == (0, "R-9")
    assert fake.order("1001").payment_status == "PAID"
    assert run("fake", "advance", "3")[1] == f"fake today: {TODAY + datetime.timedelta(days=3)}\n"
    assert "fake today:" in run("fake", "today")[1]
    assert run("fake", "lock", "1001", "--times", "2")[0] == 0
    assert fake.shop().held_locks == {"1001": 2}
    code, out, _ = run("fake", "fault", "500", "--path-contains", "/orders")
    assert out == "the next 1 request(s) whose path contains '/orders' get 500\n"
    assert http.get("/orders").status_code == 500
    code, out, _ = run("fake", "requests")
    assert out.splitlines()[-1].endswith("request(s)")
    assert "GET /api/v2/orders" in out
    code, out, _ = run("fake", "requests", "--json")
    assert json.loads(out)[0]["path"] == "/api/v2/order/1001"
    assert run("fake", "callback", receiver.url, "code")[0] == 0
    create(http, "1002")
    assert run("fake", "bank-details", "1002")[0] == 0
    assert fake.order("1002").customer_iban
    monkeypatch.delenv("KOMFORTKASSE_BASE_URL")
    assert run("--base-url", fake.url, "fake", "reset")[1] == (
        f"fake reset: no orders, today {TODAY}\n"
    )
    assert fake.orders() == []


def test_fake_command_errors(
    fake: FakeKomfortkasse, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.delenv("KOMFORTKASSE_BASE_URL", raising=False)
    code, _, err = run("fake", "reset", "--token", TOKEN)
    assert code == 2
    assert err.startswith("error: which fake? give --url")
    code, _, err = run("fake", "reset", "--url", fake.url)
    assert code == 2
    assert f"no control token: give --token or set {TOKEN_ENV}" in err
    code, _, err = run("fake", "pay", "nope", "1", "--url", fake.url, "--token", TOKEN)
    assert (code, err) == (1, "error: fake pay: no order 'nope' (HTTP 404)\n")
    code, out, _ = run("--json", "fake", "reset", "--url", fake.url, "--token", "wrong")
    assert code == 1
    assert json.loads(out)["error"]["status"] == 403
    code, _, err = run("fake", "reset", "--url", "https://ssl.example.test/api/v2",
                       "--token", TOKEN)  # fmt: skip
    assert code == 2
    assert "only talk to a fake on this machine" in err
    assert run("fake", "reset", "--url", "nonsense", "--token", TOKEN)[0] == 2
    assert fake.orders() == []


def test_fake_commands_refuse_what_is_not_a_fake(httpserver: HTTPServer, run: Run) -> None:
    # The real API redirects unknown paths to its login page: no marker header there.
    login = {"Location": "/login"}
    httpserver.expect_request("/_fake/reset").respond_with_data("", status=302, headers=login)
    code, _, err = run("fake", "reset", "--url", httpserver.url_for("/api/v2"),
                       "--token", TOKEN)  # fmt: skip
    assert code == 4
    assert "is not a fake Komfortkasse (no X-Fake-Komfortkasse header); nothing was done" in err


def test_fake_commands_when_the_fake_is_down(run: Run) -> None:
    code, _, err = run("fake", "today", "--url", closed_url(""), "--token", "t")
    assert code == 3
    assert "cannot reach the fake" in err


# -- starting it: fake-server --today, python -m komfortkasse.testing ------------------------


def banner_of(process: subprocess.Popen[str]) -> dict[str, str]:
    assert process.stdout is not None
    lines = [process.stdout.readline().strip() for _ in range(4)]
    return dict(line.split(": ", 1) for line in lines)


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, "-m", "komfortkasse.testing", "--today", "2026-11-02"],
        [sys.executable, "-m", "komfortkasse.cli", "fake-server", "--today", "02-11-2026"],
    ],
    ids=["python-m", "cli"],
)
def test_entry_points_take_today_and_print_the_control_token(
    command: list[str], tmp_path: Path
) -> None:
    process = subprocess.Popen(
        [*command, "--port", "0", "--control-token", "tok-123"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        banner = banner_of(process)
        assert list(banner) == ["URL", "API key", "Control URL", "Control token"]
        assert banner["Control token"] == "tok-123"
        answer = httpx.get(f"{banner['Control URL']}/clock", headers={TOKEN_HEADER: "tok-123"})
        assert answer.json()["today"] == "2026-11-02"
    finally:
        process.terminate()
        process.wait(10)
        assert process.stdout is not None
        process.stdout.close()


def test_fake_commands_report_a_broken_fake_answer(httpserver: HTTPServer, run: Run) -> None:
    marker = {MARKER_HEADER: "control"}
    httpserver.expect_request("/_fake/reset").respond_with_data("oops", 500, headers=marker)
    code, _, err = run("fake", "reset", "--url", httpserver.url_for("/"), "--token", "t")
    assert (code, err) == (1, "error: fake reset: INTERNAL SERVER ERROR (HTTP 500)\n")


def test_fake_bank_details_with_an_iban(
    fake: FakeKomfortkasse, http: httpx.Client, run: Run
) -> None:
    create(http, "1001")
    code, out, _ = run("fake", "bank-details", "1001", "AT611904300234573201",
                       "--url", fake.url, "--token", TOKEN)  # fmt: skip
    assert (code, out) == (0, "bank details of order 1001 are known\n")
    assert fake.order("1001").customer_iban == "AT611904300234573201"

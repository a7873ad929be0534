"""Injected faults: each kind, its scope (times, path_contains) and whether the request
still takes effect."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from komfortkasse.testing import FakeKomfortkasse, FaultKind
from tests.fake.support import create, order_body


def test_server_error(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault("500")
    response = http.get("/orders")
    assert response.status_code == 500
    assert response.json() == {"error": "Internal server error"}
    assert http.get("/orders").status_code == 200


NON_JSON = {
    "502_html": (502, "text/html", b"<html>"),
    "html_200": (200, "text/html", b"Login"),
    "520": (520, None, b""),
    "empty_200": (200, "application/json", b""),
}


@pytest.mark.parametrize("kind", NON_JSON)
def test_non_json_answers(fake: FakeKomfortkasse, http: httpx.Client, kind: str) -> None:
    status, content_type, marker = NON_JSON[kind]
    fake.inject_fault(kind)
    response = http.get("/orders")
    assert response.status_code == status
    if marker:
        assert marker in response.content
    else:
        assert response.content == b""
    if content_type is None:
        assert "content-type" not in response.headers
    else:
        assert response.headers["content-type"].startswith(content_type)


def test_truncated_json(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault(FaultKind.TRUNCATED_JSON)
    response = http.get("/orders")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()


def test_redirect_to_login(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault("redirect")
    response = http.get("/orders")
    assert response.status_code == 302
    login = response.headers["location"]
    assert login.endswith("/login")
    page = httpx.get(login)
    assert page.status_code == 200
    assert b"password" in page.content


def test_faults_change_nothing(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault("500")
    assert http.post("/order/1", json=order_body()).status_code == 500
    assert fake.orders() == []


def test_times_and_path_contains(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    create(http, "1")
    fake.inject_fault("500", times=2, path_contains="/setpaid")
    assert http.get("/order/1").status_code == 200
    assert http.post("/order/1/setpaid").status_code == 500
    assert http.post("/order/1/setpaid").status_code == 500
    assert http.post("/order/1/setpaid").status_code == 200


def test_path_contains_sees_the_query(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault("520", path_contains="paymentStatus=PAID")
    assert http.get("/orders").status_code == 200
    assert http.get("/orders", params={"paymentStatus": "PAID"}).status_code == 520


def test_delay(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault("delay", delay=0.2)
    started = time.monotonic()
    assert http.get("/orders").status_code == 200
    assert time.monotonic() - started >= 0.2
    fake.inject_fault("delay", delay=0.3)
    with pytest.raises(httpx.ReadTimeout):
        http.get("/orders", timeout=0.05)


def test_drop_changes_nothing(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault("drop")
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/order/1", json=order_body())
    assert fake.orders() == []
    assert fake.requests[-1].path == "/api/v2/order/1"  # it was received
    assert http.post("/order/1", json=order_body()).status_code == 200


def test_drop_after_handling_applies_the_change(fake: FakeKomfortkasse, http: httpx.Client) -> None:
    fake.inject_fault("drop_after_handling")
    with pytest.raises(httpx.RemoteProtocolError):
        http.post("/order/1", json=order_body())
    assert [o.number for o in fake.orders()] == ["1"]


def test_wrong_answer_applies_the_change_and_answers_about_something_else(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    fake.inject_fault("wrong_answer")
    answer = http.post("/order/1", json=order_body())
    assert answer.status_code == 200
    assert answer.json()["number"] == "1-OTHER"
    assert [o.number for o in fake.orders()] == ["1"]  # the change took place
    fake.inject_fault("wrong_answer")
    assert [o["number"] for o in http.get("/orders").json()] == ["1-OTHER"]
    fake.inject_fault("wrong_answer")
    assert http.post("/ordersync", json=["1"]).json() == -5
    fake.inject_fault("wrong_answer")
    upload = http.post("/order/1/invoice/R-1", files={"file": ("R-1.pdf", b"%PDF", "x")})
    assert upload.json() == {"error": "File missing"}
    fake.inject_fault("wrong_answer")
    assert http.get("/order/nope").status_code == 404  # an error stays as it was


def test_fault_kinds_table() -> None:
    assert {kind.value for kind in FaultKind} == {
        "500",
        "502_html",
        "html_200",
        "redirect",
        "520",
        "empty_200",
        "truncated_json",
        "delay",
        "drop",
        "drop_after_handling",
        "wrong_answer",
        "drip",
        "oversized",
        "gzip_bomb",
        "echo_key",
    }
    assert FaultKind.WRONG_ANSWER.handles_request
    with pytest.raises(ValueError, match="nope"):
        FakeKomfortkasse().inject_fault("nope")

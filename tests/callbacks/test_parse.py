"""``callbacks.parse``: the access code checked in constant time, in any header case, and
the body read as an order or refused with the reason."""

from __future__ import annotations

import json

import pytest

from komfortkasse import (
    ConfigurationError,
    OrderRead,
    PaymentStatus,
    callbacks,
)
from tests.callbacks.support import BODY, CODE
from tests.samples import order_json


def test_parse_accepts_the_right_code_in_any_header_case() -> None:
    parsed = callbacks.parse({"x-komfortkasse-access-code": CODE}, BODY, CODE)
    assert isinstance(parsed, OrderRead)
    assert parsed.payment_status is PaymentStatus.PAID
    assert callbacks.parse([("X-KOMFORTKASSE-ACCESS-CODE", CODE)], BODY, CODE).number == "1001"


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Komfortkasse-Access-Code": "wrong"}, {"X-Komfortkasse-Access-Code": CODE.upper()},
     {"X-Komfortkasse-Access-Code": ""}, {"X-Other": CODE}],
)  # fmt: skip
def test_parse_refuses_missing_or_wrong_codes(headers: dict[str, str]) -> None:
    with pytest.raises(callbacks.CallbackAuthError) as caught:
        callbacks.parse(headers, BODY, CODE)
    assert CODE not in str(caught.value)
    assert CODE.upper() not in str(caught.value)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'{"number": "1"}', "not an order"),
        (json.dumps(order_json("1", date="2018-04-25")).encode(), "not an order"),
        (b"x" * 2000, "exceeds"),
    ],
)
def test_parse_refuses_bad_bodies(body: bytes, message: str) -> None:
    with pytest.raises(callbacks.CallbackPayloadError, match=message):
        callbacks.parse({"X-Komfortkasse-Access-Code": CODE}, body, CODE, max_body=1000)


def test_receivers_need_a_code() -> None:
    with pytest.raises(ConfigurationError):
        callbacks.wsgi_app("", lambda order: None)
    with pytest.raises(ConfigurationError):
        callbacks.asgi_app(" ", lambda order: None)


def test_callbacks_refuse_non_finite_amounts() -> None:
    body = BODY.replace(b"22.38", b"NaN")
    with pytest.raises(callbacks.CallbackPayloadError, match="finite"):
        callbacks.parse({"X-Komfortkasse-Access-Code": "code"}, body, "code")

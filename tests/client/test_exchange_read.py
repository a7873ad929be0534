"""An answer httpx already holds in memory (``MockTransport``, a read response)
goes through the same cap and deadline as one read off the wire."""

from __future__ import annotations

import datetime

import httpx
import pytest

from komfortkasse import APIError, APITimeoutError, UnexpectedResponseError
from komfortkasse._config import ClientConfig
from komfortkasse._exchange import ERROR_READ_BYTES, Exchange
from komfortkasse._operations import build_call
from komfortkasse._retry import RetryPolicy
from komfortkasse._secret import _Secret
from komfortkasse_generated.api import OPERATIONS

CALL = build_call(OPERATIONS["getOrder"], {"orderNumber": "1"}, {}, None, datetime.date.min)
JSON = httpx.Headers({"content-type": "application/json"})


def _config(cap: int) -> ClientConfig:
    return ClientConfig(
        api_key=_Secret("k"),
        base_url="https://h.example",
        timeout=httpx.Timeout(5.0),
        retry=RetryPolicy(),
        max_response_bytes=cap,
    )


def test_a_body_at_the_cap_is_kept_as_it_is() -> None:
    body = b'{"error": "x"}' + b" " * 6
    exchange = Exchange(CALL, _config(len(body)))
    assert exchange.begin(200, JSON, read=body) is False
    assert exchange._buffer is body  # not copied
    with pytest.raises(APIError, match="x"):  # the API's error in a 200: decoded
        exchange.result()


def test_a_200_over_the_cap_is_refused() -> None:
    body = b"[" + b" " * 20 + b"]"
    exchange = Exchange(CALL, _config(len(body) - 1))
    with pytest.raises(UnexpectedResponseError, match="max_response_bytes"):
        exchange.begin(200, JSON, read=body)


def test_of_a_long_error_answer_its_start_is_kept() -> None:
    body = b"x" * (ERROR_READ_BYTES + 10)
    exchange = Exchange(CALL, _config(2**20))
    assert exchange.begin(500, JSON, read=body) is False
    assert bytes(exchange._buffer) == body[:ERROR_READ_BYTES]


def test_an_answer_after_the_deadline_is_a_timeout() -> None:
    now = [0.0]
    exchange = Exchange(CALL, _config(2**20), clock=lambda: now[0])
    now[0] = 6.0  # past the 5 s budget
    with pytest.raises(APITimeoutError, match="longer than its 5 s"):
        exchange.begin(200, JSON, read=b"{}")


@pytest.mark.parametrize("length", ["²", "١٢", "12x", "-1"])
def test_a_content_length_that_is_not_ascii_digits_is_not_taken_as_a_size(length: str) -> None:
    """``"²".isdigit()`` is true, but ``int("²")`` raises: such a header must not
    crash the read (the body itself is still counted against the cap)."""
    raw = [(b"content-type", b"application/json"), (b"content-length", length.encode())]
    headers = httpx.Headers(raw)
    assert headers["content-length"] == length
    exchange = Exchange(CALL, _config(1_000))
    assert exchange.begin(200, headers) is True

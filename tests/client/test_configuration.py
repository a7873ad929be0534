"""Settings refused at construction, as a ``ConfigurationError`` naming the setting (bad
timeouts, a key that is not a string, a base URL that is not one), and a closed client."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest

from komfortkasse import (
    AsyncKomfortkasse,
    ConfigurationError,
    Komfortkasse,
)
from tests.samples import KEY
from tests.transports import TEST_URL


def test_a_call_after_close_is_a_configuration_error() -> None:
    kk = Komfortkasse(KEY, base_url=TEST_URL)
    kk.close()
    with pytest.raises(ConfigurationError, match="closed"):
        kk.orders.get("1001")


@pytest.mark.anyio
async def test_an_async_call_after_aclose_is_a_configuration_error() -> None:
    kk = AsyncKomfortkasse(KEY, base_url=TEST_URL)
    await kk.aclose()
    with pytest.raises(ConfigurationError, match="closed"):
        await kk.orders.get("1001")


@pytest.mark.parametrize(
    "timeout",
    ["30", -1, 0, math.nan, math.inf, True, httpx.Timeout(5.0, read=-1.0)],
    ids=["str", "negative", "zero", "nan", "inf", "bool", "httpx-negative-read"],
)
def test_bad_timeouts_are_refused_at_construction(timeout: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        Komfortkasse(KEY, base_url=TEST_URL, timeout=timeout)
    with pytest.raises(ConfigurationError, match="timeout"):
        AsyncKomfortkasse(KEY, base_url=TEST_URL, timeout=timeout)
    with (
        Komfortkasse(KEY, base_url=TEST_URL) as kk,
        pytest.raises(ConfigurationError, match="timeout"),
    ):
        kk.with_options(timeout=timeout)


def test_other_bad_settings_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="base_url must be a str"):
        Komfortkasse(KEY, base_url=b"https://x.example")  # type: ignore[arg-type]
    with (
        Komfortkasse(KEY, base_url=TEST_URL) as kk,
        pytest.raises(ConfigurationError, match="RetryPolicy"),
    ):
        kk.with_options(retry="never")  # type: ignore[arg-type]


def test_good_timeouts_are_kept() -> None:
    with Komfortkasse(KEY, base_url=TEST_URL, timeout=5) as kk:
        assert kk.timeout == httpx.Timeout(5.0)
        assert kk.with_options(timeout=None).timeout == httpx.Timeout(None)


@pytest.mark.parametrize("key", [123, b"bytes-key", ["k"]])
def test_an_api_key_that_is_not_a_str_is_refused(key: Any) -> None:
    with pytest.raises(ConfigurationError, match="api_key must be a str"):
        Komfortkasse(key, base_url=TEST_URL)


@pytest.mark.parametrize("value", [0, -1, "1000", 1.5, True])
def test_max_response_bytes_must_be_a_positive_whole_number(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="max_response_bytes"):
        Komfortkasse(KEY, base_url=TEST_URL, max_response_bytes=value)
    with (
        Komfortkasse(KEY, base_url=TEST_URL) as kk,
        pytest.raises(ConfigurationError, match="max_response_bytes"),
    ):
        kk.with_options(max_response_bytes=value)

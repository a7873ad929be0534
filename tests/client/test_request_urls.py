"""Request URLs made from the parsed base URL are the URLs httpx would parse."""

from __future__ import annotations

import httpx
import pytest

from komfortkasse import Komfortkasse, NotFoundError, ValidationError
from komfortkasse import _config as config
from komfortkasse._paths import fill, spec_routes
from tests.samples import KEY

BASES = [
    "https://ssl.komfortkasse.eu/api/v2",
    "https://h.example",
    "https://h.example:8443/a%20b/v2",
    "https://bücher.example/api",
    "http://127.0.0.1:8080/api/v2",
    "http://[::1]:9000",
    "https://h.example/a/../v2",
]
VALUES = ["1001", "KK-0._~", "a/b?c#d", "ä ö%", "%2F", ".", "..", "x" * 300]


def _paths() -> list[str]:
    made = []
    for method, segments in spec_routes():
        template = "/" + "/".join("{v}" if s is None else s for s in segments)
        for value in VALUES:
            try:
                made.append(fill(method, template, {"{v}": ("v", value)}))
            except ValidationError:  # a refused value: not a URL to compare
                continue
    return made


@pytest.mark.parametrize("base", BASES)
def test_each_url_is_the_one_httpx_parses(base: str) -> None:
    urls = config.RequestUrls(base)
    for path in _paths():
        made, parsed = urls(path), httpx.URL(base + path)
        assert isinstance(made, httpx.URL)
        assert made == parsed
        assert (made.raw_path, made.host, made.port, made.scheme) == (
            parsed.raw_path,
            parsed.host,
            parsed.port,
            parsed.scheme,
        )
        assert made.raw_host == parsed.raw_host


def test_a_probe_httpx_reads_otherwise_falls_back_to_strings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the probe's URL is not httpx's own parse, every URL goes as a string."""
    monkeypatch.setattr(config, "_PROBE_PATH", "/order/./x")  # httpx drops the dot segment
    urls = config.RequestUrls("https://h.example/api")
    made = urls("/order/1")
    assert isinstance(made, str)
    assert made == "https://h.example/api/order/1"


def test_the_request_carries_the_path_as_filled() -> None:
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(404, json={"error": "Order not found"})

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        Komfortkasse(KEY, base_url="https://h.example/api/v2", http_client=http) as client,
        pytest.raises(NotFoundError),
    ):
        client.orders.get("ä/b c")
    assert [str(request.url) for request in sent] == [
        "https://h.example/api/v2/order/%C3%A4%2Fb%20c"
    ]

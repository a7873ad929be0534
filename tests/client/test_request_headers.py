"""Requests built directly (headers merged once per client) are the requests
httpx's own ``build_request`` makes, and whatever the caller's client adds
(headers, changed later; cookies; default parameters; a ``build_request`` of
its own) still reaches the wire."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from komfortkasse import AsyncKomfortkasse, Komfortkasse
from komfortkasse._secret import API_KEY_HEADER
from tests.samples import KEY, numbered, order_json

URL = "https://komfortkasse.test.invalid/api/v2"


class Recorder:
    """A MockTransport handler keeping every request; answers each with an order."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/orders"):
            return httpx.Response(200, json=[order_json("B-1")])
        return httpx.Response(200, json=order_json("7"))


def _wire_headers(request: httpx.Request) -> dict[str, str]:
    return {k.lower(): v for k, v in request.headers.items()}


def _stock_headers(http: httpx.Client, method: str, json_body: bool) -> dict[str, str]:
    """What httpx's build_request gives with our headers merged in."""
    ours = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
    if json_body:
        ours["Content-Type"] = "application/json"
    request = http.build_request(
        method, URL + "/x", headers=ours, content=b"{}" if json_body else None
    )
    made = _wire_headers(request)
    made.pop("content-length", None)
    return made


@pytest.mark.parametrize("json_body", [False, True])
def test_the_headers_are_what_httpx_would_merge(json_body: bool) -> None:
    seen = Recorder()
    with httpx.Client(transport=httpx.MockTransport(seen), headers={"X-Shop": "s1"}) as http:
        kk = Komfortkasse(KEY, base_url=URL, http_client=http)
        if json_body:
            kk.orders.submit_many([numbered("B-1")])
        else:
            kk.orders.get("7")
        expected = _stock_headers(http, "POST" if json_body else "GET", json_body)
    sent = _wire_headers(seen.requests[0])
    assert sent.pop(API_KEY_HEADER.lower()) == KEY
    sent.pop("content-length", None)
    assert sent == expected
    assert sent["x-shop"] == "s1"
    assert sent["accept"] == "application/json"
    assert sent["accept-encoding"] == "gzip, deflate"
    assert ("content-type" in sent) is json_body


def test_a_header_the_caller_changes_later_is_sent_and_the_key_stays_off_the_cache() -> None:
    seen = Recorder()
    with httpx.Client(transport=httpx.MockTransport(seen), headers={"X-Shop": "s1"}) as http:
        kk = Komfortkasse(KEY, base_url=URL, http_client=http)
        kk.orders.get("7")
        http.headers["X-Shop"] = "s2"
        http.headers["X-Trace"] = "t-9"
        kk.orders.get("7")
        del http.headers["X-Trace"]
        kk.orders.get("7")
        cached = kk._headers.of(http, json_body=False)
    first, second, third = (_wire_headers(r) for r in seen.requests)
    assert first["x-shop"] == "s1"
    assert "x-trace" not in first
    assert second["x-shop"] == "s2"
    assert second["x-trace"] == "t-9"
    assert "x-trace" not in third
    # The key is set on each request's own copy, never on the merged headers kept.
    assert API_KEY_HEADER.lower() not in {k.lower() for k in cached}
    assert all(KEY not in v for v in cached.values())


def test_cookies_and_default_params_of_the_callers_client_are_sent() -> None:
    seen = Recorder()
    with httpx.Client(
        transport=httpx.MockTransport(seen), cookies={"session": "c1"}, params={"tenant": "t1"}
    ) as http:
        Komfortkasse(KEY, base_url=URL, http_client=http).orders.get("7")
    request = seen.requests[0]
    assert request.headers["cookie"] == "session=c1"
    assert request.url.params["tenant"] == "t1"
    assert request.headers["accept"] == "application/json"
    assert request.headers[API_KEY_HEADER] == KEY


class TaggingClient(httpx.Client):
    def build_request(self, method: str, url: Any, **kwargs: Any) -> httpx.Request:
        request = super().build_request(method, url, **kwargs)
        request.headers["X-Built-By"] = "subclass"
        return request


def test_a_clients_own_build_request_is_used() -> None:
    seen = Recorder()
    with TaggingClient(transport=httpx.MockTransport(seen)) as http:
        Komfortkasse(KEY, base_url=URL, http_client=http).orders.get("7")
    assert seen.requests[0].headers["x-built-by"] == "subclass"
    assert seen.requests[0].headers["accept"] == "application/json"


@pytest.mark.anyio
async def test_async_requests_carry_the_same_headers() -> None:
    seen = Recorder()
    async with httpx.AsyncClient(
        transport=httpx.MockTransport(seen), headers={"X-Shop": "s1"}
    ) as http:
        kk = AsyncKomfortkasse(KEY, base_url=URL, http_client=http)
        await kk.orders.get("7")
        http.headers["X-Shop"] = "s2"
        await kk.orders.submit_many([numbered("B-1")])
    get, post = (_wire_headers(r) for r in seen.requests)
    assert get["x-shop"] == "s1"
    assert post["x-shop"] == "s2"
    assert get[API_KEY_HEADER.lower()] == KEY == post[API_KEY_HEADER.lower()]
    assert "content-type" not in get
    assert post["content-type"] == "application/json"
    assert post["content-length"] == str(len(seen.requests[1].content))

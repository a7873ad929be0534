"""Where a test's requests go when not to a real server: clients on an in-process
transport (``httpx.MockTransport``: each request is handed to a Python function, no
socket is opened), and a loopback address nobody listens on."""

from __future__ import annotations

import json
import socket
from collections.abc import Awaitable, Callable

import httpx

from komfortkasse import AsyncKomfortkasse, Komfortkasse, RetryPolicy
from tests.samples import KEY, as_read

#: The base URL of transport-mocked clients (nothing listens there).
TEST_URL = "https://komfortkasse.test/api/v2"
NEVER = RetryPolicy.never()

Handler = Callable[[httpx.Request], httpx.Response]
AsyncHandler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]


def mocked(handler: Handler, *, retry: RetryPolicy = NEVER) -> Komfortkasse:
    """A client whose every request is answered by ``handler``."""
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return Komfortkasse(KEY, base_url=TEST_URL, retry=retry, http_client=http)


def mocked_async(handler: AsyncHandler, *, retry: RetryPolicy = NEVER) -> AsyncKomfortkasse:
    """The async twin of :func:`mocked` (``handler`` may be a coroutine function)."""
    http = httpx.AsyncClient(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return AsyncKomfortkasse(KEY, base_url=TEST_URL, retry=retry, http_client=http)


def echo_orders(request: httpx.Request) -> httpx.Response:
    """Answer a bulk submit with the orders it carried, as read back."""
    return httpx.Response(200, json=[as_read(order) for order in json.loads(request.content)])


def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released): connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def closed_url(path: str = "/api/v2") -> str:
    """A base URL on :func:`closed_port`."""
    return f"http://127.0.0.1:{closed_port()}{path}"

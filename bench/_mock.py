"""In-process transports: ``httpx.MockTransport`` answering from memory.

A benchmark that puts both sides on the same ``MockTransport`` measures what
each side's own code costs per call, without a server's noise (a loopback
server adds 1-2 ms of mostly server time per call, see
``/work/shared/TESTING-NOTES.md``). The public clients accept such a transport
through ``http_client=``.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx

from bench._orders import as_order_read
from komfortkasse import AsyncKomfortkasse, Komfortkasse
from komfortkasse import _secret as core

API_KEY = "bench-key"
#: Any https URL does: the transport never leaves the process.
BASE_URL = "https://komfortkasse.bench.invalid/api/v2"
JSON = {"Content-Type": "application/json"}

Handler = Callable[[httpx.Request], httpx.Response]


def request_headers() -> dict[str, str]:
    """What a hand-rolled integration sends: the API key and ``Accept``."""
    return {core.API_KEY_HEADER: API_KEY, "Accept": "application/json"}


def canned(body: bytes) -> Handler:
    """Answer every request with ``200`` and ``body`` (prepared once)."""

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers=JSON)

    return handle


def _transport(handler: Handler | httpx.MockTransport) -> httpx.MockTransport:
    return handler if isinstance(handler, httpx.MockTransport) else httpx.MockTransport(handler)


@contextlib.contextmanager
def sync_client(
    handler: Handler | httpx.MockTransport, base_url: str = BASE_URL, **options: Any
) -> Iterator[Komfortkasse]:
    """A ``Komfortkasse`` whose requests ``handler`` (or this very transport, to
    share it with a raw client) answers in-process (the client does not close
    an ``http_client`` it was given: this does)."""
    with (
        httpx.Client(transport=_transport(handler)) as http,
        Komfortkasse(api_key=API_KEY, base_url=base_url, http_client=http, **options) as client,
    ):
        yield client


@contextlib.asynccontextmanager
async def async_client(
    handler: Handler | httpx.MockTransport, **options: Any
) -> AsyncIterator[AsyncKomfortkasse]:
    """The async twin of :func:`sync_client`."""
    async with (
        httpx.AsyncClient(transport=_transport(handler)) as http,
        AsyncKomfortkasse(
            api_key=API_KEY, base_url=BASE_URL, http_client=http, **options
        ) as client,
    ):
        yield client


def recorder(sent: list[tuple[str, bytes]]) -> Handler:
    """Answer ``POST /orders`` as the echo server does, and keep each request's
    path (with its query) and body in ``sent``: the exact chunks the client
    sends, for a raw-httpx baseline to post byte for byte."""

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.raw_path.decode("ascii"), request.content))
        orders = json.loads(request.content)
        answer = [as_order_read(order, index) for index, order in enumerate(orders)]
        return httpx.Response(200, content=json.dumps(answer).encode(), headers=JSON)

    return handle

"""Helpers for tests on a scripted server (pytest-httpserver's ``httpserver``): answers
that depend on the request, and reading back what the client sent."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from komfortkasse import AsyncKomfortkasse
from tests.samples import as_read


def echo_orders(request: Request) -> Response:
    """Answer ``POST /orders`` with the submitted orders as read back."""
    bodies = json.loads(request.get_data())
    return Response(json.dumps([as_read(body) for body in bodies]), mimetype="application/json")


def last_request(httpserver: HTTPServer) -> Request:
    """The request the server received last."""
    request, _ = httpserver.log[-1]
    return request


def json_body(request: Request) -> Any:
    return json.loads(request.get_data())


def run_async(
    async_client: AsyncKomfortkasse, use: Callable[[AsyncKomfortkasse], Awaitable[Any]]
) -> Any:
    """``use(kk)`` on the entered ``async_client``, in an event loop of its own (for a
    sync test that checks one async call)."""

    async def main() -> Any:
        async with async_client as kk:
            return await use(kk)

    return anyio.run(main)

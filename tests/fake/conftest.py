"""Fixtures for the fake server's own tests: the fake on a fixed day, checking its own
answers (``fake_options``), a raw httpx client on it (``http``, as a shop in any
language would talk to it), and a tiny callback receiver on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from komfortkasse._secret import API_KEY_HEADER
from komfortkasse.testing import FakeKomfortkasse
from tests.fake.support import TODAY, CallbackReceiver


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    return {"today": TODAY, "check_responses": True, "callback_timeout": 1.0}


@pytest.fixture
def http(fake: FakeKomfortkasse) -> Iterator[httpx.Client]:
    headers = {API_KEY_HEADER: fake.api_key}
    with httpx.Client(base_url=fake.url, headers=headers, timeout=5.0) as http:
        yield http


@pytest.fixture
def receiver() -> Iterator[CallbackReceiver]:
    state = CallbackReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.received.append(
                ({k.lower(): v for k, v in self.headers.items()}, json.loads(body))
            )
            status = state.statuses.pop(0) if state.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

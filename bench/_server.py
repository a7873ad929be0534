"""A minimal keep-alive HTTP/1.1 loopback server for canned answers.

Why not pytest-httpserver or a plain ``http.server``: the first closes the
connection after every response, the second stalls ~40 ms per request on
Nagle/delayed-ACK when headers and body go out in two writes (see
``/work/shared/TESTING-NOTES.md``). This one keeps connections alive, disables
Nagle, sends status line, headers and body in one write with a
``Content-Length``, and counts TCP connections in the handler's ``setup()``.
It is a :class:`~http.server.ThreadingHTTPServer` (one thread per connection),
so concurrent clients are served concurrently.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from bench._orders import as_order_read

#: ``(method, path, body) -> (status, body)``; the path includes the query string.
Responder = Callable[[str, str, bytes], tuple[int, bytes]]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default backlog of 5 drops connection attempts when 16 clients
    # connect at once, and a dropped SYN costs a 1 s retransmit.
    request_queue_size = 64

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.connection_count = 0
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        super().__init__(("127.0.0.1", 0), _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connection_count += 1
            self.server.open.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.lock:
                self.server.open.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: a log line per request would cost more than the request."""

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        status, payload = self.server.responder(self.command, self.path, body)
        head = (
            f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
            "Content-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n\r\n"
        ).encode("ascii")
        self.wfile.write(head + payload)


class LoopbackServer:
    """Serves ``responder`` on 127.0.0.1 (a free port) from a background thread."""

    def __init__(self, responder: Responder) -> None:
        self._server = _Server(responder)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="bench-loopback",
            daemon=True,
        )

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``: use as ``base_url`` (loopback http is allowed)."""
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def connection_count(self) -> int:
        """TCP connections accepted since start."""
        return self._server.connection_count

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and end idle keep-alive connections (their threads block reading)."""
        self._server.shutdown()
        self._server.server_close()
        with self._server.lock:
            connections = list(self._server.open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def canned(body: bytes) -> Responder:
    """Answer every request with ``200`` and ``body``."""

    def respond(method: str, path: str, request_body: bytes) -> tuple[int, bytes]:
        return 200, body

    return respond


@dataclass
class EchoStats:
    """What the echo server saw: chunks, orders, and the most chunks in flight at once."""

    chunks: int = 0
    orders: int = 0
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)


def echo_orders(
    delay: float = 0.0,
    on_chunk: Callable[[int], None] | None = None,
    stats: EchoStats | None = None,
) -> Responder:
    """``POST /orders``: sleep ``delay`` seconds, then answer each submitted order
    as the ``OrderRead`` Komfortkasse would return (the order plus its payment
    status, reference number and bank account). ``on_chunk(len(chunk))`` is
    called as soon as a chunk arrives, before the sleep; ``stats`` counts.
    """
    counts = stats if stats is not None else EchoStats()

    def respond(method: str, path: str, request_body: bytes) -> tuple[int, bytes]:
        orders = json.loads(request_body)
        with counts.lock:
            counts.chunks += 1
            counts.orders += len(orders)
            counts.in_flight += 1
            counts.max_in_flight = max(counts.max_in_flight, counts.in_flight)
        try:
            if on_chunk is not None:
                on_chunk(len(orders))
            if delay:
                time.sleep(delay)
            answer = [as_order_read(order, index) for index, order in enumerate(orders)]
            return 200, json.dumps(answer, separators=(",", ":")).encode("utf-8")
        finally:
            with counts.lock:
                counts.in_flight -= 1

    return respond

"""The fake's HTTP/1.1 server: keep-alive, one write per response, connection counting, faults.

Built on :class:`http.server.ThreadingHTTPServer` (one thread per connection). The
handler speaks HTTP/1.1 with keep-alive, disables Nagle's algorithm and sends the
status line, headers and body in a single write, so a client reusing its connection
sees loopback latency, not the 40 ms delayed-ACK stall. Every accepted TCP
connection is counted (:attr:`FakeHTTPServer.connection_count`), which is what tests
of connection reuse and benchmarks look at.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import logging
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from ._api import API_KEY_HEADER, LOGIN_PAGE, LOGIN_PATH, Api, Request, Response
from ._callbacks import CallbackDispatcher
from ._control import TOKEN_HEADER, control_token_on_api_path, is_control_path
from ._faults import DRIP_DEFAULT, FaultKind, FaultPlan, FaultRule

logger = logging.getLogger("komfortkasse.testing")

#: What the requests log shows instead of the API key.
REDACTED = "<redacted>"

_BAD_GATEWAY_PAGE = (
    b"<html><head><title>502 Bad Gateway</title></head>"
    b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n"
)
_TRUNCATED_JSON = b'[{"number": "1001", "paymentStatus": "PA'


@dataclass(frozen=True)
class RecordedRequest:
    """A request as the fake received it; the API key header's value is redacted.

    ``headers`` has lower-case names. ``path`` excludes the query string, which is
    in ``query`` (each name with all its values, in order).
    """

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = field(repr=False)

    def json(self) -> Any:
        """The body parsed as JSON."""
        import json

        return json.loads(self.body)


@functools.cache
def _gzip_bomb() -> bytes:
    return gzip.compress(b" " * (16 * 1024 * 1024), compresslevel=9)


def fault_response(kind: FaultKind, origin: str, api_key: str = "") -> Response:
    """The answer a fault of ``kind`` sends instead of the normal one (``api_key``:
    the request's, for :attr:`FaultKind.ECHO_KEY`)."""
    html = "text/html; charset=utf-8"
    answers = {
        FaultKind.SERVER_ERROR: lambda: Response.json(500, {"error": "Internal server error"}),
        FaultKind.BAD_GATEWAY_HTML: lambda: Response(502, _BAD_GATEWAY_PAGE, html),
        FaultKind.HTML_200: lambda: Response(200, LOGIN_PAGE, html),
        FaultKind.REDIRECT: lambda: Response(302, headers={"Location": origin + LOGIN_PATH}),
        FaultKind.STATUS_520: lambda: Response(520),
        FaultKind.EMPTY_200: lambda: Response(200, b"", "application/json"),
        FaultKind.TRUNCATED_JSON: lambda: Response(200, _TRUNCATED_JSON, "application/json"),
        FaultKind.OVERSIZED: lambda: Response(
            200, b"[" + b" " * (1024 * 1024) + b"]", "application/json"
        ),
        FaultKind.GZIP_BOMB: lambda: Response(
            200, _gzip_bomb(), "application/json", headers={"Content-Encoding": "gzip"}
        ),
        FaultKind.ECHO_KEY: lambda: Response.json(
            500, {"error": f"Internal error for key {api_key}\nat KeyCheck.java:42"}
        ),
    }
    return answers[kind]()


def wrong_answer(response: Response) -> Response:
    """A handled 200 made into an answer about something else (``WRONG_ANSWER``)."""
    if response.status != 200:
        return response
    if not response.body.strip():
        return Response.json(200, {"error": "File missing"})
    data = response.json_value()

    def other(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        return {
            key: f"{value}-OTHER"
            if key in ("number", "externalReference") and isinstance(value, str)
            else value
            for key, value in item.items()
        }

    if isinstance(data, int) and not isinstance(data, bool):
        return Response.json(200, -5)
    if isinstance(data, list):
        return Response.json(200, [other(item) for item in data])
    return Response.json(200, other(data))


class FakeHTTPServer(ThreadingHTTPServer):
    """Serves :class:`Api` on 127.0.0.1; counts and tracks its connections."""

    daemon_threads = True

    def __init__(
        self,
        port: int,
        api: Api,
        callbacks: CallbackDispatcher,
        faults: FaultPlan,
        control: Callable[[Request], Response] | None = None,
    ) -> None:
        self.api = api
        self.callbacks = callbacks
        self.faults = faults
        #: Answers the control endpoints (``/_fake/...``); ``None``: they do not exist.
        self.control = control
        self.connection_count = 0
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def connection_opened(self, connection: socket.socket) -> None:
        with self._lock:
            self.connection_count += 1
            self._open.add(connection)

    def connection_closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._open.discard(connection)

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def recorded(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)

    def clear_recorded(self) -> None:
        with self._lock:
            self.requests.clear()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up mid-answer is normal here; anything else is logged."""
        import sys

        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        logger.exception("fake Komfortkasse: error serving %s", client_address)

    def close_all_connections(self) -> None:
        """End idle keep-alive connections too (their threads are blocked reading)."""
        with self._lock:
            connections = list(self._open)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _BadRequest(Exception):
    """The request's framing is broken; answered with a blank 400 and closed."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "FakeKomfortkasse/0.1"
    sys_version = ""
    server: FakeHTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.connection_closed(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    # -- request --------------------------------------------------------------------------

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b""
        if not (length_text.strip().isascii() and length_text.strip().isdigit()):
            raise _BadRequest
        return self.rfile.read(int(length_text))

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size_line = self.rfile.readline(1024).split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise _BadRequest from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(1024)

    def _request(self, body: bytes) -> tuple[Request, RecordedRequest]:
        target = urlsplit(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        query = parse_qs(target.query, keep_blank_values=True)
        request = Request(self.command, target.path, query, headers, body)
        secret = (API_KEY_HEADER, TOKEN_HEADER.lower())
        shown = {k: (REDACTED if k in secret else v) for k, v in headers.items()}
        return request, RecordedRequest(self.command, target.path, query, shown, body)

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except _BadRequest:
            self.close_connection = True
            self._send(Response(400))
            return
        request, recorded = self._request(body)
        if self.server.control is not None and is_control_path(request.path):
            self._send(self.server.control(request))  # not recorded, never faulted
            return
        self.server.record(recorded)
        if TOKEN_HEADER.lower() in request.headers:
            self._send(control_token_on_api_path())
            return
        rule: FaultRule | None = self.server.faults.take(self.path)
        if rule is not None and rule.kind is FaultKind.DROP:
            self.close_connection = True
            return
        if rule is not None and not rule.kind.handles_request:
            key = request.headers.get(API_KEY_HEADER, "")
            self._send(fault_response(rule.kind, self.server.origin, key))
            return
        if rule is not None and rule.kind is FaultKind.DELAY:
            time.sleep(rule.delay)
        api = self.server.api
        response, deliveries = api.handle(request, self.server.origin)
        self.server.callbacks.deliver(deliveries, api.state.now)
        if rule is not None and rule.kind is FaultKind.DROP_AFTER_HANDLING:
            self.close_connection = True
            return
        self._answer(response, rule)

    def _answer(self, response: Response, rule: FaultRule | None) -> None:
        """Send a handled request's answer, as the fault (if any) shapes it."""
        if rule is not None and rule.kind is FaultKind.WRONG_ANSWER:
            response = wrong_answer(response)
        if rule is not None and rule.kind is FaultKind.DRIP:
            self.close_connection = True  # the client gives up in the middle
            self._send(response, drip=rule.delay or DRIP_DEFAULT)
            return
        self._send(response)

    # -- response -------------------------------------------------------------------------

    def _send(self, response: Response, *, drip: float = 0.0) -> None:
        """Status line, headers and body in one write (``drip``: one byte every
        ``drip`` seconds instead)."""
        try:
            reason = HTTPStatus(response.status).phrase
        except ValueError:
            reason = "Unknown Error"
        lines = [
            f"HTTP/1.1 {response.status} {reason}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
            f"Content-Length: {len(response.body)}",
        ]
        if response.content_type is not None:
            lines.append(f"Content-Type: {response.content_type}")
        lines.extend(f"{name}: {value}" for name, value in response.headers.items())
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.log_request(response.status)
        try:
            if drip:
                data = head + response.body
                for index in range(len(data)):
                    self.wfile.write(data[index : index + 1])
                    self.wfile.flush()
                    time.sleep(drip)
            else:
                self.wfile.write(head + response.body)
                self.wfile.flush()
        except ConnectionError:
            self.close_connection = True

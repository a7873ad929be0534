"""The bulk benchmark's echo server, in its own process.

``python -m bench._echo_server DELAY`` serves ``POST /orders`` on 127.0.0.1 (a
free port; the first line on stdout is its URL): after ``DELAY`` seconds per
chunk it answers the submitted orders as ``OrderRead``s (``bench._server.
echo_orders``), over kept-alive HTTP/1.1 connections, one thread per
connection. ``GET /stats`` answers what it has seen since the last
``GET /stats?reset=1``: chunks, orders, the most chunks in flight at once and
its own process CPU seconds. It stops when its stdin closes.

In its own process, its JSON work (decoding each chunk, encoding each answer)
runs under its own interpreter lock and is not counted in the client's process
CPU time; in the client's process it competed with the client for the lock and
took 15-20 % of the async speed-up (issue 13). :class:`EchoProcess` starts and
stops it from the benchmark.
"""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Self
from urllib.parse import urlsplit

from bench._server import EchoStats, LoopbackServer, Responder, echo_orders

ROOT = Path(__file__).resolve().parent.parent


def responder(delay: float) -> Responder:
    """``POST``: the echo; ``GET /stats``: the counters as JSON."""
    stats = EchoStats()
    echo = echo_orders(delay, stats=stats)
    cpu_since = [time.process_time()]

    def respond(method: str, path: str, body: bytes) -> tuple[int, bytes]:
        if method == "POST":
            return echo(method, path, body)
        with stats.lock:
            figures = {
                "chunks": stats.chunks,
                "orders": stats.orders,
                "max_in_flight": stats.max_in_flight,
                "cpu": time.process_time() - cpu_since[0],
            }
            if path.endswith("?reset=1"):
                stats.chunks = stats.orders = stats.max_in_flight = 0
                cpu_since[0] = time.process_time()
        return 200, json.dumps(figures).encode()

    return respond


def main() -> None:
    with LoopbackServer(responder(float(sys.argv[1]))) as server:
        print(server.url, flush=True)
        sys.stdin.read()  # until the benchmark closes our stdin


class EchoProcess:
    """Runs the echo server in a child process for the duration of a ``with``."""

    def __init__(self, delay: float) -> None:
        self._delay = delay
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> Self:
        self._process = subprocess.Popen(  # noqa: S603 -- this interpreter, fixed arguments
            [sys.executable, "-m", "bench._echo_server", str(self._delay)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        self.url = self._pipe(self._process.stdout).readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self._stop()
            raise RuntimeError(f"echo server did not start (said {self.url!r})")
        return self

    @staticmethod
    def _pipe(pipe: IO[str] | None) -> IO[str]:
        if pipe is None:
            raise AssertionError("unreachable")
        return pipe

    def stats(self, reset: bool = True) -> dict[str, float]:
        """The server's counters since the last reset (and reset them). Asked over
        a plain ``http.client`` connection: an ``httpx.Client`` per question would
        cost tens of milliseconds to set up."""
        connection = http.client.HTTPConnection(urlsplit(self.url).netloc, timeout=10)
        try:
            connection.request("GET", "/stats?reset=1" if reset else "/stats")
            figures: dict[str, float] = json.loads(connection.getresponse().read())
        finally:
            connection.close()
        return figures

    def _stop(self) -> None:
        process = self._process
        if process is None:
            return
        self._pipe(process.stdin).close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self._pipe(process.stdout).close()
        self._process = None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop()


if __name__ == "__main__":
    main()

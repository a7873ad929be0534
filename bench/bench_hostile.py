"""What a hostile server can take from a call: memory and time (issue 11's figures).

``python -m bench.bench_hostile [--size-mb 500]`` prints two kinds of figures:

* peak memory of one ``orders.list()`` whose answer is a chunked 500 MB body (no
  ``Content-Length``, so it must be read to be refused), and of one whose answer is a
  1 MiB gzip bomb (1 GiB of zeros): the client with its default
  ``max_response_bytes`` and with a 16 MiB cap, against the baseline of plain
  ``httpx.Client.get(...).content`` (what the client did before it read with a cap).
  Each in a fresh child process; the peak is the rise of the resident set's
  high-water mark (``VmHWM``, reset before the call);
* the wall time of a call with ``timeout=1.0`` against a server that drips its
  headers one byte every 0.3 s (sync and async), and of a sync call with retries
  bounded by ``RetryPolicy(max_elapsed=2.0)``.

The servers run in a child process, so their memory is not counted. Figures only;
nothing asserts.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import subprocess
import sys
import time
import zlib
from typing import Any

import anyio
import httpx

from bench._memory_child import _peak, _start_peak
from komfortkasse import (
    AsyncKomfortkasse,
    Komfortkasse,
    KomfortkasseError,
    RetryPolicy,
)

KEY = "bench-key"
CHUNK = b" " * 65536


def _bomb(size: int) -> bytes:
    """``size`` zero bytes, gzip-compressed piece by piece (never all in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    piece = bytes(2**20)
    parts = [packer.compress(piece) for _ in range(size // len(piece))]
    return b"".join([*parts, packer.flush()])


def _serve(sock: socket.socket, mode: str, size: int) -> None:
    """Answer every connection on ``sock``: ``big`` (a chunked body of ``size``
    bytes), ``bomb`` (``size`` bytes gzip-compressed) or ``drip`` (headers, one
    byte every 0.3 s)."""
    bomb = _bomb(size) if mode == "bomb" else b""
    while True:
        conn, _ = sock.accept()
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            if mode == "big":
                conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                conn.sendall(b"1\r\n[\r\n")
                sent = 1
                frame = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n"
                while sent < size:
                    conn.sendall(frame)
                    sent += len(CHUNK)
                conn.sendall(b"1\r\n]\r\n0\r\n\r\n")
            elif mode == "bomb":
                head = f"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {len(bomb)}"
                conn.sendall(head.encode() + b"\r\n\r\n" + bomb)
            else:
                for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
                    conn.sendall(bytes([byte]))
                    time.sleep(0.3)
        except OSError:
            pass
        finally:
            conn.close()


class Server:
    """One of :func:`_serve`'s servers in a child process."""

    def __init__(self, mode: str, size: int = 0) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.process = multiprocessing.Process(
            target=_serve, args=(self.sock, mode, size), daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/api/v2"

    def __enter__(self) -> Server:
        self.process.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.join()
        self.sock.close()


def _memory_child(url: str, side: str) -> None:
    """Child process: one call against ``url``; prints the peak and the outcome."""
    before = _start_peak()
    outcome = "ok"
    if side == "baseline":
        with httpx.Client(timeout=60) as http:
            outcome = f"read {len(http.get(url + '/orders').content)} bytes"
    else:
        cap = {} if side == "default cap" else {"max_response_bytes": 16 * 2**20}
        with Komfortkasse(KEY, base_url=url, timeout=60, **cap) as kk:  # type: ignore[arg-type]
            try:
                kk.orders.list()
            except KomfortkasseError as exc:
                outcome = type(exc).__name__
    print(json.dumps({"peak": _peak() - before, "outcome": outcome}))


def memory(mode: str, size: int) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    with Server(mode, size) as server:
        for side in ("default cap", "16 MiB cap", "baseline"):
            done = subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
                [sys.executable, "-m", "bench.bench_hostile", "--child", server.url, side],
                capture_output=True,
                text=True,
                check=True,
            )
            rows.append((side, json.loads(done.stdout)))
    return rows


def _timed_sync(url: str, retry: RetryPolicy) -> tuple[float, str]:
    started = time.monotonic()
    with Komfortkasse(KEY, base_url=url, timeout=1.0, retry=retry) as kk:
        try:
            kk.orders.get("1001")
            outcome = "answered"
        except KomfortkasseError as exc:
            outcome = f"{type(exc).__name__} {getattr(exc, '__notes__', [])}"
    return time.monotonic() - started, outcome


async def _timed_async(url: str) -> tuple[float, str]:
    started = time.monotonic()
    async with AsyncKomfortkasse(KEY, base_url=url, timeout=1.0, retry=RetryPolicy.never()) as kk:
        try:
            await kk.orders.get("1001")
            outcome = "answered"
        except KomfortkasseError as exc:
            outcome = type(exc).__name__
    return time.monotonic() - started, outcome


def drip() -> list[tuple[str, float, str]]:
    bounded = RetryPolicy(max_elapsed=2.0, initial_delay=0.1, jitter=0, max_attempts=100)
    with Server("drip") as server:
        sync = _timed_sync(server.url, RetryPolicy.never())
        asynchronous = anyio.run(_timed_async, server.url)
        retried = _timed_sync(server.url, bounded)
    return [
        ("sync, timeout=1.0, no retries", *sync),
        ("async, timeout=1.0, no retries", *asynchronous),
        ("sync, timeout=1.0, max_elapsed=2.0", *retried),
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--child"]:
        _memory_child(args[1], args[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size-mb", type=int, default=500, help="size of the big answer (MB)")
    size = parser.parse_args(args).size_mb * 1_000_000
    answers = [
        ("big", size, f"{size / 1e6:.0f} MB (chunked)"),
        ("bomb", 2**30, "a gzip bomb, 1 GiB of zeros"),
    ]
    for mode, length, label in answers:
        print(f"peak memory of one call whose answer is {label}:")
        for side, figures in memory(mode, length):
            print(f"  {side:12}  {figures['peak'] / 2**20:7.1f} MiB  ({figures['outcome']})")
    print("wall time against a server dripping its headers (1 byte / 0.3 s):")
    for label, seconds, outcome in drip():
        print(f"  {label:36}  {seconds:5.2f} s  ({outcome})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Child process of the bulk memory benchmark.

``python -m bench._memory_child COUNT [--tracemalloc] [--iter]`` runs one sync
``submit_many`` (with ``--iter``: ``submit_iter``, consuming each result as it
comes) of a generator of ``COUNT`` orders against a zero-delay echo server and
prints one JSON line:

* ``peak``: how much the call raised the process's memory, in bytes. By
  default the peak resident set during the call minus the resident set before
  it, which costs nothing (on Linux the kernel's high-water mark ``VmHWM`` is
  reset right before the call through ``/proc/self/clear_refs``, so an earlier,
  higher peak cannot hide the call's own; elsewhere ``ru_maxrss`` is used);
  with ``--tracemalloc``, the traced peak of Python allocations, exact but
  ~7x slower (the 100,000-order run then takes minutes, not seconds);
* ``retained`` (``--tracemalloc`` only): traced bytes still alive right after
  the call, i.e. the returned list of ``OrderRead`` (``submit_many`` returns
  every result, so this grows with ``COUNT`` by design);
* ``first_chunk_produced``: how many orders the generator had yielded when the
  first chunk reached the server (a streamed input: one chunk, not ``COUNT``);
* ``max_in_hand``: the most orders pulled from the generator but not yet
  answered, over all chunks.

A fresh process per run, so one run's heap (free lists, arenas, caches) does
not flatter or burden the next. The echo server runs in this process (a
thread), so its per-request garbage counts too; it is the same for every
``COUNT``. One order is submitted first, untimed, so lazily loaded caches (the
spec's read-only fields, type hints) are not charged to the smaller run.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench._orders import write_orders
from bench._server import LoopbackServer, echo_orders
from komfortkasse import Komfortkasse

#: ``ru_maxrss`` unit: KiB on Linux, bytes on macOS.
MAXRSS_UNIT = 1 if sys.platform == "darwin" else 1024
STATUS = Path("/proc/self/status")


def _status_kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", STATUS.read_text(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no {field} in {STATUS}")
    return int(match.group(1))


def _start_peak() -> int:
    """Reset the peak resident set where possible; return the resident set now (bytes)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _status_kib("VmRSS") * 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * MAXRSS_UNIT


def _peak() -> int:
    """The peak resident set since :func:`_start_peak` (bytes)."""
    try:
        return _status_kib("VmHWM") * 1024
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * MAXRSS_UNIT


def _submit(client: Komfortkasse, orders: Iterator[Any], stream: bool) -> list[Any] | int:
    """Submit: ``submit_many``'s list (kept alive for the caller's measurement), or
    with ``stream`` only the count of results consumed from ``submit_iter``."""
    if stream:
        return sum(1 for _ in client.orders.submit_iter(orders))
    return client.orders.submit_many(orders)


def measure(count: int, *, trace: bool, stream: bool = False) -> dict[str, int]:
    """Run the bulk submit of ``count`` orders; the figures described above."""
    produced = [0]
    received = [0]
    first: list[int] = []
    in_hand: list[int] = []

    def on_chunk(size: int) -> None:
        # The sync client is blocked in this request: the generator is paused.
        if not first:
            first.append(produced[0])
        in_hand.append(produced[0] - received[0])
        received[0] += size

    with (
        LoopbackServer(echo_orders(0.0, on_chunk)) as server,
        Komfortkasse(api_key="bench-key", base_url=server.url) as client,
    ):
        client.orders.submit_many(write_orders(1))  # warm-up, not measured
        produced[0] = received[0] = 0
        first.clear()
        in_hand.clear()
        retained = -1
        if trace:
            tracemalloc.start()
            results = _submit(client, write_orders(count, produced), stream)
            retained, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        else:
            before = _start_peak()
            results = _submit(client, write_orders(count, produced), stream)
            peak = _peak() - before
        got = results if isinstance(results, int) else len(results)
        if got != count:
            raise RuntimeError(f"expected {count} results, got {got}")
    return {
        "count": count,
        "peak": peak,
        "retained": retained,
        "first_chunk_produced": first[0],
        "max_in_hand": max(in_hand),
    }


def main() -> None:
    flags = sys.argv[2:]
    figures = measure(int(sys.argv[1]), trace="--tracemalloc" in flags, stream="--iter" in flags)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()

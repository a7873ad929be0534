"""Run every benchmark and print one table: ``python bench/run.py [--quick] [--tracemalloc]``.

Each benchmark runs the library ("ours") and its baseline in the same run,
several rounds, and reports median and min-max spread over the rounds for each
side, the figure (usually a ratio), the target and whether it was met.
Benchmarks print figures; nothing here asserts on time. ``--quick`` uses fewer
rounds and smaller workloads (well under 30 s); ``--smoke`` the smallest that
still runs every code path (``tests/pipeline/test_bench_smoke.py``: figures meaningless).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

# Run as a script (``python bench/run.py``), this file's folder is on sys.path,
# not the repository root that holds the ``bench`` package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

if TYPE_CHECKING:
    from bench._harness import Row


@dataclass(frozen=True)
class Plan:
    """Rounds and workload sizes of one run."""

    rounds: int
    call_rounds: int
    get_calls: int
    mock_rounds: int
    mock_calls: int
    sniffio_calls: int
    decode_orders: int
    bulk_orders: int
    bulk_rounds: int
    #: The echo server's seconds per chunk (issue 13: 25 ms).
    bulk_delay: float
    memory_big: int
    memory_small: int
    memory_rounds: int
    connection_calls: int
    import_rounds: int
    first_call_rounds: int
    retry_rounds: int


FULL = Plan(
    rounds=5,
    call_rounds=3,
    get_calls=2_000,
    mock_rounds=5,
    mock_calls=3_000,
    sniffio_calls=200,
    decode_orders=10_000,
    # 96 chunks: a whole number of waves at every concurrency (96 = 6 x 16).
    bulk_orders=9_600,
    bulk_rounds=5,
    bulk_delay=0.025,
    memory_big=100_000,
    memory_small=1_000,
    memory_rounds=3,
    connection_calls=1_000,
    import_rounds=10,
    first_call_rounds=5,
    retry_rounds=5,
)
QUICK = Plan(
    rounds=2,
    call_rounds=2,
    get_calls=100,
    mock_rounds=2,
    mock_calls=300,
    sniffio_calls=50,
    decode_orders=1_000,
    bulk_orders=1_600,
    bulk_rounds=1,
    bulk_delay=0.025,
    memory_big=1_000,
    memory_small=100,
    memory_rounds=2,
    connection_calls=100,
    import_rounds=2,
    first_call_rounds=2,
    retry_rounds=2,
)
SMOKE = Plan(
    rounds=2,
    call_rounds=1,
    get_calls=20,
    mock_rounds=2,
    mock_calls=20,
    sniffio_calls=5,
    decode_orders=100,
    bulk_orders=200,
    bulk_rounds=1,
    bulk_delay=0.002,
    memory_big=200,
    memory_small=100,
    memory_rounds=1,
    connection_calls=5,
    import_rounds=1,
    first_call_rounds=1,
    retry_rounds=1,
)


def steps(plan: Plan, trace: bool) -> list[tuple[str, Callable[[], list[Row]]]]:
    """Every benchmark of ``plan``, labelled, in the order the table shows them."""
    from bench import (
        bench_bulk,
        bench_connections,
        bench_decode,
        bench_import,
        bench_overhead,
        bench_retry,
    )

    return [
        ("per-call, loopback", lambda: bench_overhead.run(plan.call_rounds, plan.get_calls)),
        (
            "per-call, in-process",
            lambda: bench_overhead.in_process(plan.mock_rounds, plan.mock_calls),
        ),
        ("async detection", lambda: [bench_overhead.sniffio_row(2, plan.sniffio_calls)]),
        ("decoding vs stock", lambda: bench_decode.stock(plan.rounds, plan.decode_orders)),
        ("decoding vs own models", lambda: bench_decode.run(plan.rounds, plan.decode_orders)),
        ("decoding with speedups", lambda: bench_decode.speedups(plan.rounds, plan.decode_orders)),
        (
            "bulk speed",
            lambda: bench_bulk.speed(plan.bulk_rounds, plan.bulk_orders, plan.bulk_delay),
        ),
        (
            "bulk memory",
            lambda: bench_bulk.memory(
                plan.memory_rounds, plan.memory_big, plan.memory_small, trace=trace
            ),
        ),
        ("connections", lambda: bench_connections.run(plan.connection_calls)),
        ("import time", lambda: bench_import.run(plan.import_rounds)),
        ("first call", lambda: bench_import.first_call(plan.first_call_rounds)),
        ("retry cost", lambda: bench_retry.run(plan.retry_rounds)),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="fewer rounds, smaller workloads")
    size.add_argument("--smoke", action="store_true", help="tiny sizes: a test of the code")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="measure bulk peak memory with tracemalloc (exact, but minutes slower)",
    )
    options = parser.parse_args(argv)
    plan = SMOKE if options.smoke else QUICK if options.quick else FULL
    # Small workloads are below the resident set's granularity.
    trace = options.tracemalloc or plan is not FULL

    from bench._harness import code_line, format_table, machine_line

    print(machine_line())
    print(code_line(Path(__file__).resolve().parent.parent))
    from bench.bench_decode import json_codec

    print(f"JSON: {json_codec()}", flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    for label, step in steps(plan, trace):
        began = time.perf_counter()
        print(f"running {label} ...", end=" ", file=sys.stderr, flush=True)
        rows.extend(step())
        print(f"{time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)
    print()
    print(format_table(rows))
    judged = [row for row in rows if row.met is not None]
    met = sum(1 for row in judged if row.met)
    elapsed = time.perf_counter() - started
    print()
    load = ""
    if hasattr(os, "getloadavg"):
        load = "; load avg at the end {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    print(f"{met} of {len(judged)} targets met; {elapsed:.0f} s in all{load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

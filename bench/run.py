"""Run every benchmark and print one table: ``python bench/run.py [--quick] [--tracemalloc]``.

Each benchmark runs the library ("ours") and its baseline against the same
loopback server in the same run, several rounds, and reports median and
min-max spread for each side, the ratio, the target and whether it was met.
Benchmarks print figures; nothing here asserts on time. ``--quick`` uses fewer
rounds and smaller workloads, as a smoke test (well under 20 s).
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
    sniffio_calls: int
    decode_orders: int
    bulk_orders: int
    bulk_rounds: int
    memory_big: int
    memory_small: int
    memory_rounds: int
    connection_calls: int
    import_rounds: int


FULL = Plan(
    rounds=5,
    call_rounds=3,
    get_calls=2_000,
    sniffio_calls=200,
    decode_orders=10_000,
    bulk_orders=10_000,
    bulk_rounds=3,
    memory_big=100_000,
    memory_small=1_000,
    memory_rounds=3,
    connection_calls=1_000,
    import_rounds=10,
)
QUICK = Plan(
    rounds=2,
    call_rounds=2,
    get_calls=100,
    sniffio_calls=50,
    decode_orders=1_000,
    bulk_orders=1_000,
    bulk_rounds=1,
    memory_big=1_000,
    memory_small=100,
    memory_rounds=2,
    connection_calls=100,
    import_rounds=2,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, smaller workloads")
    parser.add_argument(
        "--tracemalloc",
        action="store_true",
        help="measure bulk peak memory with tracemalloc (exact, but minutes slower)",
    )
    options = parser.parse_args(argv)
    plan = QUICK if options.quick else FULL

    from bench import (
        bench_bulk,
        bench_connections,
        bench_decode,
        bench_import,
        bench_overhead,
        bench_retry,
    )
    from bench._harness import code_line, format_table, machine_line

    steps: list[tuple[str, Callable[[], list[Row]]]] = [
        ("per-call overhead", lambda: bench_overhead.run(plan.call_rounds, plan.get_calls)),
        (
            "async detection",
            lambda: [bench_overhead.sniffio_row(2, plan.sniffio_calls)],
        ),
        ("decoding", lambda: bench_decode.run(plan.rounds, plan.decode_orders)),
        ("bulk speed", lambda: bench_bulk.speed(plan.bulk_rounds, plan.bulk_orders)),
        (
            "bulk memory",
            lambda: bench_bulk.memory(
                plan.memory_rounds,
                plan.memory_big,
                plan.memory_small,
                # Small quick workloads are below the resident set's granularity.
                trace=options.tracemalloc or options.quick,
            ),
        ),
        ("connections", lambda: bench_connections.run(plan.connection_calls)),
        ("import time", lambda: bench_import.run(plan.import_rounds)),
        ("retry cost", lambda: bench_retry.run(plan.rounds)),
    ]
    print(machine_line())
    print(code_line(Path(__file__).resolve().parent.parent), flush=True)
    started = time.perf_counter()
    rows: list[Row] = []
    for label, step in steps:
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

"""Benchmark 3: bulk submit -- async speed-up, peak memory, streamed input.

Speed: ``submit_many`` of 10,000 orders (100 chunks of 100) against an echo
server that takes 25 ms per chunk, ``AsyncKomfortkasse`` with
``concurrency=8`` vs the sync client. With no client CPU the bound would be
8x (100 x 25 ms = 2.5 s sync vs 13 waves x 25 ms async); the CPU the client
spends per chunk (validating and encoding 100 orders, decoding 100
``OrderRead``) is serial in both and caps the speed-up. A note gives that CPU,
measured without the network, and the bound it implies.

Memory: one child process per run (``bench._memory_child``) submits a
generator of N orders through the sync client against a zero-delay echo
server. ``submit_many`` returns a list of every ``OrderRead``, so its peak
grows with N; the input side is shown to be streamed by a server hook that
counts how many orders the generator had produced when each chunk arrived.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench._harness import Row, Sample, Target, interleaved, ratio, timed
from bench._orders import write_orders
from bench._server import EchoStats, LoopbackServer, echo_orders
from komfortkasse import AsyncKomfortkasse, Komfortkasse, OrderWriteWithNumber
from komfortkasse import _core as core
from komfortkasse import _operations as ops

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "bench-key"
DELAY = 0.025
CONCURRENCY = 8
CHUNK = ops.MAX_CHUNK


def _sync(url: str, orders: list[OrderWriteWithNumber]) -> float:
    with Komfortkasse(api_key=API_KEY, base_url=url) as client:
        return timed(lambda: client.orders.submit_many(orders))


def _async(url: str, orders: list[OrderWriteWithNumber]) -> float:
    async def go() -> float:
        async with AsyncKomfortkasse(api_key=API_KEY, base_url=url) as client:
            start = time.perf_counter()
            await client.orders.submit_many(orders, concurrency=CONCURRENCY)
            return time.perf_counter() - start

    return asyncio.run(go())


def _client_cpu(orders: list[OrderWriteWithNumber]) -> tuple[float, float, float]:
    """Seconds of client CPU for the whole batch, without network: validating and
    encoding the chunks, decoding the echoed answers, and the echo server's own
    work (which shares this process's interpreter lock)."""
    flags = ops.includes(False, False, False, False)
    today = datetime.date.today()
    respond = echo_orders()
    chunks = [orders[i : i + CHUNK] for i in range(0, len(orders), CHUNK)]
    start = time.perf_counter()
    calls = [ops.submit_chunk(chunk, flags, today) for chunk in chunks]
    bodies = [json.dumps(call.json_body, separators=(",", ":")).encode() for call in calls]
    encode = time.perf_counter() - start
    start = time.perf_counter()
    answers = [respond("POST", "/orders", body)[1] for body in bodies]
    server = time.perf_counter() - start
    start = time.perf_counter()
    for call, answer in zip(calls, answers, strict=True):
        core.decode_response(call, 200, httpx.Headers(), answer)
    decode = time.perf_counter() - start
    return encode, decode, server


def speed(rounds: int, count: int) -> list[Row]:
    """One row: seconds for ``count`` orders, async (concurrency 8) vs sync."""
    orders = list(write_orders(count))
    stats = EchoStats()
    with LoopbackServer(echo_orders(DELAY, stats=stats)) as server:
        mine, theirs = interleaved(
            lambda: _async(server.url, orders), lambda: _sync(server.url, orders), rounds
        )
    encode, decode, echo = _client_cpu(orders)
    chunks = -(-count // CHUNK)
    waiting = chunks * DELAY
    cpu = encode + decode
    best = (waiting + cpu) / max(cpu, -(-chunks // CONCURRENCY) * DELAY)
    notes = (
        f"{chunks} chunks; server saw at most {stats.max_in_flight} chunks in flight",
        f"serial client CPU, no network: validate+encode {encode:.2f} s + decode {decode:.2f} s "
        f"= {cpu:.2f} s ({cpu / count * 1e6:.0f} us/order), plus {echo:.2f} s for the echo "
        f"server's JSON in the same process; sync waits {waiting:.1f} s on the server, async "
        f"cannot go below the {cpu:.2f} s of CPU: best possible speed-up here ~{best:.1f}x",
    )
    return [
        Row(
            name=f"3a. bulk {count:,} orders, 25 ms/chunk: async c={CONCURRENCY} vs sync",
            unit="s",
            ours=mine,
            baseline=theirs,
            figure=theirs.median / mine.median,
            target=Target(">=", 6.0),
            notes=notes,
        )
    ]


def _child(count: int, trace: bool, stream: bool = False) -> dict[str, int]:
    command = [sys.executable, "-m", "bench._memory_child", str(count)]
    if trace:
        command.append("--tracemalloc")
    if stream:
        command.append("--iter")
    done = subprocess.run(command, capture_output=True, text=True, check=True, cwd=ROOT)  # noqa: S603 -- this interpreter, fixed arguments
    figures: dict[str, int] = json.loads(done.stdout)
    return figures


def memory(rounds: int, big: int, small: int, *, trace: bool) -> list[Row]:
    """Peak memory of one ``big``-order generator run vs ``rounds`` ``small`` ones
    (the big run is the slow one; peak memory barely varies between runs), and
    the streaming evidence from the server hook."""
    small_runs = [_child(small, trace) for _ in range(rounds)]
    big_runs = [_child(big, trace)]
    mib = 1 / (1024 * 1024)
    ours = Sample(tuple(run["peak"] * mib for run in big_runs))
    baseline = Sample(tuple(run["peak"] * mib for run in small_runs))
    slope = (ours.median - baseline.median) / mib / (big - small)
    instrument = "tracemalloc peak" if trace else "peak RSS growth"
    notes = [
        f"{instrument}, one child process per run (1 run of {big:,}, {len(small_runs)} of "
        f"{small:,}); {slope / 1024:.1f} KiB more per order: the "
        "returned list[OrderRead] (submit_many keeps every result until it returns)",
    ]
    rows = [
        Row(
            name=f"3b. bulk peak memory, {big:,} vs {small:,} orders (sync, generator)",
            unit="MiB",
            ours=ours,
            baseline=baseline,
            figure=ratio(ours, baseline),
            target=Target("<=", 1.5),
            notes=tuple(notes),
        )
    ]
    if trace:
        working = Sample(tuple((r["peak"] - r["retained"]) * mib for r in big_runs))
        working_small = Sample(tuple((r["peak"] - r["retained"]) * mib for r in small_runs))
        rows.append(
            Row(
                name=f"3c. bulk working memory (peak - returned list), {big:,} vs {small:,}",
                unit="MiB",
                ours=working,
                baseline=working_small,
                figure=ratio(working, working_small),
                target=Target("<=", 1.5),
            )
        )
    iter_small = Sample(tuple(_child(small, trace, True)["peak"] * mib for _ in range(rounds)))
    iter_big = Sample((_child(big, trace, True)["peak"] * mib,))
    rows.append(
        Row(
            name=f"3e. bulk peak memory with submit_iter, {big:,} vs {small:,} orders (sync)",
            unit="MiB",
            ours=iter_big,
            baseline=iter_small,
            figure=ratio(iter_big, iter_small),
            target=Target("<=", 1.5),
            notes=(
                "the streaming variant: each OrderRead is consumed as its chunk is "
                "accepted, so nothing grows with the number of orders",
            ),
        )
    )
    first = big_runs[0]["first_chunk_produced"]
    in_hand = max(run["max_in_hand"] for run in big_runs)
    rows.append(
        Row(
            name=f"3d. bulk input streaming ({big:,}-order generator): orders in hand",
            unit="orders",
            ours=Sample((float(in_hand),)),
            baseline=None,
            figure=float(in_hand),
            target=Target("<=", CHUNK, " orders"),
            notes=(
                f"the generator had produced {first:,} of {big:,} orders when the "
                f"first chunk reached the server, and never more than {in_hand} ahead of the "
                "server's answers: the input is streamed, one chunk at a time",
            ),
        )
    )
    return rows

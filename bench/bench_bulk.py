"""Benchmark 3: bulk submit -- speed and client CPU, peak memory, streamed input.

Speed (3a): ``submit_many`` of N orders (chunks of 100) against an echo server
that takes 25 ms per chunk and runs in its own process
(``bench._echo_server``), so none of its JSON work is counted as client time.
Sides, all in the same run, alternating their order round by round:

* the sync client's ``submit_many``;
* ``AsyncKomfortkasse.orders.submit_many`` at concurrency 1, 2, 4, 8 and 16;
* the raw-httpx floor: ``httpx.Client`` (sequential) and ``httpx.AsyncClient``
  (the same concurrencies) posting the very bytes the client sends (recorded
  from a client on a ``MockTransport``) and ``json.loads`` of each answer.

Each side opens its connections (and fills the client's caches) with an
untimed warm-up first, then keeps them alive. Every wall-clock row has a
client-CPU row next to it: ``time.process_time()`` deltas of this process (the
client alone: the server is elsewhere), in microseconds per order.

Memory (3b-3e): one child process per run (``bench._memory_child``) submits a
generator of N orders through the sync client against a zero-delay echo
server in the child (its counting hook needs to share the generator's state).
``submit_many`` returns a list of every ``OrderRead``, so its peak grows with
N; the input side is shown to be streamed by a server hook that counts how
many orders the generator had produced when each chunk arrived.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import _mock
from bench._echo_server import EchoProcess
from bench._harness import Row, Sample, Target, ratio, speedup
from bench._mock import API_KEY, request_headers
from bench._orders import write_orders
from komfortkasse import AsyncKomfortkasse, Komfortkasse, OrderWriteWithNumber
from komfortkasse._bulk import MAX_CHUNK

ROOT = Path(__file__).resolve().parent.parent
DELAY = 0.025
CONCURRENCIES = (1, 2, 4, 8, 16)
CHUNK = MAX_CHUNK
#: Issue 13: async speed-up over sync at these concurrencies.
SPEEDUP_TARGETS = {8: Target(">=", 6.0), 16: Target(">=", 10.0)}
#: Issue 13: client CPU per order, sync and async.
CPU_TARGET = Target("<=", 30, " us")
#: The ``acknowledge_only=True`` rows (diagnostic: the targets are for OrderRead results).
ACK_CONCURRENCIES = (8, 16)

#: A recorded request: path (with query) and body, as the client sent them.
Sent = tuple[str, bytes]


@dataclass(frozen=True)
class Measure:
    """One timed run: wall seconds, process CPU seconds, and what the server saw."""

    wall: float
    cpu: float
    in_flight: int = 0
    server_cpu: float = 0.0


def _measure(action: Callable[[], Sequence[object]], count: int) -> Measure:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    got = len(action())
    measure = Measure(time.perf_counter() - wall, time.process_time() - cpu)
    if got != count:
        raise RuntimeError(f"expected {count} results, got {got}")
    return measure


async def _measure_async(action: Callable[[], Awaitable[Sequence[object]]], count: int) -> Measure:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    got = len(await action())
    measure = Measure(time.perf_counter() - wall, time.process_time() - cpu)
    if got != count:
        raise RuntimeError(f"expected {count} results, got {got}")
    return measure


def _ours_sync(url: str, orders: list[OrderWriteWithNumber], ack: bool = False) -> Measure:
    with Komfortkasse(api_key=API_KEY, base_url=url) as client:
        client.orders.submit_many(orders[:CHUNK], acknowledge_only=ack)  # connection, caches
        return _measure(
            lambda: client.orders.submit_many(orders, acknowledge_only=ack), len(orders)
        )


def _ours_async(
    url: str, orders: list[OrderWriteWithNumber], concurrency: int, ack: bool = False
) -> Measure:
    async def go() -> Measure:
        async with AsyncKomfortkasse(api_key=API_KEY, base_url=url) as client:
            # One chunk per connection the timed run will use.
            warm = orders[: CHUNK * concurrency]
            await client.orders.submit_many(warm, concurrency=concurrency, acknowledge_only=ack)
            return await _measure_async(
                lambda: client.orders.submit_many(
                    orders, concurrency=concurrency, acknowledge_only=ack
                ),
                len(orders),
            )

    return asyncio.run(go())


def _headers() -> dict[str, str]:
    return {**request_headers(), "Content-Type": "application/json"}


def _raw_sync(url: str, sent: list[Sent], count: int) -> Measure:
    headers = _headers()
    with httpx.Client() as http:

        def post(path: str, body: bytes) -> list[object]:
            response = http.post(url + path, content=body, headers=headers)
            if response.status_code != 200:
                raise RuntimeError(f"echo server answered {response.status_code}")
            answer: list[object] = json.loads(response.content)
            return answer

        def submit() -> list[object]:
            return [read for path, body in sent for read in post(path, body)]

        post(*sent[0])
        return _measure(submit, count)


def _raw_async(url: str, sent: list[Sent], count: int, concurrency: int) -> Measure:
    headers = _headers()

    async def go() -> Measure:
        async with httpx.AsyncClient() as http:

            async def post(path: str, body: bytes) -> list[object]:
                response = await http.post(url + path, content=body, headers=headers)
                if response.status_code != 200:
                    raise RuntimeError(f"echo server answered {response.status_code}")
                answer: list[object] = json.loads(response.content)
                return answer

            async def submit() -> list[object]:
                results: list[list[object]] = [[] for _ in sent]
                queue = iter(enumerate(sent))

                async def worker() -> None:
                    for index, (path, body) in queue:
                        results[index] = await post(path, body)

                await asyncio.gather(*(worker() for _ in range(concurrency)))
                return [read for chunk in results for read in chunk]

            await asyncio.gather(*(post(*sent[i % len(sent)]) for i in range(concurrency)))
            return await _measure_async(submit, count)

    return asyncio.run(go())


def _record(url: str, orders: list[OrderWriteWithNumber]) -> list[Sent]:
    """The requests the sync client makes for ``orders`` (paths and bodies), from
    a client on a recording ``MockTransport`` with the same ``base_url``."""
    sent: list[Sent] = []
    with _mock.sync_client(_mock.recorder(sent), base_url=url) as client:
        client.orders.submit_many(orders)
    return sent


def _sides(
    url: str, orders: list[OrderWriteWithNumber], sent: list[Sent]
) -> list[tuple[str, Callable[[], Measure]]]:
    count = len(orders)
    sides: list[tuple[str, Callable[[], Measure]]] = [
        ("sync", lambda: _ours_sync(url, orders)),
        ("raw sync", lambda: _raw_sync(url, sent, count)),
    ]
    for c in CONCURRENCIES:
        sides.append((f"async {c}", functools.partial(_ours_async, url, orders, c)))
        sides.append((f"raw {c}", functools.partial(_raw_async, url, sent, count, c)))
    sides.append(("sync ack", lambda: _ours_sync(url, orders, ack=True)))
    for c in ACK_CONCURRENCIES:
        sides.append((f"async {c} ack", functools.partial(_ours_async, url, orders, c, ack=True)))
    return sides


def _cpu_us(runs: list[Measure], count: int) -> Sample:
    return Sample(tuple(run.cpu / count * 1e6 for run in runs))


def _wall(runs: list[Measure]) -> Sample:
    return Sample(tuple(run.wall for run in runs))


def speed(rounds: int, count: int, delay: float = DELAY) -> list[Row]:
    """Wall-clock and client-CPU rows for sync, async at each concurrency, and
    the raw-httpx floor, ``count`` orders against the ``delay`` echo server."""
    orders = list(write_orders(count))
    runs: dict[str, list[Measure]] = {}
    with EchoProcess(delay) as server:
        sent = _record(server.url, orders)
        sides = _sides(server.url, orders, sent)
        for index in range(rounds):
            for name, side in sides if index % 2 == 0 else reversed(sides):
                server.stats()  # reset the counters (the warm-up is not counted)
                measure = side()
                seen = server.stats()
                runs.setdefault(name, []).append(
                    Measure(measure.wall, measure.cpu, int(seen["max_in_flight"]), seen["cpu"])
                )
    return _speed_rows(runs, count, len(sent), delay)


def _speed_rows(runs: dict[str, list[Measure]], count: int, chunks: int, delay: float) -> list[Row]:
    sync, raw_sync = _wall(runs["sync"]), _wall(runs["raw sync"])
    server_cpu = Sample(tuple(run.server_cpu / chunks * 1e3 for run in runs["sync"]))
    size = f"{count:,} orders ({chunks} chunks), {delay * 1e3:.0f} ms/chunk"
    rows = [
        Row(
            name=f"3a. bulk sync, {size}: wall vs raw httpx.Client",
            unit="s",
            ours=sync,
            baseline=raw_sync,
            figure=ratio(sync, raw_sync),
            target=None,
            notes=(
                f"waiting alone is {chunks * delay:.1f} s; the echo server runs in its own "
                f"process and spent {server_cpu.median:.2f} ms CPU per chunk there (not in "
                "any client figure)",
            ),
        ),
        _cpu_row(
            "3a. bulk sync: client CPU/order vs raw httpx.Client",
            runs,
            "sync",
            "raw sync",
            count,
        ),
    ]
    for c in CONCURRENCIES:
        ours, raw = _wall(runs[f"async {c}"]), _wall(runs[f"raw {c}"])
        in_flight = max(run.in_flight for run in runs[f"async {c}"])
        rows.append(
            Row(
                name=f"3a. bulk async c={c}: wall, speed-up over sync",
                unit="s",
                ours=ours,
                baseline=sync,
                figure=speedup(ours, sync),
                target=SPEEDUP_TARGETS.get(c),
                notes=(
                    f"most chunks in flight at the server: {in_flight}; the raw-httpx floor at "
                    f"c={c} is {speedup(raw, sync):.1f}x over sync submit_many "
                    f"({speedup(raw, raw_sync):.1f}x over raw httpx.Client)",
                ),
            )
        )
        rows.append(
            _cpu_row(
                f"3a. bulk async c={c}: client CPU/order vs raw httpx c={c}",
                runs,
                f"async {c}",
                f"raw {c}",
                count,
            )
        )
        rows.append(
            Row(
                name=f"3a. raw httpx floor c={c}: wall, speed-up over sync",
                unit="s",
                ours=raw,
                baseline=sync,
                figure=speedup(raw, sync),
                target=None,
                notes=(
                    "raw httpx.AsyncClient posting the client's recorded chunk bodies, json.loads "
                    f"of each answer; {speedup(raw, raw_sync):.1f}x over the sequential raw "
                    "httpx.Client",
                ),
            )
        )
    rows += _ack_rows(runs, count, sync)
    return rows


def _ack_rows(runs: dict[str, list[Measure]], count: int, sync: Sample) -> list[Row]:
    """Diagnostics: the same job with ``acknowledge_only=True`` (an ``OrderAck`` per
    order, no ``OrderRead`` decoded), beside the full rows."""
    full = _cpu_us(runs["sync"], count)
    ack = _cpu_us(runs["sync ack"], count)
    rows = [
        Row(
            name="3f. bulk acknowledge_only, sync: client CPU/order vs full results",
            unit="us/order",
            ours=ack,
            baseline=full,
            figure=ack.median,
            target=None,
            figure_unit=" us",
            notes=(
                f"{ack.median / full.median:.2f}x the CPU of decoding every OrderRead; "
                f"{ack.median / _cpu_us(runs['raw sync'], count).median:.1f}x the raw floor's",
            ),
        )
    ]
    for c in ACK_CONCURRENCIES:
        wall = _wall(runs[f"async {c} ack"])
        cpu = _cpu_us(runs[f"async {c} ack"], count)
        rows.append(
            Row(
                name=f"3f. bulk acknowledge_only, async c={c}: wall, speed-up over sync",
                unit="s",
                ours=wall,
                baseline=sync,
                figure=speedup(wall, sync),
                target=None,
                notes=(
                    f"client CPU {cpu.median:.1f} us/order; the full-results row at c={c}: "
                    f"{speedup(_wall(runs[f'async {c}']), sync):.1f}x",
                ),
            )
        )
    return rows


def _cpu_row(name: str, runs: dict[str, list[Measure]], ours: str, raw: str, count: int) -> Row:
    mine, floor = _cpu_us(runs[ours], count), _cpu_us(runs[raw], count)
    return Row(
        name=name,
        unit="us/order",
        ours=mine,
        baseline=floor,
        figure=mine.median,
        target=CPU_TARGET,
        notes=(
            f"process CPU of this (the client's) process during the timed run; "
            f"{mine.median / floor.median:.1f}x the raw floor's",
        ),
    )


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

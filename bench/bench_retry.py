"""Benchmark 6: what a retry costs beyond the backoff the policy asks for.

The fake holds the order's lock for two writes, so ``orders.submit`` meets
"Could not acquire lock" twice and succeeds on the third attempt. With
``jitter=0`` the policy's own schedule is exact: ``delay(1) + delay(2)``
(0.05 + 0.10 s). The clock starts when the client logs its first retry (right
after the first lock answer was decoded) and stops when ``submit`` returns; the
difference to the schedule is the two extra round trips plus any sleep
overshoot, reported as a percentage of the schedule. The note splits it: a
locked submit and a plain submit are each timed alone in every round.

The in-process twins run the same retried submit on an ``httpx.MockTransport``
that answers the fake's own lock error twice, then the order: no round trips,
so their extra is the sleep overshoot and the retry bookkeeping alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import time
from dataclasses import dataclass
from decimal import Decimal

import httpx

from bench import _mock
from bench._harness import Row, Sample, Target
from bench._orders import order_read_json
from komfortkasse import (
    Address,
    AsyncKomfortkasse,
    Komfortkasse,
    LockError,
    OrderType,
    OrderWrite,
    RetryPolicy,
)
from komfortkasse.testing import FakeKomfortkasse
from komfortkasse.testing._errors import LOCKED, row

POLICY = RetryPolicy(initial_delay=0.05, jitter=0.0)
HELD = 2
NUMBER = "1001"


class _RetryClock(logging.Handler):
    """Notes the time of each "retrying" log line of the client."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.times: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name == "komfortkasse" and record.getMessage().startswith(
            "komfortkasse: retrying"
        ):
            self.times.append(time.perf_counter())


def _order() -> OrderWrite:
    return OrderWrite(
        date=datetime.date.today(),
        type_=OrderType.PREPAYMENT,
        amount=Decimal("22.38"),
        currency="EUR",
        billing=Address(country_code="DE", last_name="Mustermann"),
    )


def _since_first_retry(clock: _RetryClock) -> float:
    """Seconds from the first "retrying" log line to now; checks the retry count."""
    end = time.perf_counter()
    if len(clock.times) != HELD:
        raise RuntimeError(f"expected {HELD} retries, saw {len(clock.times)}")
    return end - clock.times[0]


@dataclass
class _Round:
    """One round's figures (seconds): the retried submit, measured from the first
    lock answer, and the two kinds of round trip it contains, timed alone."""

    retried: float
    locked_trip: float
    plain_trip: float


def _sync_rounds(fake: FakeKomfortkasse, clock: _RetryClock, rounds: int) -> list[_Round]:
    order = _order()
    found = []
    with Komfortkasse(api_key=fake.api_key, base_url=fake.url, retry=POLICY) as client:
        once = client.with_options(retry=RetryPolicy.never())
        client.orders.submit(NUMBER, order)  # connection and caches warm
        for _ in range(rounds):
            fake.hold_lock(NUMBER, HELD)
            clock.times.clear()
            client.orders.submit(NUMBER, order)
            retried = _since_first_retry(clock)
            fake.hold_lock(NUMBER, 1)
            start = time.perf_counter()
            with contextlib.suppress(LockError):
                once.orders.submit(NUMBER, order)
            locked = time.perf_counter() - start
            start = time.perf_counter()
            client.orders.submit(NUMBER, order)
            found.append(_Round(retried, locked, time.perf_counter() - start))
    return found


async def _async_rounds(fake: FakeKomfortkasse, clock: _RetryClock, rounds: int) -> list[_Round]:
    """The async twin of :func:`_sync_rounds`."""
    order = _order()
    found = []
    async with AsyncKomfortkasse(api_key=fake.api_key, base_url=fake.url, retry=POLICY) as client:
        once = client.with_options(retry=RetryPolicy.never())
        await client.orders.submit(NUMBER, order)
        for _ in range(rounds):
            fake.hold_lock(NUMBER, HELD)
            clock.times.clear()
            await client.orders.submit(NUMBER, order)
            retried = _since_first_retry(clock)
            fake.hold_lock(NUMBER, 1)
            start = time.perf_counter()
            with contextlib.suppress(LockError):
                await once.orders.submit(NUMBER, order)
            locked = time.perf_counter() - start
            start = time.perf_counter()
            await client.orders.submit(NUMBER, order)
            found.append(_Round(retried, locked, time.perf_counter() - start))
    return found


def _lock_then_order(locked: list[int]) -> _mock.Handler:
    """Answer the fake's lock error while ``locked[0]`` > 0 (counting down), then
    the order; the same bytes every time."""
    documented = row(LOCKED)
    lock = httpx.Response(documented.status, json={"error": documented.format()}).content
    order = httpx.Response(200, json=order_read_json(0)).content

    def handle(request: httpx.Request) -> httpx.Response:
        if locked[0] > 0:
            locked[0] -= 1
            return httpx.Response(documented.status, content=lock, headers=_mock.JSON)
        return httpx.Response(200, content=order, headers=_mock.JSON)

    return handle


def _mock_sync(clock: _RetryClock, rounds: int) -> list[float]:
    locked = [0]
    found = []
    with _mock.sync_client(_lock_then_order(locked), retry=POLICY) as client:
        client.orders.submit(NUMBER, _order())  # caches warm
        for _ in range(rounds):
            locked[0] = HELD
            clock.times.clear()
            client.orders.submit(NUMBER, _order())
            found.append(_since_first_retry(clock))
    return found


async def _mock_async(clock: _RetryClock, rounds: int) -> list[float]:
    locked = [0]
    found = []
    async with _mock.async_client(_lock_then_order(locked), retry=POLICY) as client:
        await client.orders.submit(NUMBER, _order())
        for _ in range(rounds):
            locked[0] = HELD
            clock.times.clear()
            await client.orders.submit(NUMBER, _order())
            found.append(_since_first_retry(clock))
    return found


def run(rounds: int) -> list[Row]:
    """Two rows (sync, async): ms from the first lock answer to success vs the schedule."""
    expected = sum(POLICY.delay(n, lambda: 0.5) for n in range(1, HELD + 1))
    clock = _RetryClock()
    logger = logging.getLogger("komfortkasse")
    logger.addHandler(clock)
    try:
        with FakeKomfortkasse() as fake:
            sync = _sync_rounds(fake, clock, rounds)
            async_ = asyncio.run(_async_rounds(fake, clock, rounds))
        mock_sync = _mock_sync(clock, rounds)
        mock_async = asyncio.run(_mock_async(clock, rounds))
    finally:
        logger.removeHandler(clock)
    rows = []
    schedule = Sample((expected * 1e3,))
    for kind, found in (("sync", sync), ("async", async_)):
        measured = Sample(tuple(r.retried * 1e3 for r in found))
        locked = Sample(tuple(r.locked_trip * 1e3 for r in found)).median
        plain = Sample(tuple(r.plain_trip * 1e3 for r in found)).median
        extra = (measured.median - schedule.median) / schedule.median
        rest = measured.median - schedule.median - locked - plain
        rows.append(
            Row(
                name=f"6. retry, lock held for {HELD} writes, {kind}: time vs backoff",
                unit="ms",
                ours=measured,
                baseline=schedule,
                figure=extra * 100,
                target=Target("<=", 10, " %"),
                notes=(
                    f"extra over the policy's delay(1)+delay(2) = {expected * 1e3:.0f} ms: "
                    f"{measured.median - schedule.median:.1f} ms = the 2nd attempt's round trip "
                    f"(a locked submit alone: {locked:.1f} ms) + the 3rd's (a plain submit: "
                    f"{plain:.1f} ms) + {rest:.1f} ms left for sleep overshoot and retry "
                    "bookkeeping (medians)",
                ),
            )
        )
    for kind, seconds in (("sync", mock_sync), ("async", mock_async)):
        measured = Sample(tuple(value * 1e3 for value in seconds))
        extra = (measured.median - schedule.median) / schedule.median
        rows.append(
            Row(
                name=f"6. retry, lock held for {HELD} writes, {kind}, in-process: time vs backoff",
                unit="ms",
                ours=measured,
                baseline=schedule,
                figure=extra * 100,
                target=Target("<=", 10, " %"),
                notes=(
                    f"MockTransport, no round trips: {measured.median - schedule.median:.1f} ms "
                    "(median) of sleep overshoot and retry bookkeeping",
                ),
            )
        )
    return rows

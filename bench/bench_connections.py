"""Benchmark 4: sequential calls reuse one kept-alive TCP connection.

Runs against the shipped ``FakeKomfortkasse`` (this benchmark is partly about
the fake: it must keep connections alive for the count to mean anything). The
order is submitted by a separate client first, so the count covers exactly the
1,000 ``orders.get`` calls of a fresh client: 1 means one connection, opened
by the first call and reused by the other 999.
"""

from __future__ import annotations

import asyncio
import datetime
import time
from decimal import Decimal

from bench._harness import Row, Sample, Target
from komfortkasse import Address, AsyncKomfortkasse, Komfortkasse, OrderType, OrderWrite
from komfortkasse.testing import FakeKomfortkasse

NUMBER = "1001"


def _order() -> OrderWrite:
    return OrderWrite(
        date=datetime.date.today(),
        type_=OrderType.PREPAYMENT,
        amount=Decimal("22.38"),  # type: ignore[arg-type,unused-ignore]  # float before issue 9
        currency="EUR",
        billing=Address(country_code="DE", last_name="Mustermann", first_name="Max"),
    )


def _sync(fake: FakeKomfortkasse, calls: int) -> tuple[int, float]:
    before = fake.connection_count
    start = time.perf_counter()
    with Komfortkasse(api_key=fake.api_key, base_url=fake.url) as client:
        for _ in range(calls):
            client.orders.get(NUMBER)
    return fake.connection_count - before, time.perf_counter() - start


async def _async(fake: FakeKomfortkasse, calls: int) -> tuple[int, float]:
    before = fake.connection_count
    start = time.perf_counter()
    async with AsyncKomfortkasse(api_key=fake.api_key, base_url=fake.url) as client:
        for _ in range(calls):
            await client.orders.get(NUMBER)
    return fake.connection_count - before, time.perf_counter() - start


def run(calls: int) -> list[Row]:
    """Two rows: TCP connections opened by ``calls`` sequential gets, sync and async."""
    with FakeKomfortkasse() as fake:
        with Komfortkasse(api_key=fake.api_key, base_url=fake.url) as setup:
            setup.orders.submit(NUMBER, _order())
        results = {"sync": _sync(fake, calls), "async": asyncio.run(_async(fake, calls))}
    rows = []
    for kind, (opened, seconds) in results.items():
        rows.append(
            Row(
                name=f"4. connections, {calls:,} sequential gets, {kind} (fake)",
                unit="conn",
                ours=Sample((float(opened),)),
                baseline=None,
                figure=float(opened),
                target=Target("==", 1, " conn"),
                notes=(
                    f"{calls:,} gets took {seconds:.2f} s ({seconds / calls * 1e3:.2f} ms/call)",
                ),
            )
        )
    return rows

"""How a bulk submit stops: cancelled or timed out (the caller's ``accepted`` list is
exact), the caller's own exceptions (as themselves), an exception while encoding a
chunk (the accepted orders kept), the async stream used without ``async with``."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from komfortkasse import (
    BulkSubmitError,
    KomfortkasseError,
    OrderRead,
    OrderWriteWithNumber,
    SubmitStreamNotEnteredError,
    ValidationError,
)
from tests import samples
from tests.transports import echo_orders, mocked, mocked_async


def numbered(number: str, **extra: Any) -> OrderWriteWithNumber:
    """The sample order with a number, and ``extra`` among its unknown fields."""
    order = samples.numbered(number)
    order.additional_properties.update(extra)
    return order


def orders(count: int) -> Iterator[OrderWriteWithNumber]:
    return (numbered(str(n)) for n in range(count))


class Server:
    """Answers POST /orders with the chunk; chunks from ``hang_from`` on never answer."""

    def __init__(self, hang_from: int | None = None) -> None:
        self.hang_from = hang_from
        self.chunks = 0
        self.accepted: list[str] = []

    async def answer(self, request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        self.chunks += 1
        if self.hang_from is not None and self.chunks > self.hang_from:
            await anyio.sleep_forever()
        self.accepted += [o["number"] for o in sent]
        return echo_orders(request)

    def sync_answer(self, request: httpx.Request) -> httpx.Response:
        self.accepted += [o["number"] for o in json.loads(request.content)]
        return echo_orders(request)


# --- cancelled or timed out: the caller's accepted list is exact ---------------------


@pytest.mark.anyio
async def test_a_timed_out_async_submit_many_leaves_an_exact_accepted_list() -> None:
    server = Server(hang_from=6)  # 600 orders accepted, then the API stops answering
    accepted: list[OrderRead] = []
    with anyio.move_on_after(0.5) as scope:
        await mocked_async(server.answer).orders.submit_many(
            orders(1000), chunk_size=100, concurrency=4, accepted=accepted
        )
    assert scope.cancelled_caught
    assert len(accepted) == 600
    assert sorted(o.number for o in accepted) == sorted(server.accepted)


@pytest.mark.anyio
async def test_a_cancelled_stream_leaves_an_exact_accepted_list() -> None:
    server = Server(hang_from=3)
    accepted: list[OrderRead] = []
    seen = 0
    with anyio.move_on_after(0.5):
        async with mocked_async(server.answer).orders.submit_iter(
            orders(1000), chunk_size=10, concurrency=2, accepted=accepted
        ) as reads:
            async for _ in reads:
                seen += 1
    assert len(accepted) == 30  # including those accepted but not yet handed out
    assert seen <= len(accepted)


def test_sync_submit_many_fills_the_accepted_list_before_an_interrupt() -> None:
    server = Server()
    accepted: list[OrderRead] = []

    def interrupt(done: int, total: int | None) -> None:
        if done == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        mocked(server.sync_answer).orders.submit_many(
            orders(50), chunk_size=10, on_progress=interrupt, accepted=accepted
        )
    assert [o.number for o in accepted] == [str(n) for n in range(20)]


def test_accepted_must_be_a_list() -> None:
    with pytest.raises(ValidationError) as caught:
        mocked(Server().sync_answer).orders.submit_many(orders(1), accepted=())  # type: ignore[arg-type]
    assert caught.value.field == "accepted"


# --- the caller's own exceptions propagate as themselves --------------------------------


@pytest.mark.anyio
async def test_an_async_on_progress_error_propagates_as_itself() -> None:
    server = Server()
    accepted: list[OrderRead] = []

    def progress(done: int, total: int | None) -> None:
        if done >= 30:
            raise ValueError("progress bar broke")

    with pytest.raises(ValueError, match="progress bar broke") as caught:
        await mocked_async(server.answer).orders.submit_many(
            orders(100), chunk_size=10, concurrency=2, on_progress=progress, accepted=accepted
        )
    assert type(caught.value) is ValueError  # no ExceptionGroup around it
    assert len(accepted) == len(server.accepted)  # in-flight chunks finished and counted
    assert len(accepted) < 100  # no new chunk started


@pytest.mark.anyio
async def test_an_error_of_the_callers_iterable_propagates_as_itself() -> None:
    def broken() -> Iterator[OrderWriteWithNumber]:
        yield from orders(25)
        raise RuntimeError("CSV row 26 unreadable")

    with pytest.raises(RuntimeError, match="row 26") as caught:
        await mocked_async(Server().answer).orders.submit_many(broken(), chunk_size=10)
    assert type(caught.value) is RuntimeError


# --- an exception while sending one chunk keeps the accepted orders --------------------


class NotJson:
    """An extra field value JSON cannot encode."""


@pytest.mark.anyio
async def test_an_async_encoding_error_keeps_the_accepted_orders() -> None:
    items = [numbered(str(n)) for n in range(30)] + [numbered("bad", extra=NotJson())]
    items += [numbered(f"late-{n}") for n in range(5)]
    with pytest.raises(BulkSubmitError) as caught:
        await mocked_async(Server().answer).orders.submit_many(items, chunk_size=10, concurrency=1)
    stop = caught.value
    assert isinstance(stop, KomfortkasseError)
    assert len(stop.accepted) == 30
    assert isinstance(stop.error, TypeError | ValidationError)
    assert stop.failures[0].first_index == 30
    assert next(o.number for o in stop.not_sent()) == "bad"


def test_a_sync_encoding_error_keeps_the_accepted_orders() -> None:
    items = [numbered(str(n)) for n in range(20)] + [numbered("bad", extra=NotJson())]
    with pytest.raises(BulkSubmitError) as caught:
        mocked(Server().sync_answer).orders.submit_many(items, chunk_size=10)
    assert len(caught.value.accepted) == 20
    assert caught.value.failures[0].orders[0].number == "bad"


# --- the async stream without async with ---------------------------------------------


@pytest.mark.anyio
async def test_the_async_stream_without_async_with_raises_at_once() -> None:
    server = Server()
    kk = mocked_async(server.answer)
    with anyio.fail_after(5):  # it used to hang forever
        with pytest.raises(SubmitStreamNotEnteredError, match="async with") as caught:
            _ = [r async for r in kk.orders.submit_iter(orders(5))]
        with pytest.raises(TypeError):
            await kk.orders.submit_iter(orders(5)).__anext__()
    assert isinstance(caught.value, KomfortkasseError)
    assert server.chunks == 0


@pytest.mark.anyio
async def test_leaving_a_stream_that_was_never_entered_is_harmless() -> None:
    stream = mocked_async(Server().answer).orders.submit_iter(orders(5))
    await stream.__aexit__(None, None, None)


# --- typing: not_sent() and in_doubt need no narrowing ----------------------------------


def test_not_sent_needs_no_narrowing_under_mypy(tmp_path: Path) -> None:
    source = tmp_path / "user_code.py"
    source.write_text(
        textwrap.dedent(
            """
            from komfortkasse import BulkSubmitError, Komfortkasse, OrderWriteWithNumber


            def resume(kk: Komfortkasse, orders: list[OrderWriteWithNumber]) -> list[str]:
                try:
                    kk.orders.submit_many(orders)
                except BulkSubmitError as exc:
                    rest = list(exc.not_sent())
                    numbers = [order.number for order in rest]
                    numbers += [order.number for order in exc.in_doubt]
                    kk.orders.submit_many(rest)
                    return numbers
                return []
            """
        ),
        "utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_catches_what_the_run_time_refuses(tmp_path: Path) -> None:
    """Issue 12: a filter of the wrong type and a bulk input without numbers are type errors."""
    good = tmp_path / "good.py"
    good.write_text(
        textwrap.dedent(
            """
            from komfortkasse import Komfortkasse, PaymentStatus


            def poll(kk: Komfortkasse) -> int:
                paid = kk.orders.list(payment_status=PaymentStatus.PAID)
                some = kk.orders.list(payment_status=["PAID", PaymentStatus.PAID_PARTIAL])
                return len(paid) + len(some)
            """
        ),
        "utf-8",
    )
    bad = tmp_path / "bad.py"
    bad.write_text(
        textwrap.dedent(
            """
            import datetime
            from decimal import Decimal

            from komfortkasse import Address, Komfortkasse, OrderType, OrderWrite


            def wrong(kk: Komfortkasse) -> None:
                kk.orders.list(payment_status=42)
                order = OrderWrite(
                    date=datetime.date.today(), type_=OrderType.INVOICE, amount=Decimal("1"),
                    currency="EUR", billing=Address(country_code="DE", last_name="M"),
                )
                kk.orders.submit_many([order])
            """
        ),
        "utf-8",
    )
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    passed = subprocess.run([*command, str(good)], capture_output=True, text=True, check=False)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    failed = subprocess.run([*command, str(bad)], capture_output=True, text=True, check=False)
    assert failed.returncode == 1
    assert 'Argument "payment_status" to "list" of "OrdersResource"' in failed.stdout
    assert 'expected "OrderWriteWithNumber | OrderRead"  [list-item]' in failed.stdout
    assert "Found 2 errors" in failed.stdout

"""The async attempt deadline: one loop timer on asyncio, anyio's scope on trio.

The timer cancels the task as ``asyncio.timeout`` does and takes its cancel
request back; a cancellation from anyone else must pass through untouched.
"""

from __future__ import annotations

import asyncio
import json
import time

import anyio
import httpx
import pytest

from komfortkasse import APITimeoutError, AsyncKomfortkasse, RetryPolicy
from komfortkasse._async_deadline import AsyncioDeadline, attempt_deadline
from tests.samples import FAST, numbered, order_json

KEY = "deadline-test-key"
URL = "https://komfortkasse.test.invalid/api/v2"


def test_the_timer_cuts_a_slow_await_and_the_cancellation_ends_in_the_scope() -> None:
    async def main() -> tuple[bool, float, int]:
        task = asyncio.current_task()
        assert task is not None
        started = time.monotonic()
        scope = attempt_deadline(0.05)
        assert isinstance(scope, AsyncioDeadline)
        with scope:
            await asyncio.sleep(5)
        await asyncio.sleep(0)  # no cancel is left pending for the next await
        return scope.cancelled_caught, time.monotonic() - started, task.cancelling()

    caught, took, cancelling = asyncio.run(main())
    assert caught is True
    assert took < 2
    assert cancelling == 0


def test_a_block_that_ends_in_time_leaves_no_timer_behind() -> None:
    async def main() -> bool:
        scope = attempt_deadline(0.02)
        with scope:
            await asyncio.sleep(0)
        await asyncio.sleep(0.1)  # past the deadline: nothing may cancel us now
        return scope.cancelled_caught

    assert asyncio.run(main()) is False


def test_someone_elses_cancel_passes_through() -> None:
    async def inner(entered: asyncio.Event) -> None:
        with attempt_deadline(30):
            entered.set()
            await asyncio.sleep(30)

    async def main() -> None:
        entered = asyncio.Event()
        task = asyncio.create_task(inner(entered))
        await entered.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(main())


def test_an_outer_timeout_that_fires_too_is_not_swallowed() -> None:
    """Ours and an outer ``asyncio.timeout`` both cancel: the outer one still wins."""

    async def both() -> None:
        async with asyncio.timeout(0.01):
            with attempt_deadline(0.01):
                await asyncio.sleep(5)
            await asyncio.sleep(5)  # had ours swallowed both, this would hang

    async def main() -> None:
        with pytest.raises(TimeoutError):
            await both()

    asyncio.run(asyncio.wait_for(main(), 3))


def test_disarm_stops_the_timer() -> None:
    async def main() -> bool:
        scope = attempt_deadline(0.02)
        with scope:
            scope.disarm()
            await asyncio.sleep(0.1)
        return scope.cancelled_caught

    assert asyncio.run(main()) is False


def test_no_timeout_means_no_limit() -> None:
    async def main() -> bool:
        scope = attempt_deadline(None)
        with scope:
            await asyncio.sleep(0.01)
            scope.disarm()
        return scope.cancelled_caught

    assert asyncio.run(main()) is False


def _slow_client(http: httpx.AsyncClient) -> AsyncKomfortkasse:
    return AsyncKomfortkasse(
        KEY, base_url=URL, http_client=http, timeout=0.2, retry=RetryPolicy.never()
    )


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_a_slow_transport_times_the_attempt_out_on_each_backend(anyio_backend: str) -> None:
    """A transport that never answers in time: ``APITimeoutError`` after the
    attempt's budget, on asyncio (the loop timer) and on trio (anyio's scope)."""
    calls = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        await anyio.sleep(30)
        return httpx.Response(200, json=order_json("1001"))  # pragma: no cover

    started = time.monotonic()
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        kk = _slow_client(http)
        with pytest.raises(APITimeoutError) as caught:
            await kk.orders.get("1001")
    assert time.monotonic() - started < 10
    assert caught.value.operation == "getOrder"
    assert calls >= 1


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_a_prompt_answer_is_read_on_each_backend(anyio_backend: str) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await anyio.sleep(0)
        return httpx.Response(200, json=order_json("1001"))

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        read = await _slow_client(http).orders.get("1001")
    assert read.number == "1001"


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
@pytest.mark.anyio
async def test_bulk_submit_and_a_retry_run_on_each_backend(anyio_backend: str) -> None:
    """The workflows on top (chunks in flight at once, a lock retried after a
    wait) use anyio only, so they run on trio as on asyncio."""
    calls = 0

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if request.url.path.endswith("/order/7/setpaid") and calls == 1:
            return httpx.Response(400, json={"error": "Could not acquire lock"})
        if request.url.path.endswith("/orders"):
            sent = json.loads(request.content)
            return httpx.Response(200, json=[order_json(order["number"]) for order in sent])
        return httpx.Response(200, json=order_json("7"))

    orders = [numbered(f"B-{index}") for index in range(7)]
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        kk = AsyncKomfortkasse(KEY, base_url=URL, http_client=http, retry=FAST)
        assert (await kk.orders.set_paid("7")).number == "7"
        reads = await kk.orders.submit_many(orders, chunk_size=2, concurrency=3)
    assert [read.number for read in reads] == [order.number for order in orders]
    assert calls == 2 + 4  # the lock and its retry, then four chunks

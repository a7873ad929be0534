"""Streaming bulk submit: results as chunks are accepted, memory bounded by the window."""

from __future__ import annotations

import json
import random

import anyio
import httpx
import pytest

from komfortkasse import (
    AsyncKomfortkasse,
    BulkSubmitError,
    SubmitStreamNotEnteredError,
    ValidationError,
)
from tests.samples import KEY, numbered
from tests.transports import TEST_URL, echo_orders, mocked, mocked_async


class Echo:
    """Answers POST /orders with the chunk as OrderRead JSON; fails chunks on request."""

    def __init__(self, fail_first_number: str | None = None) -> None:
        self.chunks: list[list[str]] = []
        self.fail = fail_first_number

    def answer(self, request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        self.chunks.append([order["number"] for order in sent])
        if sent[0]["number"] == self.fail:
            return httpx.Response(400, json={"error": "Missing parameter amount"})
        return echo_orders(request)


def test_sync_submit_iter_is_lazy_and_ordered() -> None:
    echo = Echo()
    reads = mocked(echo.answer).orders.submit_iter(
        (numbered(str(n)) for n in range(25)), chunk_size=10
    )
    assert echo.chunks == []  # nothing sent before iteration
    first = next(reads)
    assert first.number == "0"
    assert len(echo.chunks) == 1  # one chunk sent, the rest of the input untouched
    assert [r.number for r in reads] == [str(n) for n in range(1, 25)]
    assert [len(c) for c in echo.chunks] == [10, 10, 5]


def test_sync_submit_iter_failure_reports_only_the_unyielded() -> None:
    echo = Echo(fail_first_number="10")
    reads = mocked(echo.answer).orders.submit_iter(
        [numbered(str(n)) for n in range(25)], chunk_size=10
    )
    got = [next(reads).number for _ in range(10)]
    with pytest.raises(BulkSubmitError) as caught:
        next(reads)
    assert got == [str(n) for n in range(10)]
    assert caught.value.accepted == []
    assert [o.number for o in caught.value.not_sent()] == [str(n) for n in range(10, 25)]


def test_submit_iter_validates_arguments_before_iteration() -> None:
    client = mocked(Echo().answer)
    with pytest.raises(ValidationError, match="chunk_size"):
        client.orders.submit_iter([], chunk_size=0)
    async_client = AsyncKomfortkasse(KEY, base_url=TEST_URL)
    with pytest.raises(ValidationError, match="concurrency"):
        async_client.orders.submit_iter([], concurrency=0)


@pytest.mark.anyio
async def test_async_stream_keeps_input_order_under_concurrency() -> None:
    in_flight = 0
    most = 0
    rng = random.Random(7)

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await anyio.sleep(rng.uniform(0, 0.01))
        in_flight -= 1
        sent = json.loads(request.content)
        return httpx.Response(200, json=[{**o, "paymentStatus": "PAID"} for o in sent])

    async with mocked_async(handler) as kk:
        stream = kk.orders.submit_iter(
            (numbered(str(n)) for n in range(200)), chunk_size=7, concurrency=5
        )
        async with stream as reads:
            numbers = [read.number async for read in reads]
    assert numbers == [str(n) for n in range(200)]
    assert 1 < most <= 5


@pytest.mark.anyio
async def test_async_stream_memory_is_bounded_by_the_window() -> None:
    requested: list[int] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        requested.append(int(json.loads(request.content)[0]["number"]))
        return echo_orders(request)

    async with (
        mocked_async(handler) as kk,
        kk.orders.submit_iter(
            (numbered(str(n)) for n in range(1000)), chunk_size=10, concurrency=3
        ) as reads,
    ):
        first = await reads.__anext__()
        await anyio.sleep(0.05)  # a slow consumer: the producer must wait for it
        assert first.number == "0"
        # 3 chunks in the window plus what the stream's buffer holds, never all 100.
        assert len(requested) <= 3 + 3 + 1
        # Leaving early cancels the rest.
    assert len(requested) < 100


@pytest.mark.anyio
async def test_async_stream_failure_after_yields() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        sent = json.loads(request.content)
        if sent[0]["number"] == "20":
            return httpx.Response(400, json={"error": "Could not update order (x)"})
        return httpx.Response(200, json=[{**o, "paymentStatus": "UNPAID"} for o in sent])

    got: list[str] = []

    async def consume(kk: AsyncKomfortkasse) -> None:
        async with kk.orders.submit_iter(
            [numbered(str(n)) for n in range(50)], chunk_size=10, concurrency=1
        ) as reads:
            async for read in reads:
                got.append(read.number)

    async with mocked_async(handler) as kk:
        with pytest.raises(BulkSubmitError) as caught:
            await consume(kk)
    assert got == [str(n) for n in range(20)]
    assert caught.value.failures[0].first_index == 20
    assert [o.number for o in caught.value.not_sent()] == [str(n) for n in range(20, 50)]


@pytest.mark.anyio
async def test_the_async_stream_hands_out_whole_chunks_after_single_reads() -> None:
    echo = Echo()
    orders = [numbered(str(i)) for i in range(7)]
    async with mocked_async(echo.answer).orders.submit_iter(orders, chunk_size=3) as reads:
        first = await reads.__anext__()
        rest = await reads.next_chunk()  # the rest of the first chunk
        assert rest is not None
        assert [first.number, *(r.number for r in rest)] == ["0", "1", "2"]
        second = await reads.next_chunk()
        assert second is not None
        assert [r.number for r in second] == ["3", "4", "5"]
        assert [r.number async for r in reads] == ["6"]
        assert await reads.next_chunk() is None


@pytest.mark.anyio
async def test_next_chunk_without_async_with_raises_at_once() -> None:
    stream = mocked_async(Echo().answer).orders.submit_iter([numbered("1")])
    with pytest.raises(SubmitStreamNotEnteredError):
        await stream.next_chunk()

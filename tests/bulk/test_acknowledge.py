"""``acknowledge_only=True``: an ``OrderAck`` (the number) per accepted order instead of
its ``OrderRead``; the same requests, the same checks of the answer's numbers, the same
``BulkSubmitError`` bookkeeping."""

from __future__ import annotations

import dataclasses
import json
import pickle
from typing import Any

import httpx
import pytest

from komfortkasse import (
    APIError,
    BulkSubmitError,
    OrderAck,
    OrderRead,
    ResponseValidationError,
    ValidationError,
)
from komfortkasse.testing import FakeKomfortkasse
from tests.samples import an_order, numbered, todays_order
from tests.transports import echo_orders, mocked, mocked_async


def _orders(count: int) -> list[Any]:
    return [numbered(f"A{n}", todays_order()) for n in range(count)]


def _recording(sent: list[bytes], answer: Any = echo_orders) -> Any:
    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        response: httpx.Response = answer(request)
        return response

    return handle


def test_sync_submit_many_acknowledges_each_order_with_the_same_requests() -> None:
    full: list[bytes] = []
    slim: list[bytes] = []
    with mocked(_recording(full)) as client:
        reads = client.orders.submit_many(_orders(5), chunk_size=2)
    with mocked(_recording(slim)) as client:
        acks = client.orders.submit_many(_orders(5), chunk_size=2, acknowledge_only=True)
    assert all(type(read) is OrderRead for read in reads)
    assert acks == [OrderAck(f"A{n}") for n in range(5)]
    assert slim == full  # what reaches the API does not change


def test_sync_submit_iter_yields_acknowledgements_and_fills_accepted() -> None:
    accepted: list[OrderAck] = []
    with mocked(echo_orders) as client:
        acks = client.orders.submit_iter(
            _orders(3), chunk_size=2, acknowledge_only=True, accepted=accepted
        )
        assert [ack.number for ack in acks] == ["A0", "A1", "A2"]
    assert accepted == [OrderAck("A0"), OrderAck("A1"), OrderAck("A2")]


@pytest.mark.anyio
async def test_async_submit_many_and_submit_iter_acknowledge_in_input_order() -> None:
    async with mocked_async(echo_orders) as client:
        acks = await client.orders.submit_many(
            _orders(7), chunk_size=2, concurrency=3, acknowledge_only=True
        )
        assert acks == [OrderAck(f"A{n}") for n in range(7)]
        async with client.orders.submit_iter(
            _orders(3), chunk_size=1, acknowledge_only=True
        ) as stream:
            assert [ack async for ack in stream] == [OrderAck(f"A{n}") for n in range(3)]


def test_against_the_fake_the_orders_are_created(fake: FakeKomfortkasse, fake_client: Any) -> None:
    acks = fake_client.orders.submit_many(_orders(3), acknowledge_only=True)
    assert [ack.number for ack in acks] == ["A0", "A1", "A2"]
    assert fake_client.orders.get("A1").number == "A1"


def test_an_acknowledgement_is_an_immutable_value() -> None:
    ack = OrderAck("A1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ack.number = "A2"  # type: ignore[misc]
    assert pickle.loads(pickle.dumps(ack)) == ack
    assert {ack, OrderAck("A1")} == {OrderAck("A1")}
    assert repr(ack) == "OrderAck(number='A1')"


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        ([{"numbr": "A0"}], "[0].number"),
        ([{"number": 7}], "[0].number"),
        (["A0"], "[0]"),
        ({"number": "A0"}, None),
    ],
)
def test_an_answer_without_a_string_number_is_refused_by_field(
    answer: Any, field: str | None
) -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answer)

    with mocked(handle) as client, pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many(_orders(1), acknowledge_only=True)
    error = caught.value.error
    assert isinstance(error, ResponseValidationError)
    assert error.field == field


def test_the_numbers_answered_are_checked_against_those_sent() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{"number": "other"}])

    with mocked(handle) as client, pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many(_orders(1), acknowledge_only=True)
    assert isinstance(caught.value.error, ResponseValidationError)
    assert "does not list" in str(caught.value.error)


def test_the_apis_error_sent_with_a_200_is_raised_as_itself() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"error": "Invalid API key"})

    with mocked(handle) as client, pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many(_orders(1), acknowledge_only=True)
    assert isinstance(caught.value.error, APIError)


def test_a_failed_later_chunk_keeps_the_acknowledgements_before_it() -> None:
    calls: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        calls.append(1)
        if len(calls) == 2:
            return httpx.Response(400, json={"error": "Order type invalid"})
        return echo_orders(request)

    with mocked(handle) as client, pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many(_orders(4), chunk_size=2, acknowledge_only=True)
    assert caught.value.accepted == [OrderAck("A0"), OrderAck("A1")]
    assert [order.number for order in caught.value.not_sent()] == ["A2", "A3"]


@pytest.mark.parametrize(
    "flag",
    ["include_postings", "include_collection_history", "include_payment_reminders",
     "include_refunds"],
)  # fmt: skip
def test_asking_for_more_than_is_read_is_refused_before_any_request(flag: str) -> None:
    sent: list[bytes] = []
    with mocked(_recording(sent)) as client, pytest.raises(ValidationError) as caught:
        client.orders.submit_many(_orders(1), acknowledge_only=True, **{flag: True})
    assert caught.value.field == "acknowledge_only"
    assert flag in caught.value.rule  # named as passed, not by its wire name
    assert sent == []


@pytest.mark.anyio
async def test_async_refuses_a_flag_that_is_not_a_bool_before_any_request() -> None:
    sent: list[bytes] = []
    async with mocked_async(_recording(sent)) as client:
        with pytest.raises(ValidationError) as caught:
            await client.orders.submit_many(_orders(1), acknowledge_only="yes")  # type: ignore[call-overload]
    assert caught.value.field == "acknowledge_only"
    assert sent == []


def test_the_default_still_decodes_every_order_read() -> None:
    body = [{**json.loads(json.dumps(an_order().to_dict())), "number": "A0"}]

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{**body[0], "paymentStatus": "UNPAID"}])

    with mocked(handle) as client:
        (read,) = client.orders.submit_many([numbered("A0")])
    assert isinstance(read, OrderRead)
    assert read.payment_status == "UNPAID"

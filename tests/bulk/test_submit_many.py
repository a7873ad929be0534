"""``submit_many``: orders in chunks of at most 100, each chunk checked before it is sent,
the answer checked against what was sent, failures reported with what was accepted."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request

from komfortkasse import (
    Address,
    AsyncKomfortkasse,
    BulkSubmitError,
    Komfortkasse,
    ResponseValidationError,
    RetryPolicy,
    ValidationError,
)
from komfortkasse.testing import FakeKomfortkasse
from tests.samples import (
    KEY,
    an_order,
    numbered,
    order_json,
    todays_order,
)
from tests.scripted import echo_orders, json_body, run_async


def test_a_locked_order_in_a_bulk_chunk_is_retried(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit_many([numbered("L1", todays_order()), numbered("L2", todays_order())])
    fake.hold_lock("L2", 2)
    reads = fake_client.orders.submit_many(
        [numbered(f"L{n}", todays_order()) for n in range(1, 6)], chunk_size=3
    )
    assert [o.number for o in reads] == ["L1", "L2", "L3", "L4", "L5"]
    bulk_posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/orders")]
    assert len(bulk_posts) == 1 + 2 + 1 + 1  # first call, the chunk twice locked, then both chunks


def test_submit_many_streams_in_chunks(httpserver: HTTPServer, client: Komfortkasse) -> None:
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_handler(echo_orders)
    pulled: list[int] = []

    def generate() -> Any:
        for n in range(250):
            pulled.append(n)
            yield numbered(str(n))

    progress: list[tuple[int, int | None]] = []
    reads = client.orders.submit_many(
        generate(), on_progress=lambda done, total: progress.append((done, total))
    )
    assert [r.number for r in reads] == [str(n) for n in range(250)]
    sizes = [len(json_body(request)) for request, _ in httpserver.log]
    assert sizes == [100, 100, 50]
    assert progress == [(100, None), (200, None), (250, None)]

    httpserver.clear_log()
    client.orders.submit_many(
        [numbered("a"), numbered("b"), numbered("c")],
        chunk_size=2,
        on_progress=lambda done, total: progress.append((done, total)),
    )
    assert progress[-2:] == [(2, 3), (3, 3)]


def test_submit_many_validates_each_chunk_before_sending(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    from komfortkasse import BulkSubmitError

    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_handler(echo_orders)
    orders = [numbered(str(n)) for n in range(5)]
    orders[3].billing = Address(country_code="DE")  # breaks the address rule
    with pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many(orders, chunk_size=2)
    error = caught.value
    assert [r.number for r in error.accepted] == ["0", "1"]
    assert isinstance(error.error, ValidationError)
    assert error.error.field == "orders[3].billing"
    assert error.failures[0].first_index == 2
    assert [o.number for o in error.not_sent()] == ["2", "3", "4"]
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("size", [0, 101, True])
def test_submit_many_chunk_size_bounds(client: Komfortkasse, size: int) -> None:
    with pytest.raises(ValidationError, match="chunk_size"):
        client.orders.submit_many([], chunk_size=size)


def test_submit_many_needs_numbers(client: Komfortkasse) -> None:
    from komfortkasse import BulkSubmitError

    with pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many([an_order()])
    assert isinstance(caught.value.error, ValidationError)
    assert caught.value.error.field == "orders[0].number"


@pytest.mark.anyio
async def test_async_submit_many_reports_failures_and_the_rest(httpserver: HTTPServer) -> None:
    from komfortkasse import BulkSubmitError

    def handler(request: Request) -> Any:
        from werkzeug import Response

        sent = json.loads(request.get_data())
        if sent[0]["number"] == "2":
            return Response(json.dumps({"error": "Missing parameter amount"}), status=400)
        return echo_orders(request)

    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_handler(handler)
    async with AsyncKomfortkasse(
        KEY, base_url=httpserver.url_for("/api/v2"), retry=RetryPolicy.never()
    ) as kk:
        with pytest.raises(BulkSubmitError) as caught:
            await kk.orders.submit_many(
                (numbered(str(n)) for n in range(10)), chunk_size=2, concurrency=1
            )
    error = caught.value
    assert [r.number for r in error.accepted] == ["0", "1"]
    assert [f.first_index for f in error.failures] == [2]
    assert [o.number for o in error.not_sent()] == [str(n) for n in range(2, 10)]
    assert len(httpserver.log) == 2


@pytest.mark.parametrize(
    ("answer", "detail"),
    [
        (["A"], "missing: 'B'"),
        (["A", "B", "C"], "not sent: 'C'"),
        (["A", "X"], "missing: 'B'; not sent: 'X'"),
        (["A", "B", "B"], "more often than sent: 'B'"),
        ([], "missing: 'A', 'B'"),
    ],
)
def test_a_bulk_answer_must_list_exactly_the_orders_sent(
    client: Komfortkasse, httpserver: HTTPServer, answer: list[str], detail: str
) -> None:
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_json(
        [order_json(n) for n in answer]
    )
    with pytest.raises(BulkSubmitError) as caught:
        client.orders.submit_many([numbered("A"), numbered("B")])
    error = caught.value.error
    assert isinstance(error, ResponseValidationError)
    assert detail in str(error)
    assert caught.value.accepted == []


def test_a_bulk_answer_is_refused_async(
    httpserver: HTTPServer, async_client: AsyncKomfortkasse
) -> None:
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_json([order_json("A")])
    with pytest.raises(BulkSubmitError) as caught:
        run_async(async_client, lambda kk: kk.orders.submit_many([numbered("A"), numbered("B")]))
    assert isinstance(caught.value.error, ResponseValidationError)


def test_a_bulk_answer_in_another_order_or_deduplicated_is_believed(
    client: Komfortkasse, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/api/v2/orders", method="POST").respond_with_json(
        [order_json("B"), order_json("A")]
    )
    reads = client.orders.submit_many([numbered("A"), numbered("B"), numbered("A")])
    assert sorted(r.number for r in reads) == ["A", "B"]


def test_submit_many_of_none_is_a_validation_error(client: Komfortkasse) -> None:
    for bad in (None, 5, numbered("A"), "A,B", b"A"):
        with pytest.raises(ValidationError) as caught:
            client.orders.submit_many(bad)  # type: ignore[arg-type]
        assert caught.value.field == "orders"
        with pytest.raises(ValidationError):
            client.orders.submit_iter(bad)  # type: ignore[arg-type]


def test_async_submit_many_of_none_is_a_validation_error(async_client: AsyncKomfortkasse) -> None:
    with pytest.raises(ValidationError) as caught:
        run_async(async_client, lambda kk: kk.orders.submit_many(None))
    assert caught.value.field == "orders"
    with pytest.raises(ValidationError):
        run_async(async_client, lambda kk: kk.orders.sync(None))


def test_nothing_is_sent_for_refused_input(client: Komfortkasse, httpserver: HTTPServer) -> None:
    with pytest.raises(ValidationError):
        client.orders.submit_many(None)  # type: ignore[arg-type]
    assert httpserver.log == []

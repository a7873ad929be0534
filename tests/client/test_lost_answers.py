"""A server that acts on the request and then drops the answer (the fake's
``drop_after_handling``), beyond the 13 cells per fault of the fault matrix: creates
with an initial dunning level (single and bulk), refund and set-paid resolution edge
cases, and the policy switches that forbid a resend. Each side effect happens once."""

from __future__ import annotations

import logging
from decimal import Decimal

import anyio
import pytest

from komfortkasse import (
    APIConnectionError,
    AsyncKomfortkasse,
    BulkSubmitError,
    Komfortkasse,
    OrderAlreadyPaidError,
    OrderWrite,
    OrderWriteWithNumber,
    Refund,
    RefundAlreadyExistsError,
    RetryPolicy,
    ServerError,
    money,
)
from komfortkasse.testing import FakeKomfortkasse
from tests import samples
from tests.samples import TODAY, an_order
from tests.transports import closed_url

POLICY = RetryPolicy(max_attempts=4, initial_delay=0.001, max_delay=0.002, jitter=0)


@pytest.fixture
def retry_policy() -> RetryPolicy:
    return POLICY


def order(**changes: object) -> OrderWrite:
    """The sample order dated today, 10.00 EUR."""
    return an_order(**{"date": TODAY, "amount": money("10.00"), **changes})


def numbered(number: str, **changes: object) -> OrderWriteWithNumber:
    return samples.numbered(number, order(**changes))


def a_refund(reference: str = "RMA-1", amount: str = "4.00") -> Refund:
    return samples.a_refund(external_reference=reference, amount=money(amount))


def paths(fake: FakeKomfortkasse, since: int) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.requests[since:]]


# --- create with an initial dunning level ----------------------------------------------


def test_a_create_with_an_initial_dunning_level_is_not_resent(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake.inject_fault("drop_after_handling")
    with pytest.raises(APIConnectionError) as caught:
        fake_client.orders.submit("D-1", order(initial_dunning_level=2))
    assert caught.value.request_sent is True
    assert len(fake.requests) == 1  # not resent: the repeat would be refused as an update
    assert fake.order("D-1").dunning_level == 2  # created once, with its level
    [note] = caught.value.__notes__
    assert "orders.get('D-1')" in note
    assert "request_sent" in note


def test_a_create_with_dunning_level_zero_is_still_an_upsert(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake.inject_fault("drop_after_handling")
    assert fake_client.orders.submit("D-0", order(initial_dunning_level=0)).number == "D-0"
    assert len(fake.requests) == 2


def test_a_create_with_a_dunning_level_and_a_server_error_is_not_resent(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake.inject_fault("500")
    with pytest.raises(ServerError) as caught:
        fake_client.orders.submit("D-1", order(initial_dunning_level=1))
    assert len(fake.requests) == 1
    assert "may have been carried out" in caught.value.__notes__[0]


def test_bulk_chunk_with_a_dunning_level_is_in_doubt_and_the_resume_does_not_fail(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    orders = [numbered("A-1"), numbered("A-2")]  # chunk 1: plain upserts
    orders += [numbered("B-1", initial_dunning_level=1), numbered("B-2")]  # chunk 2
    orders += [numbered("C-1"), numbered("C-2")]  # chunk 3: never sent
    fake.inject_fault("drop_after_handling", path_contains="/orders")  # chunk 1: an upsert

    def after_chunk(done: int, total: int | None) -> None:
        if done == 2:  # chunk 1 accepted (after its resend): lose chunk 2's answer
            fake.inject_fault("drop_after_handling", path_contains="/orders")

    with pytest.raises(BulkSubmitError) as caught:
        fake_client.orders.submit_many(orders, chunk_size=2, on_progress=after_chunk)
    stop = caught.value
    assert isinstance(stop.error, APIConnectionError)
    assert [o.number for o in stop.accepted] == ["A-1", "A-2"]
    assert [o.number for o in stop.in_doubt] == ["B-1", "B-2"]
    assert stop.failures[0].in_doubt
    assert "initial dunning level may have been created" in str(stop)
    # Created once, by the lost request:
    assert fake.order("B-1").dunning_level == 1
    rest = list(stop.not_sent())
    assert [o.number for o in rest] == ["C-1", "C-2"]
    # The resume with not_sent() succeeds (it no longer fails forever).
    assert [o.number for o in fake_client.orders.submit_many(rest)] == ["C-1", "C-2"]


def test_a_bulk_chunk_with_a_dunning_level_refused_outright_is_not_in_doubt(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("B-1", order())
    with pytest.raises(BulkSubmitError) as caught:
        fake_client.orders.submit_many([numbered("B-1", initial_dunning_level=1)])
    assert caught.value.in_doubt == []  # a 400: the API did nothing
    assert [o.number for o in caught.value.not_sent()] == ["B-1"]


def test_bulk_chunks_without_dunning_levels_are_resent(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake.inject_fault("drop_after_handling", path_contains="/orders")
    reads = fake_client.orders.submit_many([numbered("P-1"), numbered("P-2")])
    assert [o.number for o in reads] == ["P-1", "P-2"]
    assert len(fake.requests) == 2


# --- ordersync -----------------------------------------------------------------------------


def test_a_sync_whose_answer_is_lost_is_not_resent(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("S-1", order())
    fake_client.orders.submit("S-2", order())
    before = len(fake.requests)
    fake.inject_fault("drop_after_handling", path_contains="ordersync")
    with pytest.raises(APIConnectionError) as caught:
        fake_client.orders.sync(["S-1"])
    assert paths(fake, before) == ["POST /api/v2/ordersync"]
    assert fake.order("S-2").payment_status == "LEGACY"
    assert "orders.preview_sync()" in caught.value.__notes__[0]


def test_a_sync_that_could_not_connect_is_retried(fake: FakeKomfortkasse) -> None:
    closed = closed_url()
    with (
        Komfortkasse(fake.api_key, base_url=closed, retry=POLICY) as fake_client,
        pytest.raises(APIConnectionError) as caught,
    ):
        fake_client.orders.sync(["S-1"])
    assert caught.value.request_sent is False
    assert caught.value.__notes__ == ["gave up after 4 attempts"]  # retried, no doubt note


# --- refund: resend and read back ---------------------------------------------------------


def test_a_lost_refund_answer_is_resolved_by_reading_the_refunds_back(
    fake: FakeKomfortkasse, fake_client: Komfortkasse, caplog: pytest.LogCaptureFixture
) -> None:
    fake_client.orders.submit("R-1", order())
    fake.receive_payment("R-1", Decimal("10.00"))  # a refund needs money paid
    before = len(fake.requests)
    fake.inject_fault("drop_after_handling", path_contains="refund")
    caplog.set_level(logging.WARNING, logger="komfortkasse")
    read = fake_client.orders.refund("R-1", a_refund())
    assert read.external_reference == "RMA-1"
    assert Decimal(str(read.amount)) == Decimal("4.00")
    assert len(fake.order("R-1").refunds) == 1  # created once
    assert paths(fake, before) == [
        "POST /api/v2/order/R-1/refund",
        "POST /api/v2/order/R-1/refund",
        "GET /api/v2/order/R-1",
    ]
    assert fake.requests[-1].query.get("includeRefunds") == ["true"]
    [warning] = [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]
    assert "createRefund" in warning


def test_a_genuine_duplicate_refund_is_still_refused(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("R-1", order())
    fake.receive_payment("R-1", Decimal("10.00"))  # a refund needs money paid
    fake_client.orders.refund("R-1", a_refund())
    before = len(fake.requests)
    with pytest.raises(RefundAlreadyExistsError):
        fake_client.orders.refund("R-1", a_refund())
    assert len(fake.requests) == before + 1  # no resend, no read back


def test_a_refused_resend_for_another_refund_is_not_taken_for_ours(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("R-1", order())
    fake.receive_payment("R-1", Decimal("10.00"))  # a refund needs money paid
    fake_client.orders.refund("R-1", a_refund(amount="1.00"))  # the reference is already used
    fake.inject_fault("500", path_contains="refund")
    with pytest.raises(RefundAlreadyExistsError) as caught:
        fake_client.orders.refund("R-1", a_refund(amount="2.00"))
    note = caught.value.__notes__[-1]
    assert "no refund with this external_reference, amount and currency" in note
    assert "orders.get('R-1', include_refunds=True)" in note
    assert len(fake.order("R-1").refunds) == 1


def test_a_refund_whose_read_back_fails_says_how_to_check(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("R-1", order())
    fake.receive_payment("R-1", Decimal("10.00"))  # a refund needs money paid
    fake.inject_fault("drop_after_handling", path_contains="refund")
    fake.inject_fault("500", path_contains="includeRefunds", times=10)
    with pytest.raises(ServerError) as caught:
        fake_client.orders.refund("R-1", a_refund())
    assert any("reading the result back failed" in n for n in caught.value.__notes__)
    assert len(fake.order("R-1").refunds) == 1


@pytest.mark.parametrize(
    "policy",
    [RetryPolicy.never(), RetryPolicy(retry_server_errors=False, initial_delay=0.001)],
    ids=["never", "no-server-errors"],
)
def test_a_policy_that_forbids_retries_forbids_the_resend(
    fake: FakeKomfortkasse, policy: RetryPolicy
) -> None:
    with Komfortkasse(fake.api_key, base_url=fake.url, retry=policy) as fake_client:
        fake_client.orders.submit("R-1", order())
        fake.receive_payment("R-1", Decimal("10.00"))  # a refund needs money paid
        before = len(fake.requests)
        fake.inject_fault("drop_after_handling", path_contains="refund")
        with pytest.raises(APIConnectionError) as caught:
            fake_client.orders.refund("R-1", a_refund())
    assert len(fake.requests) == before + 1
    assert "orders.get('R-1', include_refunds=True)" in caught.value.__notes__[0]


def test_a_resend_that_fails_again_says_how_to_check(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("R-1", order())
    fake.receive_payment("R-1", Decimal("10.00"))  # a refund needs money paid
    before = len(fake.requests)
    fake.inject_fault("500", path_contains="refund", times=10)
    with pytest.raises(ServerError) as caught:
        fake_client.orders.refund("R-1", a_refund())
    assert len(fake.requests) == before + POLICY.max_attempts  # the first one and 3 resends
    assert any("To check, " in n for n in caught.value.__notes__)


# --- set-paid: resend and read back -------------------------------------------------------


def test_a_lost_set_paid_answer_is_resolved_by_reading_the_order_back(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("P-1", order())
    before = len(fake.requests)
    fake.inject_fault("drop_after_handling", path_contains="setpaid")
    read = fake_client.orders.set_paid("P-1")
    assert read.number == "P-1"
    assert read.payment_status == "PAID"
    assert paths(fake, before) == [
        "POST /api/v2/order/P-1/setpaid",
        "POST /api/v2/order/P-1/setpaid",
        "GET /api/v2/order/P-1",
    ]


def test_set_paid_on_a_paid_order_is_still_refused(
    fake: FakeKomfortkasse, fake_client: Komfortkasse
) -> None:
    fake_client.orders.submit("P-1", order())
    fake_client.orders.set_paid("P-1")
    with pytest.raises(OrderAlreadyPaidError):
        fake_client.orders.set_paid("P-1")


# --- never repeated: cancel, remove, set-unpaid, invoice ---------------------------------


@pytest.mark.parametrize(
    ("operation", "hint"),
    [
        ("cancel", "whether it was cancelled"),
        ("remove", "DISAPPEARED"),
        ("set_unpaid", "still PAID"),
        ("upload_invoice", "merchant area"),
    ],
)
def test_never_repeated_writes_say_how_to_check(
    fake: FakeKomfortkasse, fake_client: Komfortkasse, operation: str, hint: str
) -> None:
    fake_client.orders.submit("N-1", order())
    fake_client.orders.set_paid("N-1")
    before = len(fake.requests)
    fake.inject_fault("drop_after_handling")
    method = getattr(fake_client.orders, operation)
    args = ("N-1", "INV-1", b"%PDF-1.4") if operation == "upload_invoice" else ("N-1",)
    with pytest.raises(APIConnectionError) as caught:
        method(*args)
    assert len(fake.requests) == before + 1
    assert caught.value.request_sent is True
    [note] = caught.value.__notes__
    assert hint in note
    assert note.startswith(f"{caught.value.operation} may have been carried out")


# --- the async twins ------------------------------------------------------------------------


def test_async_lost_answers(fake: FakeKomfortkasse) -> None:
    async def main() -> None:
        async with AsyncKomfortkasse(fake.api_key, base_url=fake.url, retry=POLICY) as fake_client:
            await fake_client.orders.submit("A-1", order())
            fake.receive_payment("A-1", Decimal("10.00"))  # a refund needs money paid
            fake.inject_fault("drop_after_handling", path_contains="refund")
            refund = await fake_client.orders.refund("A-1", a_refund())
            assert refund.external_reference == "RMA-1"
            fake.inject_fault("drop_after_handling", path_contains="setpaid")
            assert (await fake_client.orders.set_paid("A-1")).payment_status == "PAID"
            fake.inject_fault("drop_after_handling", path_contains="cancel")
            with pytest.raises(APIConnectionError) as caught:
                await fake_client.orders.cancel("A-1")
            assert "orders.get('A-1')" in caught.value.__notes__[0]
            fake.inject_fault("drop_after_handling")
            with pytest.raises(APIConnectionError):
                await fake_client.orders.submit("A-2", order(initial_dunning_level=1))
            fake.inject_fault("drop_after_handling", path_contains="/orders")
            with pytest.raises(BulkSubmitError) as bulk:
                await fake_client.orders.submit_many([numbered("A-3", initial_dunning_level=1)])
            assert [o.number for o in bulk.value.in_doubt] == ["A-3"]
            assert list(bulk.value.not_sent()) == []
            # A refund whose repeat is refused for another refund: not ours.
            fake.inject_fault("500", path_contains="refund")
            with pytest.raises(RefundAlreadyExistsError):
                await fake_client.orders.refund("A-1", a_refund(amount="3.00"))
            fake.inject_fault("drop_after_handling", path_contains="ordersync")
            with pytest.raises(APIConnectionError):
                await fake_client.orders.sync(["A-1"])

    anyio.run(main)
    assert len(fake.order("A-1").refunds) == 1
    assert fake.order("A-2").dunning_level == 1
    assert fake.order("A-3").dunning_level == 1


def test_async_refund_read_back_failure_and_forbidding_policy(fake: FakeKomfortkasse) -> None:
    async def main() -> None:
        async with AsyncKomfortkasse(fake.api_key, base_url=fake.url, retry=POLICY) as fake_client:
            await fake_client.orders.submit("A-1", order())
            fake.receive_payment("A-1", Decimal("10.00"))  # a refund needs money paid
            fake.inject_fault("drop_after_handling", path_contains="refund")
            fake.inject_fault("500", path_contains="includeRefunds", times=10)
            with pytest.raises(ServerError) as caught:
                await fake_client.orders.refund("A-1", a_refund())
            assert any("reading the result back" in n for n in caught.value.__notes__)
            fake.inject_fault("500", path_contains="setpaid", times=10)
            with pytest.raises(ServerError) as again:
                await fake_client.orders.set_paid("A-1")
            assert any("To check, " in n for n in again.value.__notes__)
            never = fake_client.with_options(retry=RetryPolicy.never())
            fake.inject_fault("drop_after_handling", path_contains="refund")
            with pytest.raises(APIConnectionError):
                await never.orders.refund("A-1", a_refund("RMA-2"))

    anyio.run(main)

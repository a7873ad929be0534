"""Every operation under every fault, sync and async: the outcome and the number of requests
the fake received are those of ``tools/fault_matrix.py`` (the documented rules), and that
table is what ``docs/fault-matrix.md`` shows."""

from __future__ import annotations

import contextlib
import logging
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from komfortkasse import (
    AsyncKomfortkasse,
    BulkSubmitError,
    Komfortkasse,
    KomfortkasseError,
    LockError,
    OrderRead,
    PostingRead,
    RetryPolicy,
    ServerError,
    TransportError,
    UnexpectedResponseError,
)
from komfortkasse._retry import SAFE_TO_REPEAT
from komfortkasse.testing import FakeKomfortkasse, FaultKind
from tests.operations import NUMBER, OPERATIONS
from tests.repo import ROOT, load_tool, spec_operation_ids
from tests.samples import todays_order
from tests.transports import closed_url

fm = load_tool("fault_matrix")

FAST = RetryPolicy(
    max_attempts=fm.MAX_ATTEMPTS, initial_delay=0.001, max_delay=0.002, jitter=0, max_elapsed=30
)
#: Building an SSL context loads the CA bundle (~50 ms); the clients share one. They are
#: otherwise the clients the library builds itself (no redirects followed).
SSL_CONTEXT = ssl.create_default_context()
CELLS = [(op, fault.key) for op in fm.OPERATIONS for fault in fm.FAULTS]
IDS = [f"{op}-{fault}" for op, fault in CELLS]
ASYNC_CELLS = [(op, fault) for op, fault in CELLS if fault not in fm.SYNC_ONLY]
ASYNC_IDS = [f"{op}-{fault}" for op, fault in ASYNC_CELLS]


def check_result(operation: str, result: object, *, exact: bool = True) -> None:
    """A success returns what the operation documents (``exact``: about our order)."""
    assert isinstance(result, OPERATIONS[operation].returns)
    if operation in ("readOrders", "submitOrders"):
        assert isinstance(result, list)
        assert [o.number for o in result] == [NUMBER] or not exact
        assert all(isinstance(o, OrderRead) for o in result)
    elif operation == "readPostings":
        assert isinstance(result, list)
        assert len(result) == 1
        assert isinstance(result[0], PostingRead)
    elif operation == "syncOrders":
        assert result == 0
    elif operation == "getImage":
        assert isinstance(result, bytes)
        assert result.startswith(b"\x89PNG")
    elif isinstance(result, OrderRead):
        assert result.number == NUMBER


#: Faults whose answer replaces the handling: the request has no effect.
FAULT_ANSWERS = frozenset(kind.value for kind in FaultKind if not kind.handles_request)

#: For the operations that must never be repeated: whether their effect is visible.
EFFECTS: dict[str, Callable[[FakeKomfortkasse], bool]] = {
    "setOrderPaid": lambda fake: fake.order(NUMBER).payment_status == "PAID",
    "setOrderUnpaid": lambda fake: fake.order(NUMBER).payment_status != "PAID",
    "cancelOrder": lambda fake: fake.order(NUMBER).payment_status == "CANCELLED",
    "removeOrder": lambda fake: fake.order(NUMBER).payment_status == "DISAPPEARED",
    "createRefund": lambda fake: len(fake.order(NUMBER).refunds) == 1,
    "submitInvoice": lambda fake: len(fake.order(NUMBER).invoices) == 1,
}


@contextlib.contextmanager
def sync_client(fake: FakeKomfortkasse, url: str) -> Iterator[Komfortkasse]:
    with (
        httpx.Client(verify=SSL_CONTEXT, follow_redirects=False) as http,
        Komfortkasse(fake.api_key, base_url=url, retry=FAST, http_client=http) as kk,
    ):
        yield kk


@contextlib.asynccontextmanager
async def async_client(fake: FakeKomfortkasse, url: str) -> AsyncIterator[AsyncKomfortkasse]:
    async with (
        httpx.AsyncClient(verify=SSL_CONTEXT, follow_redirects=False) as http,
        AsyncKomfortkasse(fake.api_key, base_url=url, retry=FAST, http_client=http) as kk,
    ):
        yield kk


def prepare(fake: FakeKomfortkasse, operation: str) -> None:
    """The state the operation needs, made before any fault is armed."""
    with sync_client(fake, fake.url) as kk:
        kk.orders.submit(NUMBER, todays_order())
        if operation == "setOrderUnpaid":
            kk.orders.set_paid(NUMBER)
    if operation in ("readPostings", "createRefund"):  # a refund needs money to pay back
        fake.receive_payment(NUMBER, "5.00")


def arm(fake: FakeKomfortkasse, fault: str) -> None:
    if fault == "lock_below":
        fake.hold_lock(NUMBER, fm.LOCK_BELOW)
    elif fault == "lock_above":
        fake.hold_lock(NUMBER, fm.LOCK_ABOVE)
    elif fault == "timeout":
        fake.inject_fault("delay", delay=fm.DELAY)
    elif fault != "refused":
        fake.inject_fault(fault)


def base_url(fake: FakeKomfortkasse, fault: str) -> str:
    return closed_url() if fault == "refused" else fake.url


def with_fault_options(kk: Any, fault: str) -> Any:
    """The client view a column runs with: a short timeout, or a small size cap."""
    if fault in ("timeout", "drip"):
        return kk.with_options(timeout=fm.TIMEOUT)
    if fault in ("oversized", "gzip_bomb"):
        return kk.with_options(max_response_bytes=fm.MAX_BYTES)
    return kk


def check_key_kept(
    fake: FakeKomfortkasse, error: BaseException | None, caplog: pytest.LogCaptureFixture
) -> None:
    """The echoed key is in no error (chained or wrapped), note or log line."""
    key = fake.api_key
    assert key not in caplog.text
    todo = [error, error.error if isinstance(error, BulkSubmitError) else None]
    while todo:
        link = todo.pop()
        if link is None:
            continue
        assert key not in str(link)
        assert key not in repr(vars(link))
        assert key not in "".join(getattr(link, "__notes__", []))
        todo += [link.__cause__, link.__context__]


def retries_logged(caplog: pytest.LogCaptureFixture) -> int:
    return sum(
        1
        for record in caplog.records
        if record.name == "komfortkasse" and "retrying" in record.getMessage()
    )


def check_outcome(
    *,
    operation: str,
    fault: str,
    outcome: Any,
    result: object,
    error: BaseException | None,
    sent: int,
    retries: int,
) -> None:
    assert sent == outcome.requests, f"the fake received {sent} requests"
    assert retries + 1 == outcome.attempts, f"{retries} retries logged"
    if outcome.ok:
        assert error is None, f"expected success, got {error!r}"
        check_result(operation, result, exact=fault != "wrong_answer")
        return
    assert isinstance(error, KomfortkasseError), f"expected {outcome.error}, got {error!r}"
    if outcome.wrapped:
        assert type(error) is BulkSubmitError
        assert error.accepted == []
        error = error.error
    assert type(error).__name__ == outcome.error, repr(error)
    if isinstance(error, LockError):
        assert error.attempts == outcome.attempts
    if isinstance(error, TransportError):
        assert error.request_sent is outcome.request_sent
    in_doubt = isinstance(error, ServerError) or (
        isinstance(error, TransportError) and error.request_sent
    )
    notes = getattr(error, "__notes__", [])
    if in_doubt and operation not in fm.IDEMPOTENT:  # not repeated: the error says how to check
        assert any(f"{operation} may have been carried out" in n for n in notes), notes
        assert any("To check, " in n for n in notes), notes


def wait_for_effect(fake: FakeKomfortkasse, operation: str, fault: str, outcome: Any) -> None:
    """Non-repeatable operations: the effect is there exactly when a request was handled
    (the first, or a resend after the fault's answer), and only once."""
    effect = EFFECTS.get(operation)
    if effect is None:
        return
    handled = fault in ("drop_after_handling", "timeout", "drip", "wrong_answer") or (
        outcome.ok and (fault not in FAULT_ANSWERS or outcome.attempts > 1)
    )
    if fault in ("timeout", "drip"):  # the delayed handler may still be running in the fake
        deadline = time.monotonic() + fm.DELAY + 5
        while not effect(fake) and time.monotonic() < deadline:
            time.sleep(0.02)
    assert effect(fake) is handled


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    return {"check_responses": True}


class Cell:
    """One cell's run: the fake prepared and the fault armed, then the outcome checked
    (the same for the sync and the async client)."""

    def __init__(
        self, fake: FakeKomfortkasse, caplog: pytest.LogCaptureFixture, operation: str, fault: str
    ) -> None:
        self.fake, self.caplog, self.operation, self.fault = fake, caplog, operation, fault
        self.outcome = fm.expected(operation, fault)
        prepare(fake, operation)
        arm(fake, fault)
        caplog.set_level(logging.WARNING, logger="komfortkasse")
        self.before = len(fake.requests)
        self.url = base_url(fake, fault)

    def check(self, result: object, error: BaseException | None, *, wait: bool = True) -> None:
        check_outcome(
            operation=self.operation,
            fault=self.fault,
            outcome=self.outcome,
            result=result,
            error=error,
            sent=len(self.fake.requests) - self.before,
            retries=retries_logged(self.caplog),
        )
        if self.fault == "echo_key":
            check_key_kept(self.fake, error, self.caplog)
        if wait:
            wait_for_effect(self.fake, self.operation, self.fault, self.outcome)


@pytest.mark.parametrize(("operation", "fault"), CELLS, ids=IDS)
def test_cell_sync(
    fake: FakeKomfortkasse, caplog: pytest.LogCaptureFixture, operation: str, fault: str
) -> None:
    cell = Cell(fake, caplog, operation, fault)
    result: object = None
    error: BaseException | None = None
    with sync_client(fake, cell.url) as kk:
        try:
            result = OPERATIONS[operation].call(with_fault_options(kk, fault))
        except KomfortkasseError as exc:
            error = exc
    cell.check(result, error)


@pytest.mark.anyio
@pytest.mark.parametrize(("operation", "fault"), ASYNC_CELLS, ids=ASYNC_IDS)
async def test_cell_async(
    fake: FakeKomfortkasse, caplog: pytest.LogCaptureFixture, operation: str, fault: str
) -> None:
    cell = Cell(fake, caplog, operation, fault)
    result: object = None
    error: BaseException | None = None
    async with async_client(fake, cell.url) as kk:
        try:
            result = await OPERATIONS[operation].call(with_fault_options(kk, fault))
        except KomfortkasseError as exc:
            error = exc
    # The sync run waits for the delayed handler of a timeout; once is enough.
    cell.check(result, error, wait=fault != "timeout")


def test_invoice_upload_answered_by_the_login_page_is_an_error(fake: FakeKomfortkasse) -> None:
    prepare(fake, "submitInvoice")
    fake.inject_fault("html_200")
    with sync_client(fake, fake.url) as kk, pytest.raises(UnexpectedResponseError):
        OPERATIONS["submitInvoice"].call(kk)
    assert fake.order(NUMBER).invoices == []


# --- the table itself ---------------------------------------------------------------------


def test_matrix_covers_every_operation_the_client_was_written_against() -> None:
    """Every operation the hand-written layer knows is in the matrix and in the spec;
    one the spec adds later gets the generic rules (a GET is retried, a write is not),
    which the spec-change drill (make drill) exercises."""
    from komfortkasse._operations import _KNOWN

    assert set(fm.OPERATIONS) == _KNOWN
    assert spec_operation_ids() >= _KNOWN
    assert [op for op in OPERATIONS if op in _KNOWN] == list(fm.OPERATIONS)  # the spec's order


def test_safe_operations_are_the_documented_ones() -> None:
    """The table's idempotent set is written from the README; the library must agree."""
    assert set(SAFE_TO_REPEAT) == fm.IDEMPOTENT


def test_bounds_straddle_the_retry_limit() -> None:
    assert fm.LOCK_BELOW < fm.MAX_ATTEMPTS < fm.LOCK_ABOVE
    assert fm.TIMEOUT < fm.DELAY


def test_non_idempotent_operations_are_never_repeated_after_sending() -> None:
    after_send = ("500", "502_html", "520", "drop", "drop_after_handling", "timeout", "drip")
    for operation in set(fm.OPERATIONS) - fm.IDEMPOTENT - fm.RESENT:
        for fault in after_send:
            assert fm.expected(operation, fault).requests == 1


def test_resent_operations_are_the_ones_whose_repeat_the_api_refuses() -> None:
    from komfortkasse._workflows import REPEAT_REFUSED

    assert set(REPEAT_REFUSED) == fm.RESENT
    assert fm.RESENT.isdisjoint(fm.IDEMPOTENT)
    for operation in fm.RESENT:  # acted, answer lost: resent, refused, read back
        outcome = fm.expected(operation, "drop_after_handling")
        assert (outcome.ok, outcome.attempts, outcome.requests) == (True, 2, 3)


def test_wrong_answers_are_refused_wherever_the_client_can_tell() -> None:
    for operation in fm.OPERATIONS:
        outcome = fm.expected(operation, "wrong_answer")
        assert outcome.requests == 1
        assert outcome.ok is (operation in fm.UNCHECKED_ANSWER)


def test_expected_refuses_unknown_cells() -> None:
    with pytest.raises(KeyError):
        fm.expected("noSuchOperation", "500")
    with pytest.raises(KeyError):
        fm.expected("getOrder", "no-such-fault")


def test_committed_docs_match_the_table() -> None:
    committed = (ROOT / "docs" / "fault-matrix.md").read_text("utf-8")
    assert committed == fm.render(), "docs/fault-matrix.md is stale: python tools/fault_matrix.py"
    assert fm.main(["--check"]) == 0

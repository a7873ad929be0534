"""The retry rule: the policy value on its own, then scripted servers and transports
that prove what is repeated (locks, unsent requests, safe operations) and what never is
(anything that could act twice once it may have reached the server)."""

from __future__ import annotations

import datetime
import json
import logging
import math
import time
from typing import Any

import attrs
import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from komfortkasse import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AsyncKomfortkasse,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    Komfortkasse,
    KomfortkasseError,
    LockError,
    NotFoundError,
    OrderAlreadyPaidError,
    OrderRead,
    ResponseValidationError,
    RetryPolicy,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
)
from komfortkasse._call import Call
from komfortkasse._operations import build_call
from komfortkasse._retry import SAFE_TO_REPEAT, Attempts
from komfortkasse_generated.api import OPERATIONS as SPEC_OPERATIONS
from tests.operations import INVOICE, NUMBER, OPERATIONS
from tests.repo import load_tool, spec_operation_ids
from tests.samples import FAST, KEY, an_order, order_json
from tests.transports import TEST_URL, mocked


def call_of(operation: str, number: str) -> Call[Any]:
    """The checked call of an order operation (as ``client.orders.*`` makes it)."""
    today = datetime.date.today()
    return build_call(SPEC_OPERATIONS[operation], {"orderNumber": number}, {}, None, today)


fm = load_tool("fault_matrix")

ORDER_JSON: dict[str, Any] = order_json()
LOCK = (400, {"error": "Could not acquire lock"})
BOOM = (500, {"error": "Internal server error"})
OK = (200, ORDER_JSON)

Answer = tuple[int, Any]


def lock() -> LockError:
    return LockError("Could not acquire lock", status_code=400)


# --- RetryPolicy as a value -----------------------------------------------------------


def test_policy_is_immutable() -> None:
    policy = RetryPolicy()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.max_attempts = 10  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        policy.retry_server_errors = False  # type: ignore[misc]
    assert policy.max_attempts == 5
    # Replacing is how you change it, and the validators still apply.
    assert attrs.evolve(policy, max_attempts=8).max_attempts == 8
    with pytest.raises(ValueError, match="max_attempts"):
        attrs.evolve(policy, max_attempts=0)


def test_policy_defaults_and_equality() -> None:
    policy = RetryPolicy()
    assert (policy.max_attempts, policy.max_elapsed) == (5, 30.0)
    assert (policy.initial_delay, policy.multiplier, policy.max_delay) == (0.2, 2.0, 5.0)
    assert policy.jitter == 0.25
    assert policy.retry_server_errors is True
    assert policy == RetryPolicy()
    assert hash(policy) == hash(RetryPolicy())
    assert policy != RetryPolicy(max_attempts=2)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_attempts", 0),
        ("max_attempts", -3),
        ("max_elapsed", -0.1),
        ("initial_delay", -1.0),
        ("multiplier", -2.0),
        ("max_delay", -0.5),
        ("jitter", -0.01),
    ],
)
def test_policy_validators(field: str, value: float) -> None:
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=field):
        RetryPolicy(**kwargs)


def test_policy_accepts_boundary_values() -> None:
    policy = RetryPolicy(max_attempts=1, max_elapsed=0, initial_delay=0, max_delay=0, jitter=0)
    assert policy.max_attempts == 1
    assert policy.delay(1) == 0.0


def test_delay_grows_exponentially_up_to_the_cap() -> None:
    policy = RetryPolicy(initial_delay=0.1, multiplier=2.0, max_delay=1.0, jitter=0)
    delays = [policy.delay(n) for n in range(1, 8)]
    assert delays == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0, 1.0, 1.0])
    tripled = RetryPolicy(initial_delay=0.5, multiplier=3.0, max_delay=100.0, jitter=0)
    assert [tripled.delay(n) for n in (1, 2, 3)] == pytest.approx([0.5, 1.5, 4.5])


def test_jitter_bounds_with_a_fixed_rand() -> None:
    policy = RetryPolicy(initial_delay=1.0, multiplier=2.0, max_delay=10.0, jitter=0.25)
    assert policy.delay(1, rand=lambda: 0.0) == pytest.approx(0.75)
    assert policy.delay(1, rand=lambda: 0.5) == pytest.approx(1.0)
    assert policy.delay(1, rand=lambda: 1.0) == pytest.approx(1.25)
    assert policy.delay(3, rand=lambda: 0.0) == pytest.approx(3.0)
    # The cap is applied before jitter: jitter spreads around the cap.
    assert policy.delay(10, rand=lambda: 1.0) == pytest.approx(12.5)
    assert policy.delay(10, rand=lambda: 0.0) == pytest.approx(7.5)


def test_jitter_with_the_real_random_stays_in_bounds() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=0.25)
    samples = [policy.delay(1) for _ in range(500)]
    assert all(0.75 <= s <= 1.25 for s in samples)
    assert len(set(samples)) > 1  # it does vary


def test_jitter_is_a_fraction_so_delays_are_never_negative() -> None:
    for bad in (3.0, -0.1, float("nan")):
        with pytest.raises(ValueError, match="jitter"):
            RetryPolicy(jitter=bad)
    full = RetryPolicy(initial_delay=1.0, jitter=1.0)
    assert full.delay(1, rand=lambda: 0.0) == 0.0
    with pytest.raises(ValueError, match="initial_delay"):
        RetryPolicy(initial_delay=float("nan"))


def test_next_delay_stops_at_max_attempts() -> None:
    policy = RetryPolicy(max_attempts=3, initial_delay=0.1, jitter=0)
    error = lock()
    first = policy.next_delay(error, attempt=1, elapsed=0.0, idempotent=False)
    second = policy.next_delay(error, attempt=2, elapsed=0.0, idempotent=False)
    assert first == pytest.approx(0.1)
    assert second == pytest.approx(0.2)
    assert policy.next_delay(error, attempt=3, elapsed=0.0, idempotent=False) is None
    assert policy.next_delay(error, attempt=4, elapsed=0.0, idempotent=False) is None


def test_next_delay_stops_past_max_elapsed() -> None:
    policy = RetryPolicy(max_elapsed=10.0, initial_delay=0.1, jitter=0, max_attempts=100)
    error = lock()
    assert policy.next_delay(error, attempt=1, elapsed=9.85, idempotent=True) == pytest.approx(0.1)
    # The next attempt would start after the deadline.
    assert policy.next_delay(error, attempt=1, elapsed=9.95, idempotent=True) is None
    assert policy.next_delay(error, attempt=1, elapsed=11.0, idempotent=True) is None


def test_next_delay_passes_rand_through() -> None:
    policy = RetryPolicy(initial_delay=1.0, jitter=0.5, max_elapsed=100)
    assert policy.next_delay(
        lock(), attempt=1, elapsed=0, idempotent=False, rand=lambda: 0.0
    ) == pytest.approx(0.5)


def test_next_delay_is_none_for_final_errors() -> None:
    policy = RetryPolicy()
    error = BadRequestError("Missing body", status_code=400)
    assert policy.next_delay(error, attempt=1, elapsed=0, idempotent=True) is None


def _sent(cls: type[APIConnectionError | APITimeoutError], sent: bool) -> KomfortkasseError:
    return cls("scripted", operation="op", request_sent=sent)


SHOULD_RETRY: list[tuple[str, KomfortkasseError, bool, bool]] = [
    # (label, error, retried when idempotent, retried when not idempotent)
    ("lock", lock(), True, True),
    ("connect-not-sent", _sent(APIConnectionError, False), True, True),
    ("timeout-not-sent", _sent(APITimeoutError, False), True, True),
    ("connection-lost-after-send", _sent(APIConnectionError, True), True, False),
    ("read-timeout", _sent(APITimeoutError, True), True, False),
    ("500", ServerError("boom", status_code=500), True, False),
    ("503", ServerError("busy", status_code=503), True, False),
    ("400", BadRequestError("Missing body", status_code=400), False, False),
    ("400-paid", OrderAlreadyPaidError("x", status_code=400), False, False),
    ("401", AuthenticationError("Invalid authentication header", status_code=401), False, False),
    ("404", NotFoundError("Order not found", status_code=404), False, False),
    ("api-error-429", APIError("slow down", status_code=429), False, False),
    ("unexpected", UnexpectedResponseError("html", status_code=200), False, False),
    ("schema", ResponseValidationError("bad date", status_code=200), False, False),
    ("validation", ValidationError("amount", "must be positive"), False, False),
]


@pytest.mark.parametrize(
    ("error", "when_idempotent", "when_not"),
    [case[1:] for case in SHOULD_RETRY],
    ids=[case[0] for case in SHOULD_RETRY],
)
def test_should_retry_table(
    error: KomfortkasseError, when_idempotent: bool, when_not: bool
) -> None:
    policy = RetryPolicy()
    assert policy.should_retry(error, idempotent=True) is when_idempotent
    assert policy.should_retry(error, idempotent=False) is when_not


def test_retry_server_errors_off_keeps_only_the_always_safe_cases() -> None:
    policy = RetryPolicy(retry_server_errors=False)
    assert policy.should_retry(lock(), idempotent=True)
    assert policy.should_retry(_sent(APIConnectionError, False), idempotent=False)
    assert not policy.should_retry(ServerError("boom", status_code=500), idempotent=True)
    assert not policy.should_retry(_sent(APITimeoutError, True), idempotent=True)
    assert not policy.should_retry(_sent(APIConnectionError, True), idempotent=True)


def test_never_makes_one_attempt() -> None:
    never = RetryPolicy.never()
    assert never.max_attempts == 1
    assert never.next_delay(lock(), attempt=1, elapsed=0, idempotent=True) is None
    error = _sent(APIConnectionError, False)
    assert never.next_delay(error, attempt=1, elapsed=0, idempotent=True) is None


def test_safe_to_repeat_covers_exactly_the_harmless_operations() -> None:
    operations = spec_operation_ids()
    could_act_twice = {
        "submitInvoice",
        "createRefund",
        "setOrderPaid",
        "setOrderUnpaid",
        "cancelOrder",
        "removeOrder",
        "syncOrders",  # a repeat with the old list marks an order created in between LEGACY
    }
    from komfortkasse._operations import _KNOWN, _safe_to_repeat
    from komfortkasse_generated.api import OPERATIONS as SPEC

    assert SAFE_TO_REPEAT.isdisjoint(could_act_twice)
    assert {"getOrder", "readOrders", "readPostings", "getImage"} <= SAFE_TO_REPEAT
    assert SAFE_TO_REPEAT | could_act_twice == _KNOWN
    # An operation the spec adds later: a GET is safe to repeat, any other method is not.
    for name in operations - _KNOWN:
        assert _safe_to_repeat(SPEC[name]) is (SPEC[name].method == "GET"), name


def test_attempts_stop_by_elapsed_time_with_a_fake_clock() -> None:
    now = [100.0]
    policy = RetryPolicy(
        max_attempts=100, max_elapsed=1.0, initial_delay=0.3, multiplier=1, jitter=0
    )
    attempts = Attempts(call_of("setOrderPaid", "7"), policy, clock=lambda: now[0])
    for _ in range(3):
        assert attempts.after(lock()) == pytest.approx(0.3)
        now[0] += 0.3
    # 0.9 s elapsed + 0.3 s wait would pass the 1 s budget: the error is final.
    with pytest.raises(LockError) as caught:
        attempts.after(lock())
    assert caught.value.attempts == 4
    assert caught.value.__notes__ == ["gave up after 4 attempts"]


def test_attempts_pass_idempotency_from_the_call() -> None:
    policy = RetryPolicy(initial_delay=0.1, jitter=0)
    server_error = ServerError("boom", status_code=500)
    assert Attempts(call_of("getOrder", "7"), policy).after(server_error) == pytest.approx(0.1)
    with pytest.raises(ServerError) as caught:
        Attempts(call_of("cancelOrder", "7"), policy).after(server_error)
    assert not getattr(caught.value, "__notes__", [])  # the first attempt was final


# --- scripted servers ---------------------------------------------------------------------


def script(httpserver: HTTPServer, method: str, path: str, *answers: Answer) -> list[bytes]:
    """Answer ``path`` with ``answers`` in turn (the last one forever); returns the bodies
    of the requests received, so ``len()`` counts them."""
    seen: list[bytes] = []

    def handler(request: Request) -> Response:
        status, payload = answers[min(len(seen), len(answers) - 1)]
        seen.append(request.get_data())
        body = b"" if payload is None else json.dumps(payload).encode()
        return Response(body, status=status, content_type="application/json")

    httpserver.expect_request("/api/v2" + path, method=method).respond_with_handler(handler)
    return seen


#: The README's rules, as the fault matrix states them (the bulk submit, whose errors
#: arrive wrapped, is tested by the matrix and in tests/bulk).
SINGLE = [op for op in fm.OPERATIONS if op not in fm.BULK]
SAFE = [op for op in SINGLE if op in fm.IDEMPOTENT]
#: Never repeated once the request may have arrived.
NEVER_REPEATED = [op for op in SINGLE if op not in fm.IDEMPOTENT | fm.RESENT]
#: Resent after a lost answer: the API refuses a repeat, and the client resolves that.
RESENT = [op for op in SINGLE if op in fm.RESENT]
UNSAFE = NEVER_REPEATED + RESENT


@pytest.mark.parametrize("operation", SAFE + UNSAFE)
def test_lock_twice_then_success_is_retried_for_every_operation(
    httpserver: HTTPServer, client: Komfortkasse, operation: str
) -> None:
    called = OPERATIONS[operation]
    seen = script(httpserver, called.method, called.path, LOCK, LOCK, (200, called.answer))
    result = called.call(client)
    assert len(seen) == 3
    assert len(set(seen)) == 1 or operation == "submitInvoice"  # the same request each time
    if operation == "submitInvoice":
        assert result is None
        assert all(INVOICE in body for body in seen)
    else:
        assert isinstance(result, called.returns)
        assert not isinstance(result, OrderRead) or result.number == NUMBER


def test_submit_lock_twice_then_success_resends_the_same_body(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    seen = script(httpserver, "POST", "/order/7", LOCK, LOCK, OK)
    read = client.orders.submit("7", an_order())
    assert read.payment_status == "UNPAID"
    assert len(seen) == 3
    assert [json.loads(body)["date"] for body in seen] == ["25-04-2018"] * 3


def test_lock_forever_stops_at_max_attempts(httpserver: HTTPServer) -> None:
    policy = attrs.evolve(FAST, max_attempts=3)
    seen = script(httpserver, "POST", "/order/7/setpaid", LOCK)
    with (
        Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=policy) as kk,
        pytest.raises(LockError) as caught,
    ):
        kk.orders.set_paid("7")
    error = caught.value
    assert len(seen) == 3
    assert error.attempts == 3
    assert error.__notes__ == ["gave up after 3 attempts"]
    assert error.operation == "setOrderPaid"


def test_lock_forever_stops_by_elapsed_time(httpserver: HTTPServer) -> None:
    policy = RetryPolicy(
        max_attempts=1000, max_elapsed=0.5, initial_delay=0.1, max_delay=0.1, jitter=0
    )
    seen = script(httpserver, "POST", "/order/7", LOCK)
    started = time.monotonic()
    with (
        Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=policy) as kk,
        pytest.raises(LockError) as caught,
    ):
        kk.orders.submit("7", an_order())
    took = time.monotonic() - started
    # Five 100 ms waits fit into 500 ms at most: far fewer than max_attempts (and
    # even a slow first attempt, under coverage on a loaded machine, leaves room for a second).
    assert 2 <= len(seen) <= 6
    assert caught.value.attempts == len(seen)
    assert caught.value.__notes__ == [f"gave up after {len(seen)} attempts"]
    assert took < 2.0


def test_zero_time_budget_means_one_attempt(httpserver: HTTPServer) -> None:
    policy = attrs.evolve(FAST, max_elapsed=0.0)
    seen = script(httpserver, "POST", "/order/7", LOCK)
    with (
        Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=policy) as kk,
        pytest.raises(LockError) as caught,
    ):
        kk.orders.submit("7", an_order())
    assert len(seen) == 1
    assert caught.value.attempts == 1


@pytest.mark.parametrize("operation", SAFE)
def test_server_error_then_success_is_retried_for_safe_operations(
    httpserver: HTTPServer, client: Komfortkasse, operation: str
) -> None:
    called = OPERATIONS[operation]
    seen = script(httpserver, called.method, called.path, BOOM, (503, None), (200, called.answer))
    called.call(client)
    assert len(seen) == 3


@pytest.mark.parametrize("operation", NEVER_REPEATED)
@pytest.mark.parametrize("answer", [BOOM, (502, None), (503, {"error": "maintenance"})])
def test_server_error_is_never_retried_for_operations_that_could_act_twice(
    httpserver: HTTPServer, client: Komfortkasse, operation: str, answer: Answer
) -> None:
    called = OPERATIONS[operation]
    seen = script(httpserver, called.method, called.path, answer, (200, called.answer))
    with pytest.raises(ServerError) as caught:
        called.call(client)
    assert len(seen) == 1
    assert caught.value.status_code == answer[0]
    assert caught.value.operation == operation
    [note] = caught.value.__notes__
    assert note.startswith(f"{operation} may have been carried out")
    assert "To check, " in note


@pytest.mark.parametrize("operation", RESENT)
@pytest.mark.parametrize("answer", [BOOM, (502, None), (503, {"error": "maintenance"})])
def test_server_error_is_resent_for_operations_whose_repeat_the_api_refuses(
    httpserver: HTTPServer, client: Komfortkasse, operation: str, answer: Answer
) -> None:
    called = OPERATIONS[operation]
    seen = script(httpserver, called.method, called.path, answer, (200, called.answer))
    result = called.call(client)
    assert len(seen) == 2
    assert len(set(seen)) == 1  # the same request again
    assert result is not None


def test_server_error_forever_on_a_read_gives_up(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    seen = script(httpserver, "GET", "/order/7", BOOM)
    with pytest.raises(ServerError) as caught:
        client.orders.get("7")
    assert len(seen) == FAST.max_attempts
    assert caught.value.__notes__ == [f"gave up after {FAST.max_attempts} attempts"]


def test_retry_server_errors_off(httpserver: HTTPServer) -> None:
    policy = attrs.evolve(FAST, retry_server_errors=False)
    seen = script(httpserver, "GET", "/order/7", BOOM, OK)
    with (
        Komfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=policy) as kk,
        pytest.raises(ServerError),
    ):
        kk.orders.get("7")
    assert len(seen) == 1


@pytest.mark.parametrize(
    "answer",
    [
        (400, {"error": "Missing body"}),
        (401, {"error": "Invalid authentication header"}),
        (404, {"error": "Order not found"}),
        (400, {"error": "Order already in paymentStatus PAID"}),
        (418, None),
        (429, {"error": "slow down"}),
    ],
    ids=lambda a: str(a[0]),
)
def test_other_errors_are_never_retried_even_for_reads(
    httpserver: HTTPServer, client: Komfortkasse, answer: Answer
) -> None:
    seen = script(httpserver, "GET", "/order/7", answer, OK)
    with pytest.raises(KomfortkasseError):
        client.orders.get("7")
    assert len(seen) == 1


def test_schema_errors_are_not_retried(httpserver: HTTPServer, client: Komfortkasse) -> None:
    seen = script(httpserver, "GET", "/order/7", (200, {"number": "7"}), OK)
    with pytest.raises(ResponseValidationError):
        client.orders.get("7")
    assert len(seen) == 1


def test_with_options_never_makes_exactly_one_attempt(
    httpserver: HTTPServer, client: Komfortkasse
) -> None:
    seen = script(httpserver, "POST", "/order/7/setpaid", LOCK)
    with pytest.raises(LockError) as caught:
        client.with_options(retry=RetryPolicy.never()).orders.set_paid("7")
    assert len(seen) == 1
    assert caught.value.attempts == 1
    assert not getattr(caught.value, "__notes__", [])
    # The original client keeps its own policy.
    with pytest.raises(LockError) as again:
        client.orders.set_paid("7")
    assert len(seen) == 1 + FAST.max_attempts
    assert again.value.attempts == FAST.max_attempts


def test_retry_property(httpserver: HTTPServer) -> None:
    url = httpserver.url_for("/api/v2")
    with Komfortkasse(KEY, base_url=url, retry=FAST) as kk:
        assert kk.retry is FAST
        view = kk.with_options(retry=RetryPolicy.never())
        assert view.retry == RetryPolicy.never()
        assert kk.retry is FAST
        assert kk.with_options(timeout=5.0).retry is FAST
    with Komfortkasse(KEY, base_url=url) as default:
        assert default.retry == RetryPolicy()
    with pytest.raises(ConfigurationError, match="RetryPolicy"):
        Komfortkasse(KEY, base_url=url, retry=3)  # type: ignore[arg-type]
    plain = AsyncKomfortkasse(KEY, base_url=url, retry=FAST)
    assert plain.retry is FAST
    assert plain.with_options(retry=RetryPolicy.never()).retry.max_attempts == 1


# --- scripted transports ----------------------------------------------------------------


class Script:
    """A MockTransport handler: each step is an httpx exception class to raise or a
    ``(status, payload)`` answer; the last step repeats."""

    def __init__(self, *steps: type[httpx.HTTPError] | Answer) -> None:
        self.steps = steps
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        step = self.steps[min(len(self.requests), len(self.steps) - 1)]
        request.read()
        self.requests.append(request)
        if isinstance(step, type):
            raise step("scripted failure", request=request)  # type: ignore[call-arg]
        status, payload = step
        # Streamed like a real transport's answer (preloaded content is tested separately).
        body = b"" if payload is None else json.dumps(payload).encode()
        return httpx.Response(status, stream=httpx.ByteStream(body))


def test_read_timeout_on_upload_is_not_retried() -> None:
    transport = Script(httpx.ReadTimeout, (200, None))
    kk = mocked(transport, retry=FAST)
    with pytest.raises(APITimeoutError) as caught:
        kk.orders.upload_invoice("7", "INV-1", b"%PDF-1.4 invoice")
    error = caught.value
    assert len(transport.requests) == 1
    assert error.request_sent is True
    assert error.operation == "submitInvoice"
    assert error.__cause__ is None  # not chained: the httpx error holds the key
    assert "ReadTimeout" in str(error)
    kk._http.close()


@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.RemoteProtocolError])
def test_a_read_is_retried_after_a_failure_after_sending(failure: type[httpx.HTTPError]) -> None:
    transport = Script(failure, OK)
    kk = mocked(transport, retry=FAST)
    assert kk.orders.get("7").number == "7"
    assert len(transport.requests) == 2
    kk._http.close()


def test_connect_error_on_set_paid_is_retried_and_succeeds_on_the_second() -> None:
    transport = Script(httpx.ConnectError, (200, {**ORDER_JSON, "paymentStatus": "PAID"}))
    kk = mocked(transport, retry=FAST)
    assert kk.orders.set_paid("7").payment_status == "PAID"
    assert len(transport.requests) == 2
    assert [r.url.path for r in transport.requests] == ["/api/v2/order/7/setpaid"] * 2
    kk._http.close()


def test_connect_error_on_upload_is_retried_with_the_whole_file() -> None:
    transport = Script(httpx.ConnectError, (200, None))
    kk = mocked(transport, retry=FAST)
    kk.orders.upload_invoice("7", "INV-1", b"%PDF-1.4 the whole file")
    assert len(transport.requests) == 2
    assert b"%PDF-1.4 the whole file" in transport.requests[1].content
    kk._http.close()


def test_remote_protocol_error_on_cancel_is_not_retried() -> None:
    transport = Script(httpx.RemoteProtocolError, OK)
    kk = mocked(transport, retry=FAST)
    with pytest.raises(APIConnectionError) as caught:
        kk.orders.cancel("7")
    assert len(transport.requests) == 1
    assert caught.value.request_sent is True
    assert caught.value.operation == "cancelOrder"
    kk._http.close()


@pytest.mark.parametrize(
    ("failure", "expected", "sent"),
    [
        (httpx.ConnectError, APIConnectionError, False),
        (httpx.ConnectTimeout, APITimeoutError, False),
        (httpx.PoolTimeout, APITimeoutError, False),
        (httpx.ReadTimeout, APITimeoutError, True),
        (httpx.WriteTimeout, APITimeoutError, True),
        (httpx.ReadError, APIConnectionError, True),
        (httpx.WriteError, APIConnectionError, True),
        (httpx.RemoteProtocolError, APIConnectionError, True),
    ],
)
@pytest.mark.parametrize("operation", ["getOrder", "createRefund"])
def test_transport_failures_matrix(
    failure: type[httpx.HTTPError],
    expected: type[KomfortkasseError],
    sent: bool,
    operation: str,
) -> None:
    called = OPERATIONS[operation]
    policy = attrs.evolve(FAST, max_attempts=2)
    transport = Script(failure)
    kk = mocked(transport, retry=policy)
    with pytest.raises(expected) as caught:
        called.call(kk)
    error = caught.value
    assert isinstance(error, APIConnectionError | APITimeoutError)
    assert type(error) is expected
    assert error.request_sent is sent
    assert error.operation == operation
    assert error.__cause__ is None  # not chained: the httpx error holds the key
    assert failure.__name__ in str(error)
    idempotent = operation in ("getOrder", "createRefund")  # a refund is resent, then checked
    retried = (not sent) or idempotent
    assert len(transport.requests) == (2 if retried else 1)
    # ... and when it is retried, a good second answer is a success.
    transport2 = Script(failure, (200, called.answer))
    kk2 = mocked(transport2, retry=policy)
    if retried:
        called.call(kk2)
        assert len(transport2.requests) == 2
    else:
        with pytest.raises(expected):
            called.call(kk2)
        assert len(transport2.requests) == 1
    kk._http.close()
    kk2._http.close()


# --- logging ------------------------------------------------------------------------------


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "komfortkasse" and r.levelno == logging.WARNING
    ]


def test_each_retry_logs_a_warning(
    httpserver: HTTPServer, client: Komfortkasse, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="komfortkasse")
    script(httpserver, "POST", "/order/7/setpaid", LOCK, LOCK, OK)
    client.orders.set_paid("7")
    warnings = _warnings(caplog)
    assert len(warnings) == 2
    for number, line in enumerate(warnings, start=1):
        assert "setOrderPaid" in line
        assert f"attempt {number} of {FAST.max_attempts}" in line
        assert "Could not acquire lock" in line
        assert "HTTP 400" in line
    debug = [
        r.getMessage()
        for r in caplog.records
        if r.name == "komfortkasse" and r.levelno == logging.DEBUG
    ]
    for number in (1, 2, 3):
        assert any("setOrderPaid" in d and f"(attempt {number})" in d for d in debug)


def test_transport_retry_logs_the_failure_kind(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="komfortkasse")
    kk = mocked(Script(httpx.ConnectError, OK), retry=FAST)
    kk.orders.get("7")
    warnings = _warnings(caplog)
    assert len(warnings) == 1
    assert "getOrder" in warnings[0]
    assert "attempt 1" in warnings[0]
    assert "APIConnectionError" in warnings[0]
    kk._http.close()


def test_final_failures_log_no_retry(
    httpserver: HTTPServer, client: Komfortkasse, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="komfortkasse")
    script(httpserver, "POST", "/order/7/cancel", BOOM)
    with pytest.raises(ServerError):
        client.orders.cancel("7")
    assert _warnings(caplog) == []
    script(httpserver, "POST", "/order/7/setpaid", LOCK)
    with pytest.raises(LockError):
        client.orders.set_paid("7")
    # One warning per retry, none for the attempt that ended it.
    assert len(_warnings(caplog)) == FAST.max_attempts - 1


def test_debug_logging_with_a_preloaded_mock_response(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="komfortkasse")
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=2)))
    with http:
        kk = Komfortkasse(KEY, base_url=TEST_URL, retry=FAST, http_client=http)
        assert kk.orders.sync(["7"]) == 2


def test_the_same_preloaded_mock_response_works_without_debug_logging(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The same call at INFO level (the DEBUG variant is the test above).
    caplog.set_level(logging.INFO, logger="komfortkasse")
    http = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(200, json=2)))
    with http:
        kk = Komfortkasse(KEY, base_url=TEST_URL, retry=FAST, http_client=http)
        assert kk.orders.sync(["7"]) == 2


# --- async ----------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_async_lock_twice_then_success(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="komfortkasse")
    submits = script(httpserver, "POST", "/order/7", LOCK, LOCK, OK)
    paid = script(httpserver, "POST", "/order/7/setpaid", LOCK, LOCK, OK)
    async with AsyncKomfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=FAST) as kk:
        assert (await kk.orders.submit("7", an_order())).number == "7"
        assert (await kk.orders.set_paid("7")).number == "7"
    assert len(submits) == 3
    assert len(paid) == 3
    assert len(_warnings(caplog)) == 4


@pytest.mark.anyio
async def test_async_lock_forever_stops_at_max_attempts(httpserver: HTTPServer) -> None:
    seen = script(httpserver, "POST", "/order/7/cancel", LOCK)
    async with AsyncKomfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=FAST) as kk:
        with pytest.raises(LockError) as caught:
            await kk.orders.cancel("7")
        with pytest.raises(LockError) as once:
            await kk.with_options(retry=RetryPolicy.never()).orders.cancel("7")
    assert caught.value.attempts == FAST.max_attempts
    assert once.value.attempts == 1
    assert len(seen) == FAST.max_attempts + 1


@pytest.mark.anyio
async def test_async_upload_read_timeout_is_not_retried() -> None:
    transport = Script(httpx.ReadTimeout, (200, None))
    async with httpx.AsyncClient(transport=httpx.MockTransport(transport)) as http:
        kk = AsyncKomfortkasse(KEY, base_url=TEST_URL, retry=FAST, http_client=http)
        with pytest.raises(APITimeoutError) as caught:
            await kk.orders.upload_invoice("7", "INV-1", b"%PDF-1.4")
    assert len(transport.requests) == 1
    assert caught.value.request_sent is True
    assert caught.value.operation == "submitInvoice"


@pytest.mark.anyio
async def test_async_server_error_on_upload_is_not_retried(httpserver: HTTPServer) -> None:
    seen = script(httpserver, "POST", "/order/7/invoice/INV-1", BOOM, (200, None))
    async with AsyncKomfortkasse(KEY, base_url=httpserver.url_for("/api/v2"), retry=FAST) as kk:
        with pytest.raises(ServerError):
            await kk.orders.upload_invoice("7", "INV-1", b"%PDF-1.4")
    assert len(seen) == 1


@pytest.mark.anyio
async def test_async_connect_error_is_retried() -> None:
    transport = Script(httpx.ConnectError, httpx.ConnectError, OK)
    async with httpx.AsyncClient(transport=httpx.MockTransport(transport)) as http:
        kk = AsyncKomfortkasse(KEY, base_url=TEST_URL, retry=FAST, http_client=http)
        assert (await kk.orders.set_paid("7")).number == "7"
    assert len(transport.requests) == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"max_attempts": 0},
        {"max_attempts": 2.5},
        {"max_attempts": True},
        {"initial_delay": math.inf},
        {"multiplier": math.nan},
        {"max_delay": "1"},
        {"jitter": 1.5},
        {"retry_server_errors": "yes"},
    ],
)
def test_bad_retry_policies_are_configuration_errors(changes: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        RetryPolicy(**changes)
    assert isinstance(caught.value, ValueError)
    assert next(iter(changes)) in str(caught.value)


def test_a_huge_multiplier_is_clamped_to_the_cap() -> None:
    policy = RetryPolicy(multiplier=1e308, max_delay=2.0, jitter=0)
    assert [policy.delay(n) for n in (1, 2, 3, 50)] == [0.2, 2.0, 2.0, 2.0]
    error = ServerError("boom", status_code=500)
    assert policy.next_delay(error, attempt=4, elapsed=0, idempotent=True) == 2.0


def test_a_real_answer_after_a_retry_is_not_given_up_on() -> None:
    answers = iter(
        [
            httpx.Response(500, json={"error": "Internal server error"}),
            httpx.Response(404, json={"error": "Order '1001' not found"}),
        ]
    )
    with (
        httpx.Client(transport=httpx.MockTransport(lambda request: next(answers))) as http,
        Komfortkasse(KEY, base_url=TEST_URL, retry=FAST, http_client=http) as kk,
        pytest.raises(NotFoundError) as caught,
    ):
        kk.orders.get("1001")
    assert not getattr(caught.value, "__notes__", [])

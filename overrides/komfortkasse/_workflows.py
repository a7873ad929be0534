"""Pure logic behind the back-office workflows: the sync preview and guard,
payment polling cursors, the postings reconciliation view, and what to do when
the answer to a write was lost.

No I/O here: the resources fetch, these functions decide.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Generic, TypeVar

import attrs

from komfortkasse_generated.api import OPERATIONS
from komfortkasse_generated.models import (
    OrderRead,
    OrderWriteWithNumber,
    PaymentStatus,
    PostingRead,
    Refund,
    RefundRead,
)
from komfortkasse_generated.types import Unset

from ._call import Call
from ._exceptions import (
    APIError,
    KomfortkasseError,
    OrderAlreadyPaidError,
    RefundAlreadyExistsError,
    ServerError,
    TransportError,
    ValidationError,
)
from ._exports import adopt
from ._retry import RetryPolicy

logger = logging.getLogger("komfortkasse")
T = TypeVar("T")

__all__ = [
    "OPEN_STATUSES",
    "PaymentChanges",
    "PaymentCursor",
    "Reconciliation",
    "SyncPreview",
    "SyncRefusedError",
]

#: What ``ordersync`` treats as open (and may turn ``LEGACY``).
OPEN_STATUSES = (PaymentStatus.UNPAID, PaymentStatus.PAID_PARTIAL)
#: ``maxAge`` (days) for reading every open order before a sync: ten years.
PREVIEW_MAX_AGE = 3650
#: Default polling window (days); the API's own default for ``maxAge``.
POLL_MAX_AGE = 120
_BASELINE = PaymentStatus.UNPAID.value


class SyncRefusedError(KomfortkasseError):
    """``orders.sync(..., max_legacy=...)`` refused to send: the preview says
    more orders would go ``LEGACY`` than allowed. Nothing was changed."""

    def __init__(self, preview: SyncPreview, limit: int) -> None:
        self.preview = preview
        self.limit = limit
        shown = ", ".join(preview.would_be_legacy[:10])
        more = "…" if len(preview.would_be_legacy) > 10 else ""
        super().__init__(
            f"ordersync not sent: {len(preview.would_be_legacy)} of {preview.open_orders} open "
            f"orders would be marked LEGACY (allowed: {limit}): {shown}{more}"
        )


@attrs.frozen
class SyncPreview:
    """What ``ordersync`` would do with a list of open order numbers."""

    #: Komfortkasse's open orders (UNPAID, PAID_PARTIAL) seen by the preview.
    open_orders: int
    #: Their numbers that are missing from the list: these would go ``LEGACY``.
    would_be_legacy: list[str]
    #: Listed numbers Komfortkasse does not know as open (ignored by the API).
    unknown: list[str]


def make_preview(numbers: Sequence[str], open_orders: list[OrderRead]) -> SyncPreview:
    listed = set(numbers)
    known = {order.number for order in open_orders}
    return SyncPreview(
        open_orders=len(open_orders),
        would_be_legacy=sorted(known - listed),
        unknown=[number for number in numbers if number not in known],
    )


def legacy_limit(max_legacy: int | float, open_orders: int) -> int:
    """``max_legacy`` as a count: an ``int`` is a count, a ``float`` in
    ``[0, 1]`` a fraction of the open orders."""
    if isinstance(max_legacy, bool):
        raise ValidationError("max_legacy", "must be a count or a fraction, not a bool")
    if isinstance(max_legacy, int):
        if max_legacy < 0:
            raise ValidationError("max_legacy", f"must not be negative, got {max_legacy}")
        return max_legacy
    if isinstance(max_legacy, float) and 0.0 <= max_legacy <= 1.0:
        return int(max_legacy * open_orders)
    raise ValidationError(
        "max_legacy", f"must be an int count or a fraction in [0, 1], got {max_legacy!r}"
    )


def check_sync_guard(preview: SyncPreview, max_legacy: int | float) -> None:
    limit = legacy_limit(max_legacy, preview.open_orders)
    if len(preview.would_be_legacy) > limit:
        raise SyncRefusedError(preview, limit)


@attrs.frozen
class PaymentCursor:
    """Where the last poll left off: each order's last seen ``paymentStatus``.

    Plain JSON (:meth:`to_json` / :meth:`from_json`) so a shop can store it in
    its own database between runs.
    """

    seen: Mapping[str, str] = attrs.field(factory=dict)
    max_age: int = POLL_MAX_AGE

    def to_json(self) -> str:
        """The cursor as compact JSON, to store between polls."""
        return json.dumps(
            {"version": 1, "maxAge": self.max_age, "seen": dict(self.seen)},
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> PaymentCursor:
        """Read a cursor stored with :meth:`to_json`; anything else is a ValidationError."""
        try:
            data: Any = json.loads(text)
            seen = data["seen"]
            max_age = data["maxAge"]
            valid = (
                data.get("version") == 1
                and isinstance(seen, dict)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in seen.items())
                and isinstance(max_age, int)
                and not isinstance(max_age, bool)
                and max_age >= 1
            )
        except (ValueError, TypeError, KeyError):
            valid = False
        if not valid:
            raise ValidationError("cursor", "is not a cursor written by PaymentCursor.to_json()")
        return cls(seen=seen, max_age=max_age)


@attrs.frozen
class PaymentChanges:
    """One poll's result: the orders whose payment status changed, and the
    cursor to pass to the next poll."""

    orders: list[OrderRead]
    cursor: PaymentCursor


def as_cursor(cursor: PaymentCursor | str | None, max_age: int | None) -> PaymentCursor:
    if cursor is None:
        result = PaymentCursor()
    elif isinstance(cursor, str):
        result = PaymentCursor.from_json(cursor)
    elif isinstance(cursor, PaymentCursor):
        result = cursor
    else:
        raise ValidationError("cursor", f"must be a PaymentCursor or its JSON, got {cursor!r}")
    return result if max_age is None else attrs.evolve(result, max_age=max_age)


def _status(order: OrderRead) -> str:
    status = order.payment_status
    return _BASELINE if isinstance(status, Unset) else str(status)


def diff_statuses(cursor: PaymentCursor, orders: list[OrderRead]) -> PaymentChanges:
    """Orders whose status differs from the cursor's record (an order never seen
    counts as having been ``UNPAID``, so new unpaid orders are not changes)."""
    changed = [o for o in orders if _status(o) != cursor.seen.get(o.number, _BASELINE)]
    seen = {order.number: _status(order) for order in orders}
    return PaymentChanges(orders=changed, cursor=attrs.evolve(cursor, seen=seen))


@attrs.frozen
class Reconciliation:
    """Bank postings and the orders Komfortkasse assigned them to."""

    #: Postings with at least one assigned order, with those orders.
    assigned: list[tuple[PostingRead, list[OrderWriteWithNumber]]]
    #: Postings assigned to no order: money that arrived and matched nothing.
    unassigned: list[PostingRead]


def reconcile(postings: Sequence[PostingRead]) -> Reconciliation:
    assigned: list[tuple[PostingRead, list[OrderWriteWithNumber]]] = []
    unassigned: list[PostingRead] = []
    for posting in postings:
        orders = [] if isinstance(posting.orders, Unset) else list(posting.orders)
        if orders:
            assigned.append((posting, orders))
        else:
            unassigned.append(posting)
    return Reconciliation(assigned=assigned, unassigned=unassigned)


# --- answers lost after the request may have arrived ------------------------------------


def may_have_arrived(error: BaseException) -> bool:
    """Whether the request may have reached the API although no answer says what it
    did: a 5xx, a timeout or a connection lost after sending."""
    if isinstance(error, TransportError):
        return error.request_sent
    return isinstance(error, ServerError)


#: Operations the send loop never repeats once sent, but whose repeat the API itself
#: refuses with a known error: after a lost answer they are resent, and that refusal
#: means the first request did arrive (the result is then read back).
REPEAT_REFUSED: Mapping[str, type[APIError]] = {
    "createRefund": RefundAlreadyExistsError,
    "setOrderPaid": OrderAlreadyPaidError,
}

#: What to read to learn whether a write whose answer was lost took effect.
_HOW_TO_CHECK: Mapping[str, str] = {
    "submitOrder": "read the order with orders.get({n}): if it exists it was created "
    "(do not submit it again with initial_dunning_level: the API refuses that on an update)",
    "syncOrders": "run orders.preview_sync() with the same list: if no order would go LEGACY, "
    "the sync was applied",
    "setOrderPaid": "read the order with orders.get({n}) to see whether it is PAID",
    "setOrderUnpaid": "read the order with orders.get({n}) to see whether it is still PAID",
    "cancelOrder": "read the order with orders.get({n}) to see whether it was cancelled "
    "(paymentStatus CANCELLED)",
    "removeOrder": "read the order with orders.get({n}) to see whether it was removed "
    "(paymentStatus DISAPPEARED)",
    "createRefund": "read the order's refunds with orders.get({n}, include_refunds=True) and "
    "look for the external_reference",
    "submitInvoice": "the API cannot list an order's invoices: look in the merchant area "
    "before uploading it again (the API may post an invoice as a letter)",
}


def how_to_check(operation: str, number: str | None) -> str:
    """The sentence telling the caller how to find out what ``operation`` did."""
    return _HOW_TO_CHECK[operation].format(n=repr(number))


def note_in_doubt(error: KomfortkasseError, call: Call[Any], number: str | None) -> None:
    """Add to ``error`` how to check the outcome, when ``call`` was not repeated
    although its request may have arrived."""
    if call.idempotent or not may_have_arrived(error) or call.operation not in _HOW_TO_CHECK:
        return
    if isinstance(error, TransportError):
        why = "the request was sent before the failure (request_sent=True)"
    else:
        why = "the API failed after receiving the request"
    error.add_note(
        f"{call.operation} may have been carried out: {why}, and a repeat could act twice, "
        f"so it was not repeated. To check, {how_to_check(call.operation, number)}."
    )


@attrs.frozen
class Resend(Generic[T]):
    """How to resend a call whose repeat the API refuses (see :data:`REPEAT_REFUSED`)."""

    call: Call[T]
    #: The policy for the resend (its attempts count the first one).
    policy: RetryPolicy
    #: Seconds to wait first: the policy's delay before a first retry.
    delay: float


def plan_resend(call: Call[T], policy: RetryPolicy, error: KomfortkasseError) -> Resend[T] | None:
    """After ``call`` failed with ``error``: how to resend it, or ``None`` when it
    must not be (not such an operation, nothing may have arrived, or the policy
    retries no such failure)."""
    if call.operation not in REPEAT_REFUSED or not may_have_arrived(error):
        return None
    if policy.max_attempts < 2 or not policy.should_retry(error, idempotent=True):
        return None
    delay = policy.delay(1)
    logger.warning(
        "komfortkasse: retrying %s (attempt 1 failed: %s, the request may have arrived; "
        "the API refuses a repeat, so it is resent and checked); next try in %.2fs",
        call.operation,
        f"HTTP {error.status_code}" if isinstance(error, APIError) else type(error).__name__,
        delay,
    )
    return Resend(
        call=dataclasses.replace(call, idempotent=True),
        policy=attrs.evolve(policy, max_attempts=policy.max_attempts - 1),
        delay=delay,
    )


def note_unresolved(error: KomfortkasseError, call: Call[Any], number: str, detail: str) -> None:
    """The resend was refused as a repeat, but reading back did not show our result."""
    error.add_note(
        f"{call.operation} was resent after a lost answer and refused as a repeat, but "
        f"{detail}. To check, {how_to_check(call.operation, number)}."
    )


@attrs.frozen
class ReadBack:
    """How to learn the result of a write whose resend the API refused as a
    repeat: the read to make, and how to pick the result from it."""

    operation: Any
    path: dict[str, Any]
    query: dict[str, Any]
    pick: Callable[[Any], Any]
    #: Why the read did not resolve it, when ``pick`` finds nothing.
    not_found: str = "the read did not show the result"


def read_back(operation_id: str, path: Mapping[str, Any], body: Any) -> ReadBack:
    """The read-back for an operation of :data:`REPEAT_REFUSED`."""
    order = {"orderNumber": path["orderNumber"]}
    if operation_id == "createRefund":
        return ReadBack(
            OPERATIONS["getOrder"],
            order,
            {"includeRefunds": True},
            lambda read: find_refund(read, body),
            "no refund with this external_reference, amount and currency is on the order",
        )
    return ReadBack(OPERATIONS["getOrder"], order, {}, lambda read: read)


def find_refund(order: OrderRead, refund: Refund) -> RefundRead | None:
    """The order's refund with ``refund``'s ``externalReference``, amount and currency."""
    refunds = [] if isinstance(order.refunds, Unset) else order.refunds
    for found in refunds:
        if (
            found.external_reference == refund.external_reference
            and Decimal(str(found.amount)) == Decimal(str(refund.amount))
            and found.currency.upper() == refund.currency.upper()
        ):
            return found
    return None


adopt(globals())

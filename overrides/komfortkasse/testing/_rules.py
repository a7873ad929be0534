"""What the API allows, refuses and answers: the checks of each operation, and its queries.

Functions over the records of :mod:`._records`; none changes a record. A refusal is
the API's documented answer (:class:`~._errors.ApiFailure`, by its error template);
where the spec is silent the fake refuses conservatively (see
:mod:`komfortkasse.testing`). :mod:`._simulation` applies what these functions let
through. The rules the client checks before sending (the six-month due date, calendar
months) are imported from the client, so both read them the same way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from komfortkasse._dates import date_from_wire
from komfortkasse._exceptions import ResponseValidationError
from komfortkasse._validation import MAX_DUE_MONTHS, add_months
from komfortkasse._workflows import OPEN_STATUSES as _SYNC_OPEN
from komfortkasse_generated.models import ImageType

from ._epc import epc_payload, payment_slip_text, qr_png
from ._errors import (
    ALREADY_PAID,
    DATE_IN_FUTURE,
    DUE_DATE_TOO_FAR,
    INITIAL_DUNNING_LEVEL,
    MUST_BE_MANUAL,
    MUST_BE_PAID,
    NUMBER_MISMATCH,
    PLANNED_DATE_NOT_FUTURE,
    REFUND_EXISTS,
    UPDATE_REJECTED,
    ApiFailure,
    not_valid,
)
from ._iban import normalize_iban
from ._records import (
    COLLECTION,
    DISAPPEARED,
    LEGACY,
    PAID,
    PAID_PARTIAL,
    READ_ONLY_FIELDS,
    UNPAID,
    ZERO,
    Json,
    OrderRecord,
    PostingRecord,
    ShopRecord,
    to_money,
)

#: Orders still waiting for money: reminded, synced, cancelled when overdue (the
#: statuses ``ordersync`` treats as open, as the client's sync preview reads them).
OPEN_STATUSES = frozenset(status.value for status in _SYNC_OPEN)
#: Statuses in which the merchant can no longer change an order ("Could not update order").
FROZEN_STATUSES = frozenset({COLLECTION})
#: Orders Komfortkasse no longer tracks (the spec: no reminder, collection or refund
#: processing): no refund is created or executed for them.
UNTRACKED_STATUSES = frozenset({LEGACY, DISAPPEARED})


def parse_wire_date(value: object, parameter: str) -> datetime.date:
    """A body date, or the API's "Parameter <name> is not valid"."""
    try:
        return date_from_wire(value, parameter)
    except ResponseValidationError:
        raise not_valid(parameter) from None


# -- orders -------------------------------------------------------------------------------


def check_number(number: str, body: Mapping[str, Json]) -> None:
    """POST /order/{n}: the body's ``number``, if present, must equal the path's."""
    if "number" in body and str(body["number"]) != number:
        raise ApiFailure.of(NUMBER_MISMATCH)


def order_data(
    body: Mapping[str, Json],
    *,
    existing: OrderRecord | None,
    exists: bool,
    today: datetime.date,
) -> dict[str, Json]:
    """Check one OrderWrite against the API's rules; the merchant data to store.

    ``existing`` is the stored order of that number, ``exists`` whether the number is
    known (also from earlier in the same bulk submit).
    """
    order_date = parse_wire_date(body["date"], "date")
    due_value = body.get("dueDate")
    due_date = None if due_value is None else parse_wire_date(due_value, "dueDate")
    dunning = body.get("initialDunningLevel")
    amount = to_money(body["amount"])
    if amount < ZERO:
        raise ApiFailure.bad_request("Invalid parameter amount: must not be negative")
    if exists and dunning not in (None, 0):
        raise ApiFailure.of(INITIAL_DUNNING_LEVEL)
    if dunning is not None and dunning < 0:
        raise ApiFailure.bad_request("Invalid parameter initialDunningLevel: must be >= 0")
    if not exists and order_date > today:
        raise ApiFailure.of(DATE_IN_FUTURE)
    if due_date is not None and due_date > add_months(today, MAX_DUE_MONTHS):
        raise ApiFailure.of(DUE_DATE_TOO_FAR)
    if existing is not None:
        check_not_frozen(existing)
        if (existing.postings or existing.refunds) and str(body["currency"]) != existing.currency:
            raise ApiFailure.of(
                UPDATE_REJECTED, reason="currency cannot change after payments or refunds"
            )
    data = {k: v for k, v in body.items() if k != "number" and k not in READ_ONLY_FIELDS}
    data["amount"] = amount
    return data


def check_not_frozen(order: OrderRecord) -> None:
    """An order in collection can no longer be changed by the merchant."""
    if order.payment_status in FROZEN_STATUSES:
        raise ApiFailure.of(UPDATE_REJECTED, reason=f"paymentStatus {order.payment_status}")


def check_set_paid(order: OrderRecord) -> None:
    """``setpaid`` on an order that is not yet PAID and not frozen."""
    if order.payment_status == PAID:
        raise ApiFailure.of(ALREADY_PAID)
    check_not_frozen(order)


def status_after_set_unpaid(order: OrderRecord) -> str:
    """The status ``setunpaid`` restores: only a manual ``setpaid`` can be reverted, and
    the postings decide (money may have arrived while the order was set PAID)."""
    if order.payment_status != PAID:
        raise ApiFailure.of(MUST_BE_PAID)
    previous = order.manual_previous_status
    if previous is None:
        raise ApiFailure.of(MUST_BE_MANUAL)
    if previous in OPEN_STATUSES:
        return PAID_PARTIAL if order.paid_sum > ZERO else UNPAID
    return previous


def unlisted_open_orders(shop: ShopRecord, open_numbers: Iterable[str]) -> list[OrderRecord]:
    """``ordersync``: the open orders the list leaves out (they become LEGACY)."""
    listed = set(open_numbers)
    return [
        order
        for order in shop.orders.values()
        if order.payment_status in OPEN_STATUSES and order.number not in listed
    ]


def read_orders(
    shop: ShopRecord,
    *,
    today: datetime.date,
    max_age_days: int,
    statuses: frozenset[str] | None,
    min_posting_date: datetime.date | None,
) -> list[OrderRecord]:
    """GET /orders: by order date (maxAge), status, and date of the last posting."""
    oldest = today - datetime.timedelta(days=max_age_days)
    found = []
    for order in shop.orders.values():
        if order.order_date < oldest:
            continue
        if statuses is not None and order.payment_status not in statuses:
            continue
        if min_posting_date is not None and (
            not order.postings or order.postings[-1].posting_date < min_posting_date
        ):
            continue
        found.append(order)
    return found


def read_postings(
    shop: ShopRecord,
    *,
    created_min: datetime.date | None,
    created_max: datetime.date | None,
    iban: str | None,
) -> list[PostingRecord]:
    """GET /postings: createdMin inclusive, createdMax exclusive, on the shop's account."""
    if iban is not None and normalize_iban(iban) != shop.bank.iban:
        return []
    postings = [p for order in shop.orders.values() for p in order.postings]
    postings.sort(key=lambda p: int(p.id))
    return [
        p
        for p in postings
        if (created_min is None or p.posting_date >= created_min)
        and (created_max is None or p.posting_date < created_max)
    ]


# -- refunds and images -------------------------------------------------------------------


def refund_terms(
    shop: ShopRecord, order: OrderRecord, body: Mapping[str, Json], *, today: datetime.date
) -> tuple[datetime.date, Decimal]:
    """Check a Refund for ``order``; its planned date and amount."""
    planned = parse_wire_date(body["plannedDate"], "plannedDate")
    check_not_frozen(order)
    existing = shop.refund_by_reference(str(body["externalReference"]))
    if existing is not None:
        raise ApiFailure.of(REFUND_EXISTS, reference_number=existing.reference_number)
    if planned <= today:
        raise ApiFailure.of(PLANNED_DATE_NOT_FUTURE)
    amount = to_money(body["amount"])
    if amount <= ZERO:
        raise ApiFailure.bad_request("Invalid parameter amount: must be greater than 0")
    if order.payment_status in UNTRACKED_STATUSES:
        raise ApiFailure.of(UPDATE_REJECTED, reason=f"paymentStatus {order.payment_status}")
    if str(body["currency"]) != order.currency:
        raise ApiFailure.bad_request(
            f"Invalid parameter currency: must be the order's currency {order.currency}"
        )
    if amount > order.refundable:
        raise ApiFailure.bad_request(
            f"Invalid parameter amount: refunds would exceed the amount paid "
            f"(at most {order.refundable} can still be refunded)"
        )
    return planned, amount


def image(shop: ShopRecord, order: OrderRecord, image_type: str) -> bytes:
    """PNG bytes of the order's QR code or payment slip (see :mod:`._epc`)."""
    bank = shop.bank
    open_amount = order.open_amount
    amount = open_amount if open_amount > ZERO else None
    if image_type == ImageType.QRCODE.value:
        if order.currency != "EUR":
            raise ApiFailure.bad_request(
                f"QR code (EPC/GiroCode) is only available for EUR orders, not {order.currency}"
            )
        payload = epc_payload(
            bic=bank.bic,
            beneficiary=bank.remittee,
            iban=bank.iban,
            amount=amount,
            remittance=order.reference_number,
        )
        return qr_png(payload)
    if image_type == ImageType.PAYMENTSLIPPRINT.value and shop.country != "CH":
        raise ApiFailure.bad_request(
            "Image type PAYMENTSLIPPRINT is only available for QR invoices in Switzerland"
        )
    text = payment_slip_text(
        beneficiary=bank.remittee,
        iban=bank.iban,
        bic=bank.bic,
        amount=amount,
        currency=order.currency,
        reference=order.reference_number,
    )
    return qr_png(text, scale=3)

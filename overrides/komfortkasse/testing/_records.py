"""The fake's records: shops, orders, postings, reminders, refunds, and their JSON.

Plain data, the sums derived from it (what was paid, refunded, is still open) and
each record in the API's JSON format, as the fake answers it. No rules and no
simulation here: :mod:`._rules` says what the API allows, :mod:`._simulation`
moves the records along. Money is kept as :class:`~decimal.Decimal` rounded to
cents; the statuses are the spec's (from the generated enums).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from komfortkasse._dates import date_from_wire, date_to_wire
from komfortkasse_generated.models import OrderRead, PaymentStatus, RefundStatus

Json = Any
CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Payment statuses: the spec's PaymentStatus values (from the generated enum).
UNPAID = PaymentStatus.UNPAID.value
PAID = PaymentStatus.PAID.value
PAID_PARTIAL = PaymentStatus.PAID_PARTIAL.value
CANCELLED = PaymentStatus.CANCELLED.value
REFUNDED = PaymentStatus.REFUNDED.value
REFUNDED_PARTIAL = PaymentStatus.REFUNDED_PARTIAL.value
LEGACY = PaymentStatus.LEGACY.value
DISAPPEARED = PaymentStatus.DISAPPEARED.value
COLLECTION = PaymentStatus.COLLECTION.value

# Refund statuses: the spec's RefundStatus values the fake uses.
REFUND_NEW = RefundStatus.NEW.value
REFUND_BANKDETAILS_MISSING = RefundStatus.BANKDETAILS_MISSING.value
REFUND_PROCESSED = RefundStatus.PROCESSED.value
#: Refund statuses whose money never leaves (or came back): not counted against what was paid.
REFUND_VOID_STATUSES = frozenset(
    status.value
    for status in (
        RefundStatus.CANCELLED,
        RefundStatus.RETURNED,
        RefundStatus.ERROR,
        RefundStatus.LEGACY,
    )
)

#: The fields the server sets (``readOnly`` in the spec's OrderRead): a caller cannot set
#: them; sent in an order, they are ignored (as the API documents them read-only).
READ_ONLY_FIELDS = OrderRead.__read_only__

MoneyLike = Decimal | str | float | int


def to_money(value: MoneyLike, what: str = "amount") -> Decimal:
    """``value`` as an exact amount in cents (floats go through their shortest repr).

    Not :func:`komfortkasse.money`, on purpose: that one checks what a *user of the
    client* is about to send and refuses a third decimal or a negative amount with a
    :class:`~komfortkasse.ValidationError`. This one reads what a caller *sent the
    fake* (a JSON number, parsed as Decimal, from any client in any language) or
    handed to a control such as ``receive_payment``: it keeps the sign (the API's
    own checks answer a negative amount with their 400), stores cents as the API
    does (a third decimal is rounded half up, not refused), and raises the plain
    :class:`TypeError` / :class:`ValueError` of a test helper.
    """
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, got {value!r}")
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not exact.is_finite():
        raise ValueError(f"{what} must be finite, got {value!r}")
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Includes:
    """The ``include*`` query flags of the order operations."""

    postings: bool = False
    collection_history: bool = False
    payment_reminders: bool = False
    refunds: bool = False


@dataclass
class BankAccount:
    """The shop's own account, shown on every order as where to pay."""

    iban: str
    bic: str
    bank_name: str
    remittee: str

    def to_json(self) -> dict[str, Json]:
        """This record in the API's JSON format (as the fake answers it)."""
        return {
            "iban": self.iban,
            "bic": self.bic,
            "bankName": self.bank_name,
            "remittee": self.remittee,
        }


@dataclass
class PostingRecord:
    """A bank posting (incoming payment) assigned to one order."""

    id: str
    order_number: str
    amount: Decimal
    currency: str
    posting_date: datetime.date
    valuation_date: datetime.date
    originator: str
    reference: str
    text: str
    payer_iban: str | None = None

    def to_json(self) -> dict[str, Json]:
        """This record in the API's JSON format (as the fake answers it)."""
        return {
            "id": self.id,
            "amount": self.amount,
            "currency": self.currency,
            "postingDate": date_to_wire(self.posting_date, "postingDate"),
            "valuationDate": date_to_wire(self.valuation_date, "valuationDate"),
            "originator": self.originator,
            "reference": self.reference,
            "text": self.text,
        }


@dataclass
class ReminderRecord:
    """One payment reminder sent by the fake (by email)."""

    date: datetime.date
    dunning_level: int
    fee: Decimal

    def to_json(self) -> dict[str, Json]:
        """This record in the API's JSON format (as the fake answers it)."""
        return {
            "date": date_to_wire(self.date, "date"),
            "dunningLevel": self.dunning_level,
            "reminderFee": self.fee,
            "email": True,
            "letter": False,
        }


@dataclass
class RefundRecord:
    """A refund (bank transfer back to the customer)."""

    id: str
    external_reference: str
    amount: Decimal
    currency: str
    planned_date: datetime.date
    reference_number: str
    status: str
    execution_date: datetime.date | None = None

    def to_json(self) -> dict[str, Json]:
        """This record in the API's JSON format (as the fake answers it)."""
        executed = self.execution_date
        return {
            "externalReference": self.external_reference,
            "amount": self.amount,
            "currency": self.currency,
            "plannedDate": date_to_wire(self.planned_date, "plannedDate"),
            "id": self.id,
            "executionDate": None if executed is None else date_to_wire(executed, "executionDate"),
            "referenceNumber": self.reference_number,
            "status": self.status,
        }


@dataclass
class CollectionRecord:
    """The order's hand-over to a debt collection agency."""

    partner: str
    file: str
    status: str
    history: list[tuple[datetime.datetime, str]] = field(default_factory=list)


@dataclass
class InvoiceUpload:
    """An uploaded invoice file, kept for inspection by tests."""

    invoice_number: str
    #: The part's filename as sent; ``None`` when it named none (the spec requires
    #: only the ``file`` part, so the fake accepts it without a filename).
    filename: str | None
    content_type: str
    data: bytes = field(repr=False)
    uploaded_at: datetime.datetime


@dataclass
class OrderRecord:
    """One order: the merchant's data as sent, plus everything Komfortkasse adds."""

    number: str
    #: The merchant's OrderWrite fields as last submitted (amounts as Decimal).
    data: dict[str, Json]
    reference_number: str
    created_at: datetime.datetime
    payment_status: str = UNPAID
    dunning_level: int = 0
    postings: list[PostingRecord] = field(default_factory=list)
    reminders: list[ReminderRecord] = field(default_factory=list)
    refunds: list[RefundRecord] = field(default_factory=list)
    collection: CollectionRecord | None = None
    invoices: list[InvoiceUpload] = field(default_factory=list)
    #: The status before a manual ``setpaid`` (``None`` unless PAID manually).
    manual_previous_status: str | None = None
    #: The customer's IBAN once known (from a posting or given later), for refunds.
    customer_iban: str | None = None

    @property
    def amount(self) -> Decimal:
        """The order's amount as an exact Decimal."""
        return to_money(self.data["amount"])

    @property
    def currency(self) -> str:
        """The order's ISO 4217 currency code."""
        return str(self.data["currency"])

    @property
    def type(self) -> str:
        """The order type (INVOICE, PREPAYMENT, COD, OTHER)."""
        return str(self.data["type"])

    @property
    def order_date(self) -> datetime.date:
        """The order date."""
        return date_from_wire(self.data["date"], "date")

    @property
    def due_date(self) -> datetime.date | None:
        """The due date, if the order has one."""
        value = self.data.get("dueDate")
        return None if value is None else date_from_wire(value, "dueDate")

    @property
    def stop_reminder(self) -> bool:
        """Whether automatic payment reminders are off for this order."""
        return bool(self.data.get("stopReminder", False))

    @property
    def billing_name(self) -> str:
        """The billing address as a payer name (person or company)."""
        billing: Mapping[str, Json] = self.data.get("billing", {})
        person = " ".join(str(billing[k]) for k in ("firstName", "lastName") if billing.get(k))
        return person or str(billing.get("company", ""))

    @property
    def paid_sum(self) -> Decimal:
        """The sum of all postings received for the order."""
        return sum((p.amount for p in self.postings), ZERO)

    @property
    def refunded_sum(self) -> Decimal:
        """The sum of the refunds already processed."""
        return sum((r.amount for r in self.refunds if r.status == REFUND_PROCESSED), ZERO)

    @property
    def committed_refunds(self) -> Decimal:
        """The sum of every refund that is or will be paid out (not cancelled, returned...)."""
        return sum((r.amount for r in self.refunds if r.status not in REFUND_VOID_STATUSES), ZERO)

    @property
    def refundable(self) -> Decimal:
        """What a new refund may still pay back: the postings minus the committed refunds."""
        return self.paid_sum - self.committed_refunds

    @property
    def amount_paid(self) -> Decimal:
        """Sum of postings minus the refunds already executed."""
        return self.paid_sum - self.refunded_sum

    @property
    def open_amount(self) -> Decimal:
        """What is still to be paid (never negative)."""
        return max(self.amount - self.amount_paid, ZERO)

    def write_json(self) -> dict[str, Json]:
        """The order in the OrderWriteWithNumber format (merchant data plus number)."""
        return {**self.data, "number": self.number}

    def to_json(self, bank: BankAccount, includes: Includes) -> dict[str, Json]:
        """The order in the OrderRead format; absent read-only fields are left out."""
        out = self.write_json()
        out["paymentStatus"] = self.payment_status
        out["referenceNumber"] = self.reference_number
        out["bankAccount"] = bank.to_json()
        out["dunningLevel"] = self.dunning_level
        if self.payment_status != UNPAID:
            out["amountPaid"] = self.amount_paid
        if includes.postings:
            out["postings"] = [p.to_json() for p in self.postings]
            out["hasBankDetailsForRefund"] = self.customer_iban is not None
        if self.collection is not None:
            out["collectionPartner"] = self.collection.partner
            out["collectionFile"] = self.collection.file
            out["collectionStatus"] = self.collection.status
            if includes.collection_history:
                out["collectionHistory"] = [
                    {"timestamp": _timestamp(at), "description": text}
                    for at, text in self.collection.history
                ]
        if includes.payment_reminders:
            out["paymentReminders"] = [r.to_json() for r in self.reminders]
        if includes.refunds:
            out["refunds"] = [r.to_json() for r in self.refunds]
        return out


def _timestamp(at: datetime.datetime) -> str:
    """A collection event's timestamp: the wire date plus the time of day."""
    return f"{date_to_wire(at.date(), 'timestamp')} {at:%H:%M:%S}"


@dataclass
class ShopRecord:
    """One shop, i.e. one API key, with its orders and settings."""

    api_key: str = field(repr=False)
    serial: int
    country: str
    bank: BankAccount
    api_active: bool = True
    read_only: bool = False
    shop_active: bool = True
    orders: dict[str, OrderRecord] = field(default_factory=dict, repr=False)
    callback_url: str | None = None
    callback_access_code: str | None = field(default=None, repr=False)
    #: Order number -> how many more writes touching it answer "Could not acquire lock".
    held_locks: dict[str, int] = field(default_factory=dict)

    def refund_by_reference(self, external_reference: str) -> RefundRecord | None:
        """The shop's refund with this ``externalReference``, if any."""
        for order in self.orders.values():
            for refund in order.refunds:
                if refund.external_reference == external_reference:
                    return refund
        return None


def new_api_key() -> str:
    """A random key that looks like nothing real: ``fake-`` and 32 hex digits."""
    return "fake-" + secrets.token_hex(16)

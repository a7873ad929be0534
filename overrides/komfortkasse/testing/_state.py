"""The fake's world: shops, orders, postings, reminders, refunds and the clock. No HTTP here.

Everything is in memory and guarded by one re-entrant lock (:attr:`FakeState.lock`);
callers hold it around each request or simulation step. Money is kept as
:class:`~decimal.Decimal` rounded to cents; dates come from the fake clock, never
from the machine's calendar (except the clock's start).

Rules the real Komfortkasse applies on its own schedule run when the clock crosses
midnight (:meth:`FakeState.run_day`): payment reminders, automatic cancellation and
refund execution. The day constants are documented on :class:`FakeState`.

Each payment status change is handed to the callback dispatcher (when the shop has a
callback URL) and remembered in :attr:`FakeState.outbox`, so the thread that caused
the change can deliver it after releasing the lock.
"""

from __future__ import annotations

import datetime
import itertools
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, ClassVar

from komfortkasse._dates import date_from_wire, date_to_wire
from komfortkasse._exceptions import ResponseValidationError
from komfortkasse_generated.models import (
    ImageType,
    OrderRead,
    OrderType,
    PaymentStatus,
    RefundStatus,
)

from ._callbacks import CallbackDelivery, CallbackDispatcher
from ._epc import epc_payload, payment_slip_text, qr_png
from ._errors import (
    ALREADY_PAID,
    DATE_IN_FUTURE,
    DUE_DATE_TOO_FAR,
    INITIAL_DUNNING_LEVEL,
    MUST_BE_MANUAL,
    MUST_BE_PAID,
    NUMBER_MISMATCH,
    ORDER_NOT_FOUND,
    PLANNED_DATE_NOT_FUTURE,
    REFUND_EXISTS,
    UPDATE_REJECTED,
    ApiFailure,
    not_valid,
)
from ._iban import is_valid_iban, normalize_iban, shop_iban

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
#: Orders still waiting for money: reminded, synced, cancelled when overdue.
OPEN_STATUSES = frozenset({UNPAID, PAID_PARTIAL})
#: Statuses in which the merchant can no longer change an order ("Could not update order").
FROZEN_STATUSES = frozenset({COLLECTION})
#: Orders Komfortkasse no longer tracks (the spec: no reminder, collection or refund
#: processing): no refund is created or executed for them.
UNTRACKED_STATUSES = frozenset({LEGACY, DISAPPEARED})
#: Statuses in which a bank posting is assigned to the order. The spec describes no
#: transition out of CANCELLED, LEGACY, DISAPPEARED or the refunded states by a
#: payment, so the fake refuses to simulate one (see :meth:`FakeState.receive_payment`).
PAYABLE_STATUSES = frozenset({UNPAID, PAID_PARTIAL, PAID, COLLECTION})

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

#: Order types Komfortkasse manages (reminders, cancellation): every type of the spec's
#: OrderType but ``OTHER``, which "will not be managed by Komfortkasse".
MANAGED_TYPES = frozenset(kind.value for kind in OrderType if kind is not OrderType.OTHER)

#: The fields the server sets (``readOnly`` in the spec's OrderRead): a caller cannot set
#: them; sent in an order, they are ignored (as the API documents them read-only).
READ_ONLY_FIELDS = OrderRead.__read_only__

MoneyLike = Decimal | str | float | int


def to_money(value: MoneyLike, what: str = "amount") -> Decimal:
    """``value`` as an exact amount in cents (floats go through their shortest repr)."""
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a number, got {value!r}")
    try:
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} is not a number: {value!r}") from None
    if not exact.is_finite():
        raise ValueError(f"{what} must be finite, got {value!r}")
    return exact.quantize(CENT, rounding=ROUND_HALF_UP)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus calendar months, clamped to the month's last day (31 Aug + 6 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in range(day.day, 27, -1):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    return datetime.date(year, month, min(day.day, 28))


def parse_wire_date(value: object, parameter: str) -> datetime.date:
    """A body date, or the API's "Parameter <name> is not valid"."""
    try:
        return date_from_wire(value, parameter)
    except ResponseValidationError:
        raise not_valid(parameter) from None


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


class FakeState:
    """All shops of one fake server, the fake clock, and the rules that move orders along."""

    #: Days after the due date (the order date when there is none) on which reminders 1, 2
    #: and 3 are sent; an order created with ``initialDunningLevel`` n continues at n + 1.
    REMINDER_OFFSETS_DAYS: ClassVar[tuple[int, ...]] = (7, 14, 21)
    #: Fee of reminder 1, 2, 3 (not cumulated).
    REMINDER_FEES: ClassVar[tuple[Decimal, ...]] = (
        Decimal("0.00"),
        Decimal("2.50"),
        Decimal("5.00"),
    )
    #: Unpaid INVOICE and COD orders become CANCELLED this many days after the last reminder.
    CANCEL_AFTER_LAST_REMINDER_DAYS: ClassVar[int] = 14
    #: Default for unpaid PREPAYMENT orders: CANCELLED this many days after the due date.
    PREPAYMENT_CANCEL_DAYS: ClassVar[int] = 30

    def __init__(
        self,
        now: datetime.datetime,
        callbacks: CallbackDispatcher,
        *,
        prepayment_cancel_days: int | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.now = now
        self.callbacks = callbacks
        self.prepayment_cancel_days = (
            self.PREPAYMENT_CANCEL_DAYS
            if prepayment_cancel_days is None
            else prepayment_cancel_days
        )
        self.shops: dict[str, ShopRecord] = {}
        self.default_key = ""
        #: Callback deliveries created since the last :meth:`take_outbox`.
        self.outbox: list[CallbackDelivery] = []
        self._serials = itertools.count(1)
        self._references = itertools.count(100001)
        self._postings = itertools.count(1)
        self._refunds = itertools.count(1)
        self._refund_references = itertools.count(500001)

    @property
    def today(self) -> datetime.date:
        return self.now.date()

    def take_outbox(self) -> list[CallbackDelivery]:
        taken, self.outbox = self.outbox, []
        return taken

    # -- shops ----------------------------------------------------------------------------

    def add_shop(
        self,
        api_key: str | None = None,
        *,
        api_active: bool = True,
        read_only: bool = False,
        shop_active: bool = True,
        country: str = "DE",
    ) -> ShopRecord:
        key = api_key if api_key is not None else new_api_key()
        if not key.strip() or key == "[your API key]":
            raise ValueError("an API key must be a real, non-empty string")
        if key in self.shops:
            raise ValueError("a shop with this API key exists already")
        serial = next(self._serials)
        bank = BankAccount(
            iban=shop_iban(country, serial),
            bic="FAKE" + ("DE" if country not in ("AT", "CH") else country) + "F0XXX",
            bank_name="Fake Bank",
            remittee=f"Fake Shop {serial}",
        )
        shop = ShopRecord(
            api_key=key,
            serial=serial,
            country=country,
            bank=bank,
            api_active=api_active,
            read_only=read_only,
            shop_active=shop_active,
        )
        self.shops[key] = shop
        if not self.default_key:
            self.default_key = key
        return shop

    def shop(self, api_key: str | None = None) -> ShopRecord:
        """The shop of ``api_key`` (the default shop for ``None``)."""
        shop = self.shops.get(self.default_key if api_key is None else api_key)
        if shop is None:
            raise KeyError("no shop with this API key")
        return shop

    def order(self, shop: ShopRecord, number: str) -> OrderRecord:
        """The order, or the API's 404 "Order '<n>' not found"."""
        order = shop.orders.get(number)
        if order is None:
            raise ApiFailure.of(ORDER_NOT_FOUND, number=number)
        return order

    # -- status changes -------------------------------------------------------------------

    def set_status(self, shop: ShopRecord, order: OrderRecord, status: str) -> None:
        """Change the payment status; a change is announced by callback."""
        if order.payment_status == status:
            return
        order.payment_status = status
        if status != PAID:
            order.manual_previous_status = None
        if shop.callback_url is not None:
            delivery = self.callbacks.enqueue(
                url=shop.callback_url,
                access_code=shop.callback_access_code or "",
                order_number=order.number,
                payment_status=status,
                payload=order.to_json(shop.bank, Includes()),
                now=self.now,
            )
            self.outbox.append(delivery)

    def settle(self, shop: ShopRecord, order: OrderRecord) -> None:
        """Derive PAID / PAID_PARTIAL / UNPAID from the postings of an open or paid order.

        A manually paid order stays PAID; it counts as paid by postings once they cover it.
        """
        status = order.payment_status
        if status not in OPEN_STATUSES and status != PAID:
            return
        paid = order.paid_sum
        if order.manual_previous_status is not None:
            if paid >= order.amount:
                order.manual_previous_status = None
            return
        if paid > ZERO and paid >= order.amount:
            self.set_status(shop, order, PAID)
        elif paid > ZERO:
            self.set_status(shop, order, PAID_PARTIAL)
        else:
            self.set_status(shop, order, UNPAID)

    # -- locks ----------------------------------------------------------------------------

    def check_locks(self, shop: ShopRecord, numbers: Iterable[str]) -> bool:
        """True (and one use consumed) when a held lock covers any of ``numbers``."""
        for number in dict.fromkeys(numbers):
            remaining = shop.held_locks.get(number, 0)
            if remaining > 0:
                if remaining == 1:
                    del shop.held_locks[number]
                else:
                    shop.held_locks[number] = remaining - 1
                return True
        return False

    # -- orders ---------------------------------------------------------------------------

    def submit_orders(self, shop: ShopRecord, bodies: list[Mapping[str, Json]]) -> list[str]:
        """Create or update orders (all checked before any is applied); returns their numbers."""
        known = set(shop.orders)
        prepared = []
        for body in bodies:
            number = str(body["number"])
            prepared.append((number, self._prepare(shop, number, body, exists=number in known)))
            known.add(number)
        for number, data in prepared:
            self._apply(shop, number, data)
        return [number for number, _ in prepared]

    def submit_order(self, shop: ShopRecord, number: str, body: Mapping[str, Json]) -> None:
        """POST /order/{n}: the body's ``number``, if present, must equal the path's."""
        if "number" in body and str(body["number"]) != number:
            raise ApiFailure.of(NUMBER_MISMATCH)
        data = self._prepare(shop, number, body, exists=number in shop.orders)
        self._apply(shop, number, data)

    def _prepare(
        self, shop: ShopRecord, number: str, body: Mapping[str, Json], *, exists: bool
    ) -> dict[str, Json]:
        """Check one OrderWrite against the API's rules; the data to store."""
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
        if not exists and order_date > self.today:
            raise ApiFailure.of(DATE_IN_FUTURE)
        if due_date is not None and due_date > add_months(self.today, 6):
            raise ApiFailure.of(DUE_DATE_TOO_FAR)
        existing = shop.orders.get(number)
        if existing is not None and existing.payment_status in FROZEN_STATUSES:
            raise ApiFailure.of(UPDATE_REJECTED, reason=f"paymentStatus {existing.payment_status}")
        if (
            existing is not None
            and (existing.postings or existing.refunds)
            and str(body["currency"]) != existing.currency
        ):
            raise ApiFailure.of(
                UPDATE_REJECTED, reason="currency cannot change after payments or refunds"
            )
        data = {k: v for k, v in body.items() if k != "number" and k not in READ_ONLY_FIELDS}
        data["amount"] = amount
        return data

    def _apply(self, shop: ShopRecord, number: str, data: dict[str, Json]) -> None:
        dunning = int(data.pop("initialDunningLevel", 0) or 0)
        order = shop.orders.get(number)
        if order is None:
            shop.orders[number] = OrderRecord(
                number=number,
                data=data,
                reference_number=f"K{next(self._references)}",
                created_at=self.now,
                dunning_level=dunning,
            )
            return
        order.data = data
        self.settle(shop, order)

    def set_paid(self, shop: ShopRecord, order: OrderRecord) -> None:
        if order.payment_status == PAID:
            raise ApiFailure.of(ALREADY_PAID)
        self._check_not_frozen(order)
        previous = order.payment_status
        self.set_status(shop, order, PAID)
        order.manual_previous_status = previous

    def set_unpaid(self, shop: ShopRecord, order: OrderRecord) -> None:
        if order.payment_status != PAID:
            raise ApiFailure.of(MUST_BE_PAID)
        previous = order.manual_previous_status
        if previous is None:
            raise ApiFailure.of(MUST_BE_MANUAL)
        if previous in OPEN_STATUSES:  # postings may have arrived while it was PAID
            previous = PAID_PARTIAL if order.paid_sum > ZERO else UNPAID
        self.set_status(shop, order, previous)

    def cancel(self, shop: ShopRecord, order: OrderRecord) -> None:
        self._check_not_frozen(order)
        self.set_status(shop, order, CANCELLED)

    def remove(self, shop: ShopRecord, order: OrderRecord) -> None:
        self._check_not_frozen(order)
        self.set_status(shop, order, DISAPPEARED)

    @staticmethod
    def _check_not_frozen(order: OrderRecord) -> None:
        if order.payment_status in FROZEN_STATUSES:
            raise ApiFailure.of(UPDATE_REJECTED, reason=f"paymentStatus {order.payment_status}")

    def sync_orders(self, shop: ShopRecord, open_numbers: Iterable[str]) -> int:
        """Mark open orders that are not listed as LEGACY; how many were marked."""
        listed = set(open_numbers)
        marked = 0
        for order in shop.orders.values():
            if order.payment_status in OPEN_STATUSES and order.number not in listed:
                self.set_status(shop, order, LEGACY)
                marked += 1
        return marked

    def read_orders(
        self,
        shop: ShopRecord,
        *,
        max_age_days: int,
        statuses: frozenset[str] | None,
        min_posting_date: datetime.date | None,
    ) -> list[OrderRecord]:
        """GET /orders: by order date (maxAge), status, and date of the last posting."""
        oldest = self.today - datetime.timedelta(days=max_age_days)
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
        self,
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

    # -- refunds and invoices -------------------------------------------------------------

    def create_refund(
        self, shop: ShopRecord, order: OrderRecord, body: Mapping[str, Json]
    ) -> RefundRecord:
        planned = parse_wire_date(body["plannedDate"], "plannedDate")
        self._check_not_frozen(order)
        existing = shop.refund_by_reference(str(body["externalReference"]))
        if existing is not None:
            raise ApiFailure.of(REFUND_EXISTS, reference_number=existing.reference_number)
        if planned <= self.today:
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
        refund = RefundRecord(
            id=str(next(self._refunds)),
            external_reference=str(body["externalReference"]),
            amount=amount,
            currency=str(body["currency"]),
            planned_date=planned,
            reference_number=f"KKBT{next(self._refund_references)}",
            status=REFUND_NEW if order.customer_iban else REFUND_BANKDETAILS_MISSING,
        )
        order.refunds.append(refund)
        return refund

    def add_invoice(self, order: OrderRecord, upload: InvoiceUpload) -> None:
        """Record an invoice; a repeated invoice number is ignored, as the API documents."""
        self._check_not_frozen(order)
        if all(i.invoice_number != upload.invoice_number for i in order.invoices):
            order.invoices.append(upload)

    # -- images ---------------------------------------------------------------------------

    def image(self, shop: ShopRecord, order: OrderRecord, image_type: str) -> bytes:
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

    # -- simulation -----------------------------------------------------------------------

    def receive_payment(
        self,
        shop: ShopRecord,
        order: OrderRecord,
        amount: Decimal,
        *,
        reference: str | None,
        payer_iban: str | None,
    ) -> PostingRecord:
        """A bank posting for ``order`` arrives; the payment status follows the postings.

        Open orders become PAID or PAID_PARTIAL; a paid one stays PAID (overpaid); an
        order in collection becomes PAID once fully paid. Orders in any other status
        (cancelled, legacy, removed, refunded) are refused with :class:`ValueError`:
        the spec describes no such transition.
        """
        if amount <= ZERO:
            raise ValueError("a posting amount must be positive")
        if order.payment_status not in PAYABLE_STATUSES:
            raise ValueError(
                f"order {order.number!r} is {order.payment_status}: the fake assigns payments "
                f"only to orders in {', '.join(sorted(PAYABLE_STATUSES))}"
            )
        if payer_iban is not None and not is_valid_iban(payer_iban):
            raise ValueError("payer_iban is not a valid IBAN")
        ref = order.reference_number if reference is None else reference
        posting = PostingRecord(
            id=str(next(self._postings)),
            order_number=order.number,
            amount=amount,
            currency=order.currency,
            posting_date=self.today,
            valuation_date=self.today,
            originator=order.billing_name,
            reference=ref,
            text=f"{ref} Order {order.number}",
            payer_iban=None if payer_iban is None else normalize_iban(payer_iban),
        )
        order.postings.append(posting)
        if posting.payer_iban is not None:
            self.give_bank_details(order, posting.payer_iban)
        if order.payment_status == COLLECTION:
            if order.paid_sum >= order.amount:
                self.set_status(shop, order, PAID)
        else:
            self.settle(shop, order)
        return posting

    def give_bank_details(self, order: OrderRecord, iban: str) -> None:
        """The customer's bank details are known: waiting refunds become NEW."""
        if not is_valid_iban(iban):
            raise ValueError("not a valid IBAN")
        order.customer_iban = normalize_iban(iban)
        for refund in order.refunds:
            if refund.status == REFUND_BANKDETAILS_MISSING:
                refund.status = REFUND_NEW

    def start_collection(
        self, shop: ShopRecord, order: OrderRecord, partner: str, file: str
    ) -> None:
        """Hand an open (unpaid or partly paid) order to a collection agency."""
        if order.payment_status not in OPEN_STATUSES:
            raise ValueError(
                f"order {order.number!r} is {order.payment_status}: only UNPAID or "
                "PAID_PARTIAL orders go to collection"
            )
        order.collection = CollectionRecord(partner=partner, file=file, status="OPEN")
        order.collection.history.append((self.now, f"Handed over to {partner}, file {file}"))
        self.set_status(shop, order, COLLECTION)

    def run_day(self, day: datetime.date) -> None:
        """Midnight of ``day``: reminders, automatic cancellations, refund execution."""
        for shop in self.shops.values():
            for order in shop.orders.values():
                self._dun(shop, order, day)
                self._execute_refunds(shop, order, day)

    def _dun(self, shop: ShopRecord, order: OrderRecord, day: datetime.date) -> None:
        """At most one reminder per order and day, then cancellation when overdue."""
        if order.type not in MANAGED_TYPES or order.stop_reminder:
            return
        if order.payment_status not in OPEN_STATUSES:
            return
        base = order.due_date or order.order_date
        unpaid = order.payment_status == UNPAID
        cancel_day = base + datetime.timedelta(days=self.prepayment_cancel_days)
        if order.type == "PREPAYMENT" and unpaid and day >= cancel_day:
            self.set_status(shop, order, CANCELLED)
            return
        offsets = self.REMINDER_OFFSETS_DAYS
        level = order.dunning_level
        if level < len(offsets):
            if day >= base + datetime.timedelta(days=offsets[level]):
                order.reminders.append(ReminderRecord(day, level + 1, self.REMINDER_FEES[level]))
                order.dunning_level = level + 1
            return
        if order.type in ("INVOICE", "COD") and unpaid:
            last = (
                order.reminders[-1].date
                if order.reminders
                else base + datetime.timedelta(days=offsets[-1])
            )
            if day >= last + datetime.timedelta(days=self.CANCEL_AFTER_LAST_REMINDER_DAYS):
                self.set_status(shop, order, CANCELLED)

    def _execute_refunds(self, shop: ShopRecord, order: OrderRecord, day: datetime.date) -> None:
        if order.payment_status in UNTRACKED_STATUSES:
            return  # the spec: no refund processing for orders no longer tracked
        executed = False
        for refund in order.refunds:
            if refund.status == REFUND_NEW and refund.planned_date <= day:
                refund.status = REFUND_PROCESSED
                refund.execution_date = day
                executed = True
        if executed:
            basis = order.paid_sum if order.paid_sum > ZERO else order.amount
            full = order.refunded_sum >= basis
            self.set_status(shop, order, REFUNDED if full else REFUNDED_PARTIAL)

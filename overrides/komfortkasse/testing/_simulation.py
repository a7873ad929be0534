"""The fake's world in motion: shops, the clock, status changes, payments, reminders.

Everything is in memory and guarded by one re-entrant lock (:attr:`FakeState.lock`);
callers hold it around each request or simulation step. Dates come from the fake
clock, never from the machine's calendar (except the clock's start). What an
operation may do is decided by :mod:`._rules`; this module applies it.

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
import threading
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import ClassVar

from komfortkasse._secret import PLACEHOLDER_KEY
from komfortkasse_generated.models import OrderType

from . import _rules
from ._callbacks import CallbackDelivery, CallbackDispatcher
from ._errors import ORDER_NOT_FOUND, ApiFailure
from ._iban import is_valid_iban, normalize_iban, shop_iban
from ._records import (
    CANCELLED,
    COLLECTION,
    DISAPPEARED,
    LEGACY,
    PAID,
    PAID_PARTIAL,
    REFUND_BANKDETAILS_MISSING,
    REFUND_NEW,
    REFUND_PROCESSED,
    REFUNDED,
    REFUNDED_PARTIAL,
    UNPAID,
    ZERO,
    BankAccount,
    CollectionRecord,
    Includes,
    InvoiceUpload,
    Json,
    OrderRecord,
    PostingRecord,
    RefundRecord,
    ReminderRecord,
    ShopRecord,
    new_api_key,
)
from ._rules import OPEN_STATUSES, UNTRACKED_STATUSES

#: Statuses in which a bank posting is assigned to the order. The spec describes no
#: transition out of CANCELLED, LEGACY, DISAPPEARED or the refunded states by a
#: payment, so the fake refuses to simulate one (see :meth:`FakeState.receive_payment`).
PAYABLE_STATUSES = frozenset({UNPAID, PAID_PARTIAL, PAID, COLLECTION})
#: Order types Komfortkasse manages (reminders, cancellation): every type of the spec's
#: OrderType but ``OTHER``, which "will not be managed by Komfortkasse".
MANAGED_TYPES = frozenset(kind.value for kind in OrderType if kind is not OrderType.OTHER)


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
        if not key.strip() or key == PLACEHOLDER_KEY:
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

    # -- the operations that change orders ------------------------------------------------

    def submit_orders(self, shop: ShopRecord, bodies: list[Mapping[str, Json]]) -> list[str]:
        """Create or update orders (all checked before any is applied); returns their numbers."""
        known = set(shop.orders)
        prepared = []
        for body in bodies:
            number = str(body["number"])
            data = _rules.order_data(
                body, existing=shop.orders.get(number), exists=number in known, today=self.today
            )
            prepared.append((number, data))
            known.add(number)
        for number, data in prepared:
            self._apply(shop, number, data)
        return [number for number, _ in prepared]

    def submit_order(self, shop: ShopRecord, number: str, body: Mapping[str, Json]) -> None:
        """POST /order/{n}: check the order, then create or update it."""
        _rules.check_number(number, body)
        existing = shop.orders.get(number)
        data = _rules.order_data(
            body, existing=existing, exists=existing is not None, today=self.today
        )
        self._apply(shop, number, data)

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
        _rules.check_set_paid(order)
        previous = order.payment_status
        self.set_status(shop, order, PAID)
        order.manual_previous_status = previous

    def set_unpaid(self, shop: ShopRecord, order: OrderRecord) -> None:
        self.set_status(shop, order, _rules.status_after_set_unpaid(order))

    def cancel(self, shop: ShopRecord, order: OrderRecord) -> None:
        _rules.check_not_frozen(order)
        self.set_status(shop, order, CANCELLED)

    def remove(self, shop: ShopRecord, order: OrderRecord) -> None:
        _rules.check_not_frozen(order)
        self.set_status(shop, order, DISAPPEARED)

    def sync_orders(self, shop: ShopRecord, open_numbers: Iterable[str]) -> int:
        """Mark open orders that are not listed as LEGACY; how many were marked."""
        unlisted = _rules.unlisted_open_orders(shop, open_numbers)
        for order in unlisted:
            self.set_status(shop, order, LEGACY)
        return len(unlisted)

    def create_refund(
        self, shop: ShopRecord, order: OrderRecord, body: Mapping[str, Json]
    ) -> RefundRecord:
        planned, amount = _rules.refund_terms(shop, order, body, today=self.today)
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
        _rules.check_not_frozen(order)
        if all(i.invoice_number != upload.invoice_number for i in order.invoices):
            order.invoices.append(upload)

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

"""The Komfortkasse process flow, end to end: ``python -m komfortkasse.demo``.

By default it runs against an embedded fake Komfortkasse (``komfortkasse[testing]``):
no key, no network. ``--live`` talks to the real API with ``$KOMFORTKASSE_API_KEY``
and CREATES REAL ORDERS in that shop (it asks you to confirm with
``--i-know-this-creates-real-orders``); the payment simulation is skipped there.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from . import (
    Address,
    Komfortkasse,
    OrderItem,
    OrderRead,
    OrderType,
    OrderWriteWithNumber,
    PaymentStatus,
    Refund,
    Unset,
)
from ._exceptions import KomfortkasseError
from ._secret import API_KEY_ENV

if TYPE_CHECKING:
    from .testing import FakeKomfortkasse

Say = Callable[[str], None]

CUSTOMERS = [
    ("Mustermann", "Max", None, "DE", "22.38"),
    ("Musterfrau", "Erika", None, "DE", "149.90"),
    (None, None, "Beispiel GmbH", "AT", "1250.00"),
    ("Huber", "Anna", None, "AT", "35.00"),
    ("Meier", "Hans", None, "DE", "89.99"),
]


def demo_orders(prefix: str, today: datetime.date) -> list[OrderWriteWithNumber]:
    """A small batch of realistic orders (numbers start with ``prefix``)."""
    orders = []
    for index, (last, first, company, country, amount) in enumerate(CUSTOMERS, start=1):
        billing = Address(country_code=country, street="Hauptstraße 1", city="Musterstadt")
        if last is not None:
            billing.last_name = last
        if first is not None:
            billing.first_name = first
        if company is not None:
            billing.company = company
        orders.append(
            OrderWriteWithNumber(
                number=f"{prefix}-{index:03d}",
                date=today,
                type_=OrderType.PREPAYMENT if index % 2 else OrderType.INVOICE,
                amount=Decimal(amount),
                currency="EUR",
                billing=billing,
                customer_email=f"customer{index}@example.org",
                items=[OrderItem(number=f"SKU-{index}", name="Demo article")],
                due_date=today + datetime.timedelta(days=14),
            )
        )
    return orders


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A plain-text table, columns as wide as their widest cell."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _text(value: object) -> str:
    return "" if isinstance(value, Unset) or value is None else str(value)


def _amount(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else ""


def run(
    client: Komfortkasse, out_dir: Path, say: Say, simulate: Simulator | None
) -> list[OrderRead]:
    """The main job: submit, show payment details, get paid, poll, cancel, refund."""
    today = datetime.date.today()
    prefix = "DEMO-" + today.strftime("%Y%m%d")
    first, *batch = demo_orders(prefix, today)

    say("1. Submit one order, then a batch")
    single = client.orders.submit(first.number, first)
    say(f"   {single.number}: {single.payment_status}, reference {_text(single.reference_number)}")
    reads = client.orders.submit_many(
        batch, on_progress=lambda done, total: say(f"   batch: {done}/{total} accepted")
    )
    orders = [single, *reads]

    say("2. Payment details for the customer (bank account, reference, QR code)")
    out_dir.mkdir(parents=True, exist_ok=True)
    for order in orders:
        account = order.bank_account
        iban = "" if isinstance(account, Unset) else _text(account.iban)
        path = client.images.save(order.number, out_dir / f"{order.number}-qrcode.png")
        say(f"   {order.number}: pay {_amount(order.amount)} EUR to {iban} "
            f"with reference {_text(order.reference_number)}  -> {path}")  # fmt: skip

    paid, partial, unpaid, to_cancel, to_refund = (o.number for o in orders)
    if simulate is not None:
        say("3. Customers pay: one in full, one partly, one not at all")
        simulate.pay(paid, orders[0].amount, iban="DE02120300000000202051")
        simulate.pay(partial, (orders[1].amount / 2).quantize(Decimal("0.01")), iban=None)
        simulate.pay(to_refund, orders[4].amount, iban="AT611904300234573201")
        say(f"   {paid} paid in full, {partial} paid half, {unpaid} did not pay")
    else:
        say("3. (live API: no payment simulation; real bank postings arrive on their own)")

    say("4. Poll the paid orders, as a shop does")
    polled = client.orders.list(
        payment_status=[PaymentStatus.PAID, PaymentStatus.PAID_PARTIAL], max_age=7
    )
    for order in polled:
        say(f"   {order.number}: {order.payment_status}, paid {_amount(order.amount_paid)}")

    say("5. Cancel one order, refund another")
    cancelled = client.orders.cancel(to_cancel)
    say(f"   {cancelled.number}: {cancelled.payment_status}")
    if client.orders.get(to_refund).payment_status != PaymentStatus.PAID:
        # Nothing to pay back (live: no payment has arrived yet).
        say(f"   {to_refund} is not paid: no refund")
    else:
        refund = client.orders.refund(
            to_refund,
            Refund(
                external_reference=f"RMA-{to_refund}",
                amount=Decimal("10.00"),
                currency="EUR",
                planned_date=today + datetime.timedelta(days=7),
            ),
        )
        say(f"   refund {_text(refund.reference_number)} for {to_refund}: {_text(refund.status)}")

    final = [client.orders.get(o.number, include_refunds=True) for o in orders]
    say("")
    say("Summary")
    rows = [
        [
            o.number,
            _text(o.type_),
            _amount(o.amount),
            _amount(o.amount_paid),
            _text(o.payment_status),
            _text(o.reference_number),
            str(0 if isinstance(o.refunds, Unset) else len(o.refunds)),
        ]
        for o in final
    ]
    say(table(rows, ["order", "type", "amount", "paid", "status", "reference", "refunds"]))
    return final


class Simulator:
    """Payment simulation on the embedded fake."""

    def __init__(self, fake: FakeKomfortkasse) -> None:
        self._fake = fake

    def pay(self, order_number: str, amount: Decimal, iban: str | None) -> None:
        self._fake.receive_payment(order_number, amount, payer_iban=iban)


@contextlib.contextmanager
def _embedded() -> Iterator[tuple[Komfortkasse, Simulator]]:
    try:
        from .testing import FakeKomfortkasse
    except ImportError:  # pragma: no cover - depends on the installed extras
        raise SystemExit(
            "the demo needs the fake server: pip install 'komfortkasse[testing]'"
        ) from None
    with FakeKomfortkasse() as fake, Komfortkasse(fake.api_key, base_url=fake.url) as client:
        yield client, Simulator(fake)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m komfortkasse.demo", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("demo-output"), help="where QR codes go")
    parser.add_argument("--live", action="store_true", help=f"use the real API (${API_KEY_ENV})")
    parser.add_argument("--i-know-this-creates-real-orders", action="store_true", dest="confirmed")
    args = parser.parse_args(argv)

    def say(text: str) -> None:
        print(text, flush=True)

    try:
        if args.live:
            if not args.confirmed:
                print(
                    "--live creates REAL orders, a refund and a cancellation in the shop of "
                    f"${API_KEY_ENV}. Re-run with --i-know-this-creates-real-orders.",
                    file=sys.stderr,
                )
                return 2
            if not os.environ.get(API_KEY_ENV):
                print(f"--live needs ${API_KEY_ENV}", file=sys.stderr)
                return 2
            with Komfortkasse() as client:
                say(f"Running against {client.base_url}")
                run(client, args.out, say, None)
        else:
            with _embedded() as (client, simulator):
                say(f"Running against an embedded fake Komfortkasse at {client.base_url}")
                run(client, args.out, say, simulator)
    except KomfortkasseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A user's code, type-checked by `make lint` (mypy --strict): the public surface
must let this pass without casts or ignores."""

from __future__ import annotations

import datetime
from decimal import Decimal

from komfortkasse import (
    Address,
    AsyncKomfortkasse,
    Komfortkasse,
    LockError,
    OrderAck,
    OrderItem,
    OrderRead,
    OrderType,
    OrderWrite,
    OrderWriteWithNumber,
    PaymentStatus,
    Refund,
    RetryPolicy,
    to_decimal,
)


def build_order() -> OrderWrite:
    return OrderWrite(
        date=datetime.date(2018, 4, 25),
        type_=OrderType.INVOICE,
        amount=Decimal("22.38"),
        currency="EUR",
        billing=Address(country_code="DE", last_name="Mustermann", first_name="Max"),
        due_date=datetime.date(2018, 5, 9),
        items=[OrderItem(number="1826353", name="T-Shirt")],
        customer_email="max@example.org",
    )


def paid_amounts(client: Komfortkasse) -> dict[str, Decimal]:
    orders: list[OrderRead] = client.orders.list(
        payment_status=[PaymentStatus.PAID, "PAID_PARTIAL"], max_age=30
    )
    return {order.number: to_decimal(order.amount) for order in orders}


def submit(client: Komfortkasse) -> OrderRead:
    try:
        return client.orders.submit("123456", build_order(), include_postings=True)
    except LockError as exc:
        raise RuntimeError(f"still locked after {exc.attempts} attempts") from exc


def bulk(client: Komfortkasse) -> int:
    orders = (
        OrderWriteWithNumber(
            number=str(n),
            date=datetime.date(2018, 4, 25),
            type_=OrderType.PREPAYMENT,
            amount=Decimal("10.00"),
            currency="EUR",
            billing=Address(country_code="AT", company="ACME GmbH"),
        )
        for n in range(1000)
    )
    return len(client.orders.submit_many(orders, chunk_size=100))


def acknowledged(client: Komfortkasse, orders: list[OrderWriteWithNumber]) -> list[str]:
    acks: list[OrderAck] = client.orders.submit_many(orders, acknowledge_only=True)
    reads: list[OrderRead] = client.orders.submit_many(orders, acknowledge_only=False)
    streamed = [ack.number for ack in client.orders.submit_iter(orders, acknowledge_only=True)]
    return [ack.number for ack in acks] + [read.number for read in reads] + streamed


async def acknowledged_async(client: AsyncKomfortkasse, orders: list[OrderWriteWithNumber]) -> int:
    acks: list[OrderAck] = await client.orders.submit_many(orders, acknowledge_only=True)
    async with client.orders.submit_iter(orders, acknowledge_only=True) as stream:
        numbers = [ack.number async for ack in stream]
    async with client.orders.submit_iter(orders) as reads:
        statuses = [read.payment_status async for read in reads]
    return len(acks) + len(numbers) + len(statuses)


def refund(client: Komfortkasse) -> datetime.date | None:
    planned = datetime.date.today() + datetime.timedelta(days=3)
    read = client.orders.refund(
        "123456",
        Refund(
            external_reference="RMA-1", amount=Decimal("5.00"), currency="EUR", planned_date=planned
        ),
    )
    return read.planned_date


async def poll(client: AsyncKomfortkasse) -> list[str]:
    patient = client.with_options(retry=RetryPolicy(max_attempts=10), timeout=60.0)
    orders = await patient.orders.list(payment_status=PaymentStatus.PAID)
    png: bytes = await client.images.get_png("123456")
    return [order.number for order in orders] + [str(len(png))]

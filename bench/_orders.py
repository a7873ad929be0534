"""Realistic order data: what a shop sends and what Komfortkasse answers.

The figures only mean something if the payload looks like production: an
``OrderRead`` here has a billing and a shipping address, an item, invoice
numbers, a reference number and the bank account the customer pays to, as the
API returns for a prepayment order.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from komfortkasse import Address, AddressGender, OrderItem, OrderType, OrderWriteWithNumber

#: A ``Decimal`` amount: what user code writes, before and after the models
#: carry amounts as ``Decimal`` (issue 9).
AMOUNT = Decimal("49.90")

BANK_ACCOUNT = {
    "iban": "DE02120300000000202051",
    "bic": "BYLADEM1001",
    "bankName": "Deutsche Kreditbank Berlin",
    "remittee": "Beispiel Versand GmbH",
}


def order_read_json(index: int) -> dict[str, Any]:
    """One ``OrderRead`` as the API sends it (camelCase, ``dd-MM-yyyy`` dates)."""
    number = str(1001 + index)
    address = {
        "countryCode": "DE",
        "gender": "male",
        "firstName": "Max",
        "lastName": "Mustermann",
        "street": "Musterstraße 12",
        "postCode": "10115",
        "city": "Berlin",
        "phone": "+49 30 1234567",
    }
    return {
        "number": number,
        "date": "21-11-2026",
        "type": "PREPAYMENT",
        "amount": 149.9,
        "currency": "EUR",
        "billing": address,
        "shipping": {**address, "street": "Lieferweg 3", "postCode": "10117"},
        "dueDate": "05-12-2026",
        "customerEmail": "max.mustermann@example.org",
        "customerNumber": f"C-{40000 + index}",
        "paymentMethod": "prepayment",
        "paymentMethodDescription": "Vorkasse (Überweisung)",
        "language": "de",
        "items": [{"number": "SKU-4711", "name": "Kaffeemühle, Edelstahl"}],
        "invoiceNumbers": [f"R-{number}"],
        "paymentStatus": "UNPAID",
        "referenceNumber": f"K{100000 + index}",
        "bankAccount": BANK_ACCOUNT,
        "dunningLevel": 0,
    }


def order_read_body(count: int) -> bytes:
    """A ``GET /orders`` (``count`` > 1) or ``GET /order/{n}`` (``count`` == 1) body."""
    if count == 1:
        return json.dumps(order_read_json(0)).encode("utf-8")
    return json.dumps([order_read_json(i) for i in range(count)]).encode("utf-8")


def as_order_read(order: dict[str, Any], index: int) -> dict[str, Any]:
    """What the API answers for a submitted order (the echo server's reply)."""
    return {
        **order,
        "paymentStatus": "UNPAID",
        "referenceNumber": f"K{100000 + index}",
        "bankAccount": BANK_ACCOUNT,
        "dunningLevel": 0,
    }


def write_orders(count: int, produced: list[int] | None = None) -> Iterator[OrderWriteWithNumber]:
    """A generator of ``count`` bulk orders, built one at a time.

    ``produced[0]`` (when given) counts how many it has yielded so far, so a
    server hook can see how far ahead of the sends the input was consumed.
    """
    today = datetime.date.today()
    for index in range(count):
        if produced is not None:
            produced[0] += 1
        yield OrderWriteWithNumber(
            number=f"B-{index}",
            date=today,
            type_=OrderType.INVOICE,
            amount=AMOUNT,
            currency="EUR",
            billing=Address(
                country_code="DE",
                gender=AddressGender.FEMALE,
                first_name="Erika",
                last_name=f"Musterfrau {index}",
                street="Hauptstraße 1",
                post_code="80331",
                city="München",
            ),
            customer_email="erika@example.org",
            customer_number=f"C-{index}",
            payment_method="invoice",
            language="de",
            items=[OrderItem(number="SKU-4711", name="Kaffeemühle, Edelstahl")],
            invoice_numbers=[f"R-{index}"],
        )

"""Sample payloads and models shared by the client's test files: one place, so a
schema change is fixed once."""

from __future__ import annotations

import datetime
from typing import Any

from komfortkasse import Address, OrderType, OrderWrite, Refund


def order_json(number: str = "7", **changes: Any) -> dict[str, Any]:
    """A minimal ``OrderRead`` as the API answers it."""
    return {
        "number": number,
        "date": "25-04-2018",
        "type": "INVOICE",
        "amount": 22.38,
        "currency": "EUR",
        "billing": {"lastName": "Mustermann", "countryCode": "DE"},
        "paymentStatus": "UNPAID",
        **changes,
    }


def refund_json(**changes: Any) -> dict[str, Any]:
    """A ``RefundRead`` as the API answers it."""
    return {
        "externalReference": "RMA-1",
        "amount": 5.0,
        "currency": "EUR",
        "plannedDate": "01-05-2030",
        "id": "9",
        "referenceNumber": "KKBT0009",
        "status": "BANKDETAILS_MISSING",
        **changes,
    }


def an_order(**changes: Any) -> OrderWrite:
    """A valid ``OrderWrite`` (25 April 2018, 22.38 EUR, invoice)."""
    fields: dict[str, Any] = {
        "date": datetime.date(2018, 4, 25),
        "type_": OrderType.INVOICE,
        "amount": 22.38,
        "currency": "EUR",
        "billing": Address(country_code="DE", last_name="Mustermann"),
    }
    fields.update(changes)
    return OrderWrite(**fields)


def a_refund(**changes: Any) -> Refund:
    """A valid ``Refund`` planned three days from today."""
    fields: dict[str, Any] = {
        "external_reference": "RMA-1",
        "amount": 5.0,
        "currency": "EUR",
        "planned_date": datetime.date.today() + datetime.timedelta(days=3),
    }
    fields.update(changes)
    return Refund(**fields)

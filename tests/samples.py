"""Sample payloads, models and settings shared by the whole suite: one place, so a
schema change is fixed once.

``*_json`` are what the API answers (wire format, camelCase); ``order_body`` is what a
caller sends; ``an_order``, ``numbered``, ``todays_order`` and ``a_refund`` are the
models a user of the client builds.
"""

from __future__ import annotations

import datetime
from typing import Any

from komfortkasse import (
    Address,
    OrderType,
    OrderWrite,
    OrderWriteWithNumber,
    Refund,
    RetryPolicy,
    money,
)
from komfortkasse._dates import date_to_wire

#: The API key of the clients on scripted servers; its parts must never leak (see
#: tests/client/test_security.py).
KEY = "sk-SECRET-4242-do-not-leak"
#: Retries without waiting: millisecond delays, the default number of attempts.
FAST = RetryPolicy(initial_delay=0.001, max_delay=0.01, jitter=0)
#: Where the API lives under a server's root (as on the real one).
BASE_PATH = "/api/v2"
TODAY = datetime.date.today()
#: Three days ago: an order date every fake (whose clock starts today) accepts.
RECENT = TODAY - datetime.timedelta(days=3)
#: The smallest answer that passes for a PNG: the signature and some bytes.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def wire(day: datetime.date) -> str:
    """A date as the API writes it (through the project's one date formatter)."""
    return date_to_wire(day, "date")


# -- what the API answers ----------------------------------------------------------------


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


def as_read(body: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """What the API answers for a submitted order (``body`` in wire format)."""
    return {**body, "paymentStatus": "UNPAID", "referenceNumber": f"K{body['number']}", **changes}


# -- what a caller sends -----------------------------------------------------------------


def order_body(
    number: str | None = None, *, day: datetime.date = RECENT, **changes: Any
) -> dict[str, Any]:
    """A valid ``OrderWrite`` body dated ``day`` (``OrderWriteWithNumber`` with a
    ``number``); keyword arguments replace fields."""
    body: dict[str, Any] = {} if number is None else {"number": number}
    body.update(
        {
            "date": wire(day),
            "type": "INVOICE",
            "amount": 22.38,
            "currency": "EUR",
            "customerEmail": "max@example.org",
            "billing": {"firstName": "Max", "lastName": "Mustermann", "countryCode": "DE"},
        }
    )
    body.update(changes)
    return body


# -- the models a user builds ------------------------------------------------------------


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


def todays_order(**changes: Any) -> OrderWrite:
    """An order dated today with a customer e-mail and a payer's full name: what a shop
    sends the fake (whose clock starts today), so ``maxAge`` windows find it."""
    fields: dict[str, Any] = {
        "date": TODAY,
        "amount": money("22.38"),
        "billing": Address(country_code="DE", last_name="Mustermann", first_name="Max"),
        "customer_email": "max@example.org",
    }
    fields.update(changes)
    return an_order(**fields)


def numbered(number: str, order: OrderWrite | None = None) -> OrderWriteWithNumber:
    """``order`` (by default :func:`an_order`) with an order number, for bulk submits."""
    return OrderWriteWithNumber.from_dict({"number": number, **(order or an_order()).to_dict()})


def a_refund(**changes: Any) -> Refund:
    """A valid ``Refund`` planned three days from today."""
    fields: dict[str, Any] = {
        "external_reference": "RMA-1",
        "amount": 5.0,
        "currency": "EUR",
        "planned_date": TODAY + datetime.timedelta(days=3),
    }
    fields.update(changes)
    return Refund(**fields)

"""Shared helpers of the fake server's tests (imported by name: tests/fake has no package)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import httpx

#: The fake's first day in these tests (a Monday, far from month ends).
TODAY = datetime.date(2024, 5, 13)


def wire(day: datetime.date) -> str:
    """A date as the API writes it (through the project's one date formatter)."""
    from komfortkasse._dates import date_to_wire

    return date_to_wire(day, "date")


def order_body(**changes: Any) -> dict[str, Any]:
    """A valid OrderWrite body dated TODAY; keyword arguments replace fields."""
    body: dict[str, Any] = {
        "date": wire(TODAY),
        "type": "INVOICE",
        "amount": 22.38,
        "currency": "EUR",
        "customerEmail": "max@example.org",
        "billing": {"firstName": "Max", "lastName": "Mustermann", "countryCode": "DE"},
    }
    body.update(changes)
    return body


def create(client: httpx.Client, number: str = "1001", **changes: Any) -> dict[str, Any]:
    """Submit an order and return the answer's JSON (asserting success)."""
    response = client.post(f"/order/{number}", json=order_body(**changes))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@dataclass
class CallbackReceiver:
    """Records POSTs; answers ``statuses`` in turn (then 200)."""

    url: str
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], Any]] = field(default_factory=list)

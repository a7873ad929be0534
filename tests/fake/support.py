"""Helpers of the fake server's own tests: its fixed first day, order bodies dated then,
and a callback receiver's record."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import httpx

from tests import samples

#: The fake's first day in these tests (a Monday, far from month ends).
TODAY = datetime.date(2024, 5, 13)


def order_body(**changes: Any) -> dict[str, Any]:
    """The sample OrderWrite body dated TODAY; keyword arguments replace fields."""
    return samples.order_body(day=TODAY, **changes)


def create(http: httpx.Client, number: str = "1001", **changes: Any) -> dict[str, Any]:
    """Submit an order and return the answer's JSON (asserting success)."""
    response = http.post(f"/order/{number}", json=order_body(**changes))
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


@dataclass
class CallbackReceiver:
    """Records POSTs; answers ``statuses`` in turn (then 200)."""

    url: str
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], Any]] = field(default_factory=list)

"""Callback (webhook) deliveries: one POST per payment status change, retried on the fake clock.

Komfortkasse "will retry roughly every 15 minutes for up to 7 days" when a callback
is not answered with HTTP 200. The fake does the same on its own clock: a failed
delivery is due again :data:`RETRY_INTERVAL` later (fake time) and given up once
that would be more than :data:`RETRY_PERIOD` after the change. Deliveries are made
synchronously, by whichever thread caused the change or moved the clock, so a test
sees the callback before the triggering call returns.
"""

from __future__ import annotations

import datetime
import http.client
import itertools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from komfortkasse_generated._wire import dumps

#: Fake time between two attempts of a failing delivery.
RETRY_INTERVAL = datetime.timedelta(minutes=15)
#: Fake time after the status change when attempts stop.
RETRY_PERIOD = datetime.timedelta(days=7)
#: Real seconds an attempt may take (connect plus answer).
DELIVERY_TIMEOUT = 2.0
#: The header that carries the shop's callback access code.
ACCESS_CODE_HEADER = "X-Komfortkasse-Access-Code"

PENDING = "pending"
IN_FLIGHT = "in_flight"
DELIVERED = "delivered"
EXPIRED = "expired"


def json_bytes(value: Any) -> bytes:
    """Compact JSON; :class:`~decimal.Decimal` amounts become exact JSON numbers."""
    return dumps(value).encode("utf-8")


@dataclass
class CallbackDelivery:
    """One status change to be announced to the shop's callback URL."""

    id: int
    url: str
    access_code: str = field(repr=False)
    order_number: str
    payment_status: str
    body: bytes = field(repr=False)
    created_at: datetime.datetime
    next_attempt: datetime.datetime
    attempts: int = 0
    state: str = PENDING


@dataclass(frozen=True)
class CallbackAttempt:
    """One attempt to deliver a callback, as seen by the fake.

    ``outcome`` is ``"delivered"`` (HTTP 200) or ``"failed"``; ``status_code`` is
    ``None`` when no HTTP answer arrived (``error`` then says why). ``gave_up`` is
    true on the last attempt of a delivery that never succeeded.
    """

    delivery_id: int
    order_number: str
    payment_status: str
    at: datetime.datetime
    outcome: str
    status_code: int | None
    error: str | None = None
    gave_up: bool = False


class CallbackDispatcher:
    """The queue of deliveries and the log of attempts; thread-safe."""

    def __init__(self, *, timeout: float = DELIVERY_TIMEOUT) -> None:
        self.timeout = timeout
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.deliveries: list[CallbackDelivery] = []
        self.log: list[CallbackAttempt] = []

    def enqueue(
        self,
        *,
        url: str,
        access_code: str,
        order_number: str,
        payment_status: str,
        payload: Any,
        now: datetime.datetime,
    ) -> CallbackDelivery:
        delivery = CallbackDelivery(
            id=next(self._ids),
            url=url,
            access_code=access_code,
            order_number=order_number,
            payment_status=payment_status,
            body=json_bytes(payload),
            created_at=now,
            next_attempt=now,
        )
        with self._lock:
            self.deliveries.append(delivery)
        return delivery

    def pending(self) -> list[CallbackDelivery]:
        with self._lock:
            return [d for d in self.deliveries if d.state == PENDING]

    def next_due(self) -> datetime.datetime | None:
        """The earliest time a pending delivery wants its next attempt."""
        times = [d.next_attempt for d in self.pending()]
        return min(times) if times else None

    def deliver_due(self, now: datetime.datetime) -> None:
        """Attempt every pending delivery whose next attempt is due at ``now``."""
        self.deliver([d for d in self.pending() if d.next_attempt <= now], now)

    def deliver(self, deliveries: Iterable[CallbackDelivery], now: datetime.datetime) -> None:
        """Attempt each of ``deliveries`` still pending, once, in order."""
        for delivery in deliveries:
            with self._lock:
                if delivery.state != PENDING:
                    continue
                delivery.state = IN_FLIGHT
            status, error = self._post(delivery)
            with self._lock:
                delivery.attempts += 1
                ok = status == 200
                gave_up = False
                if ok:
                    delivery.state = DELIVERED
                else:
                    delivery.next_attempt = now + RETRY_INTERVAL
                    gave_up = delivery.next_attempt > delivery.created_at + RETRY_PERIOD
                    delivery.state = EXPIRED if gave_up else PENDING
                self.log.append(
                    CallbackAttempt(
                        delivery_id=delivery.id,
                        order_number=delivery.order_number,
                        payment_status=delivery.payment_status,
                        at=now,
                        outcome="delivered" if ok else "failed",
                        status_code=status,
                        error=error,
                        gave_up=gave_up,
                    )
                )

    def attempts(self) -> list[CallbackAttempt]:
        with self._lock:
            return list(self.log)

    def clear(self) -> None:
        with self._lock:
            self.deliveries.clear()
            self.log.clear()

    def _post(self, delivery: CallbackDelivery) -> tuple[int | None, str | None]:
        """POST the payload; (status, None) on an answer, (None, reason) otherwise."""
        parts = urlsplit(delivery.url)
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {
            "Content-Type": "application/json",
            ACCESS_CODE_HEADER: delivery.access_code,
            "User-Agent": "FakeKomfortkasse-Callback/1",
        }
        connection = connection_class(parts.hostname or "", parts.port, timeout=self.timeout)
        try:
            connection.request("POST", target, body=delivery.body, headers=headers)
            response = connection.getresponse()
            response.read()
            return response.status, None
        except (OSError, http.client.HTTPException) as exc:
            return None, f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()

"""Callbacks delivered: the fake posts every status change to a receiver served by a
real WSGI server on 127.0.0.1, retries a failed delivery on its clock, and a wrong
access code is refused."""

from __future__ import annotations

import datetime
import threading
import wsgiref.simple_server
from decimal import Decimal
from typing import Any

import pytest

from komfortkasse import (
    Komfortkasse,
    OrderRead,
    PaymentStatus,
    callbacks,
)
from komfortkasse.testing import FakeKomfortkasse
from tests.samples import todays_order
from tests.spec_check import check_against_spec


class _Receiver:
    """A WSGI callback receiver on 127.0.0.1, run in a thread."""

    def __init__(self, access_code: str, fail_first: int = 0) -> None:
        self.orders: list[OrderRead] = []
        self.fail_first = fail_first

        def handler(order: OrderRead) -> None:
            if self.fail_first:
                self.fail_first -= 1
                raise RuntimeError("shop database unavailable")
            self.orders.append(order)

        class QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

        app = callbacks.wsgi_app(access_code, handler)
        self.server = wsgiref.simple_server.make_server(
            "127.0.0.1", 0, app, handler_class=QuietHandler
        )
        self.url = f"http://127.0.0.1:{self.server.server_port}/kk-callback"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_callbacks_end_to_end(fake: FakeKomfortkasse, fake_client: Komfortkasse) -> None:
    fake_client.orders.submit("1", todays_order())
    with _Receiver("right-code", fail_first=1) as receiver:
        fake.set_callback(receiver.url, "right-code")
        fake.receive_payment("1", Decimal("22.38"))  # handler fails once: 500
        assert receiver.orders == []
        assert fake.callback_log[-1].status_code == 500
        fake.advance(datetime.timedelta(minutes=16))  # the fake retries on its clock
        assert [(o.number, o.payment_status) for o in receiver.orders] == [
            ("1", PaymentStatus.PAID)
        ]
        assert fake.callback_log[-1].status_code == 200

        fake.set_callback(receiver.url, "wrong-code")
        fake_client.orders.cancel("1")
        assert fake.callback_log[-1].status_code == 401
        assert len(receiver.orders) == 1
    check_against_spec(fake)


@pytest.fixture(scope="module")
def fake_options() -> dict[str, Any]:
    return {"check_responses": True}

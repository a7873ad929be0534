"""Run by `make wheel-check` inside a throw-away venv holding only the built wheel
(plus the testing extra's dependencies): every package and data file the
distribution needs must be in the wheel for this to pass."""

from __future__ import annotations

import datetime

import komfortkasse
import komfortkasse.callbacks
import komfortkasse.cli
from komfortkasse import Address, Komfortkasse, OrderType, OrderWrite, PaymentStatus
from komfortkasse.testing import FakeKomfortkasse


def main() -> None:
    with FakeKomfortkasse() as fake, Komfortkasse(fake.api_key, base_url=fake.url) as client:
        order = OrderWrite(
            date=datetime.date.today(),
            type_=OrderType.PREPAYMENT,
            amount=komfortkasse.money("22.38"),
            currency="EUR",
            billing=Address(country_code="DE", last_name="Wheel"),
        )
        client.orders.submit("W-1", order)
        fake.receive_payment("W-1", "22.38")
        assert client.orders.get("W-1").payment_status is PaymentStatus.PAID
        assert client.images.get_png("W-1").startswith(b"\x89PNG")
    print("wheel works: komfortkasse", komfortkasse.__version__, "from", komfortkasse.__file__)


if __name__ == "__main__":
    main()

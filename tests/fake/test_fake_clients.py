"""Clients handed out by the fake run on its clock; the fixture names the missing extra."""

from __future__ import annotations

import datetime
import sys
from decimal import Decimal

import anyio
import pytest

from komfortkasse import (
    Address,
    AsyncKomfortkasse,
    Komfortkasse,
    OrderType,
    OrderWrite,
    Refund,
    RetryPolicy,
    ValidationError,
    money,
)
from komfortkasse.testing import FakeKomfortkasse, pytest_plugin
from tests.fake.support import TODAY

DAY = datetime.timedelta(days=1)


def an_order() -> OrderWrite:
    return OrderWrite(
        date=TODAY,
        type_=OrderType.INVOICE,
        amount=money("20.00"),
        currency="EUR",
        billing=Address(country_code="DE", last_name="Mustermann"),
    )


def refund_for(day: datetime.date) -> Refund:
    return Refund(
        external_reference="RMA-1", amount=money("5.00"), currency="EUR", planned_date=day
    )


def test_client_follows_the_fake_clock(fake: FakeKomfortkasse) -> None:
    with fake.client() as client:
        assert isinstance(client, Komfortkasse)
        client.orders.submit("1", an_order())
        fake.receive_payment("1", "20.00")
        fake.advance_days(3)
        # Tomorrow on the fake's clock is in the past for a client on the real one.
        tomorrow = fake.today + DAY
        read = client.orders.refund("1", refund_for(tomorrow))
        assert read.planned_date == tomorrow
        with pytest.raises(ValidationError, match="must be in the future"):
            client.orders.refund("1", refund_for(fake.today))
        # with_options keeps the clock.
        patient = client.with_options(retry=RetryPolicy(max_attempts=2))
        with pytest.raises(ValidationError, match="must be in the future"):
            patient.orders.refund("1", refund_for(fake.today))
    # A plain client uses the real today (the fake's clock starts in the past here).
    with (
        Komfortkasse(fake.api_key, base_url=fake.url) as plain,
        pytest.raises(ValidationError, match="must be in the future"),
    ):
        plain.orders.refund("1", refund_for(tomorrow))


def test_client_options_pass_through(fake: FakeKomfortkasse) -> None:
    other = fake.add_shop()
    with fake.client(api_key=other, timeout=3.0) as client:
        assert client.timeout.read == 3.0
        client.orders.submit("9", an_order())
    assert [o.number for o in fake.orders(other)] == ["9"]
    assert fake.orders() == []


def test_client_survives_a_reset(fake: FakeKomfortkasse) -> None:
    with fake.client() as client:
        fake.advance_days(5)
        fake.reset()
        client.orders.submit("1", an_order())
        fake.receive_payment("1", "20.00")
        client.orders.refund("1", refund_for(TODAY + DAY))  # the clock is back at TODAY


def test_async_client_follows_the_fake_clock(fake: FakeKomfortkasse) -> None:
    async def scenario() -> Decimal:
        async with fake.async_client() as client:
            assert isinstance(client, AsyncKomfortkasse)
            await client.orders.submit("1", an_order())
            fake.receive_payment("1", "20.00")
            fake.advance_days(3)
            read = await client.orders.refund("1", refund_for(fake.today + DAY))
            with pytest.raises(ValidationError):
                await client.orders.refund("1", refund_for(fake.today))
            return Decimal(str(read.amount))

    assert anyio.run(scenario) == Decimal("5.00")


def test_fixture_without_the_testing_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from komfortkasse import testing

    monkeypatch.delattr(testing, "FakeKomfortkasse", raising=False)
    for name in [m for m in sys.modules if m.startswith("komfortkasse.testing._")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    with pytest.raises(ModuleNotFoundError) as caught:
        testing.FakeKomfortkasse  # noqa: B018
    assert "pip install 'komfortkasse[testing]'" in str(caught.value)
    assert caught.value.name == "jsonschema"
    with pytest.raises(pytest.fail.Exception) as failed:
        pytest_plugin.fake_class()
    assert "komfortkasse_fake fixture" in str(failed.value)
    assert "komfortkasse[testing]" in str(failed.value)


def test_other_missing_modules_are_not_blamed_on_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from komfortkasse import testing

    monkeypatch.delattr(testing, "FaultKind", raising=False)
    monkeypatch.setitem(sys.modules, "komfortkasse.testing._faults", None)
    with pytest.raises(ModuleNotFoundError) as caught:
        testing.FaultKind  # noqa: B018
    assert "komfortkasse[testing]" not in str(caught.value)


def test_fixture_gives_a_started_fake(komfortkasse_fake: FakeKomfortkasse) -> None:
    with komfortkasse_fake.client() as client:
        assert client.orders.list() == []

"""Client-side rules: refused with a ValidationError naming field and rule, before any request."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal
from typing import Any

import httpx
import pytest

from komfortkasse import (
    Address,
    Komfortkasse,
    OrderItem,
    ValidationError,
)
from komfortkasse._operations import build_call
from komfortkasse._validation import add_months
from komfortkasse_generated.api import OPERATIONS
from tests.samples import TODAY, a_refund, an_order, numbered


class NoNetwork(httpx.BaseTransport):
    """Fails the test if any request is attempted."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request was sent: {request.method} {request.url}")


@pytest.fixture
def offline() -> Komfortkasse:
    """A client that cannot send: a rule checked too late fails the test at once."""
    http = httpx.Client(transport=NoNetwork())
    return Komfortkasse("k", base_url="https://example.test/api/v2", http_client=http)


def refuse(offline: Komfortkasse, the_order: Any, field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        offline.orders.submit("1", the_order)
    assert caught.value.field == field
    assert rule in caught.value.rule
    assert isinstance(caught.value, ValueError)
    assert field in str(caught.value)


@pytest.mark.parametrize(
    ("billing", "ok"),
    [
        (Address(country_code="DE", last_name="M"), True),
        (Address(country_code="DE", company="ACME"), True),
        (Address(country_code="DE", last_name="M", company="ACME"), True),
        (Address(country_code="DE", first_name="Max"), False),
        (Address(country_code="DE", last_name="  "), False),
        (Address(country_code="DE"), False),
    ],
)
def test_address_rule_on_billing(offline: Komfortkasse, billing: Address, ok: bool) -> None:
    if ok:
        with pytest.raises(AssertionError, match="a request was sent"):
            offline.orders.submit("1", an_order(billing=billing))
    else:
        refuse(offline, an_order(billing=billing), "billing", "last_name or company")


def test_address_rule_on_shipping_and_country_codes(offline: Komfortkasse) -> None:
    refuse(
        offline, an_order(shipping=Address(country_code="DE")), "shipping", "last_name or company"
    )
    refuse(
        offline,
        an_order(billing=Address(country_code="DEU", last_name="M")),
        "billing.country_code",
        "2 letters",
    )
    refuse(
        offline,
        an_order(shipping=Address(country_code="1A", company="X")),
        "shipping.country_code",
        "2 letters",
    )
    refuse(
        offline,
        an_order(billing=Address(country_code="de", last_name="M")),
        "billing.country_code",
        "upper case",
    )
    refuse(offline, an_order(billing=None), "billing", "must be Address, got null None")
    refuse(
        offline,
        an_order(billing=Address(country_code="DE", last_name=5)),  # type: ignore[arg-type]
        "billing.last_name",
        "must be str",
    )


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"currency": "EURO"}, "currency", "3 letters"),
        ({"currency": ""}, "currency", "3 letters"),
        ({"amount": -1}, "amount", "negative"),
        ({"amount": Decimal("22.385")}, "amount", "two decimals"),
        ({"amount": 22.385}, "amount", "two decimals"),
        ({"amount": float("nan")}, "amount", "finite"),
        ({"amount": "x"}, "amount", "number"),
        ({"amount": True}, "amount", "number"),
        ({"exchange_rate": 0}, "exchange_rate", "greater than zero"),
        ({"date": "25-04-2018"}, "date", "datetime.date"),
        ({"date": datetime.datetime(2018, 4, 25, 10)}, "date", "datetime.date"),
        ({"type_": ""}, "type_", "required"),
        ({"customer_email": 7}, "customer_email", "must be str"),
        ({"invoice_numbers": ["1", 2]}, "invoice_numbers[1]", "must be str"),
        ({"invoice_numbers": "1"}, "invoice_numbers", "must be list"),
        ({"currency": "eur"}, "currency", "upper case"),
        ({"type_": "BOGUS"}, "type_", "must be one of COD, INVOICE, OTHER, PREPAYMENT"),
        ({"customer_email": "max @example.org"}, "customer_email", "without spaces"),
        ({"customer_email": "max@example.org\r\nBcc: x@y.z"}, "customer_email", "line breaks"),
        ({"customer_email": "not an address"}, "customer_email", "e-mail address"),
        ({"items": [OrderItem(number="")]}, "items[0].number", "empty"),
        ({"items": ["1826353"]}, "items[0]", "OrderItem"),
        ({"initial_dunning_level": -1}, "initial_dunning_level", "negative"),
        ({"stop_reminder": "yes"}, "stop_reminder", "must be bool"),
    ],
)
def test_order_field_rules(
    offline: Komfortkasse, changes: dict[str, Any], field: str, rule: str
) -> None:
    refuse(offline, an_order(**changes), field, rule)


def test_due_date_at_most_six_months_ahead(offline: Komfortkasse) -> None:
    limit = add_months(TODAY, 6)
    refuse(offline, an_order(due_date=limit + datetime.timedelta(days=1)), "due_date", "6 months")
    with pytest.raises(AssertionError, match="a request was sent"):
        offline.orders.submit("1", an_order(due_date=limit))


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 8, 31), 6) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 11, 22), 6) == datetime.date(2027, 5, 22)


def test_order_numbers(offline: Komfortkasse) -> None:
    with pytest.raises(ValidationError, match="order_number: must not be empty"):
        offline.orders.submit("", an_order())
    with pytest.raises(ValidationError, match="order_number: must be a string"):
        offline.orders.get(1001)  # type: ignore[arg-type]
    for method in ("get", "set_paid", "set_unpaid", "cancel", "remove"):
        with pytest.raises(ValidationError, match="order_number"):
            getattr(offline.orders, method)(" ")
    with_number = numbered("2")
    with pytest.raises(ValidationError) as caught:
        offline.orders.submit("1", with_number)
    assert caught.value.field == "number"
    assert "differs" in caught.value.rule


def test_refund_rules(offline: Komfortkasse) -> None:
    cases = [
        (a_refund(planned_date=TODAY), "refund.planned_date", "future"),
        (
            a_refund(planned_date=TODAY - datetime.timedelta(days=3)),
            "refund.planned_date",
            "future",
        ),
        (a_refund(external_reference=""), "refund.external_reference", "empty"),
        (a_refund(amount=Decimal("1.001")), "refund.amount", "two decimals"),
        (a_refund(currency="E"), "refund.currency", "3 letters"),
    ]
    for bad, field, rule in cases:
        with pytest.raises(ValidationError) as caught:
            offline.orders.refund("1", bad)
        assert (caught.value.field, rule in caught.value.rule) == (field, True)
    with pytest.raises(ValidationError, match="must be a Refund"):
        offline.orders.refund("1", an_order())  # type: ignore[arg-type]


def test_submit_refuses_something_that_is_not_an_order(offline: Komfortkasse) -> None:
    with pytest.raises(ValidationError, match="must be an OrderWrite"):
        offline.orders.submit("1", {"date": "25-04-2018"})  # type: ignore[arg-type]


@pytest.mark.parametrize("max_legacy", [-1, 1.5, float("nan"), "5%", True])
def test_a_bad_sync_guard_is_refused_before_any_request(
    offline: Komfortkasse, max_legacy: Any
) -> None:
    with pytest.raises(ValidationError) as caught:
        offline.orders.sync(["1"], max_legacy=max_legacy)
    assert caught.value.field == "max_legacy"


def test_an_unknown_payment_status_on_an_order_sent_back_is_refused(offline: Komfortkasse) -> None:
    from komfortkasse import OrderRead

    read = OrderRead.from_dict({**an_order().to_dict(), "number": "1", "paymentStatus": "BOGUS"})
    refuse(offline, read, "payment_status", "must be one of CANCELLED")


def test_sync_of_none_is_a_validation_error(client: Komfortkasse) -> None:
    with pytest.raises(ValidationError) as caught:
        client.orders.sync(None)  # type: ignore[arg-type]
    assert caught.value.field == "open_order_numbers"
    with pytest.raises(ValidationError):
        client.orders.preview_sync(None)  # type: ignore[arg-type]


def test_extras_json_cannot_carry_are_refused_naming_the_field(offline: Komfortkasse) -> None:
    order = an_order()
    order.additional_properties["shopData"] = {"when": object()}
    with pytest.raises(ValidationError) as caught:
        offline.orders.submit("1001", order)
    assert caught.value.field == "shopData.when"


def test_bulk_extras_json_cannot_carry_name_the_order_index() -> None:
    orders = [numbered(str(n)) for n in range(2)]
    orders[1].additional_properties["tags"] = {1, 2}
    with pytest.raises(ValidationError) as caught:
        build_call(OPERATIONS["submitOrders"], {}, {}, orders, an_order().date, first_index=100)
    assert caught.value.field == "orders[101].tags"


def test_refund_extras_that_are_not_finite_are_refused(offline: Komfortkasse) -> None:
    refund = a_refund()
    refund.additional_properties["weight"] = math.inf
    with pytest.raises(ValidationError) as caught:
        offline.orders.refund("1001", refund)
    assert caught.value.field == "refund.weight"


def test_deeply_nested_or_badly_keyed_extras_are_refused(offline: Komfortkasse) -> None:
    nested: list[Any] = []
    for _ in range(5000):
        nested = [nested]
    deep = an_order()
    deep.additional_properties["deep"] = nested
    keyed = an_order()
    keyed.additional_properties["map"] = {(1, 2): "pair"}
    with pytest.raises(ValidationError, match="nested too deeply"):
        offline.orders.submit("1001", deep)
    with pytest.raises(ValidationError, match="key JSON cannot carry") as caught:
        offline.orders.submit("1001", keyed)
    assert caught.value.field == "map"

"""Public pre-send checks: check_order / check_orders run the client's rules, send nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

import komfortkasse
from komfortkasse import (
    Address,
    OrderProblem,
    OrderType,
    OrderWrite,
    OrderWriteWithNumber,
    ValidationError,
    check_order,
    check_orders,
    money,
)
from komfortkasse.testing import FakeKomfortkasse
from tests import samples
from tests.samples import an_order

TODAY = datetime.date(2026, 11, 22)


def numbered(number: str, **changes: Any) -> OrderWriteWithNumber:
    """The sample order dated TODAY (the checks' fixed day), with a number."""
    return samples.numbered(number, an_order(date=TODAY, **changes))


def test_check_order_passes_a_good_order_and_names_field_and_rule() -> None:
    assert check_order(numbered("1"), today=TODAY) is None
    with pytest.raises(ValidationError) as caught:
        check_order(numbered("1", billing=Address(country_code="DE", first_name="Max")))
    assert (caught.value.field, caught.value.rule.split(" (")[0]) == (
        "billing",
        "needs last_name or company",
    )


def test_check_order_with_a_number_checks_it_against_the_body() -> None:
    plain = OrderWrite(
        date=TODAY,
        type_=OrderType.PREPAYMENT,
        amount=money("1.00"),
        currency="EUR",
        billing=Address(country_code="AT", company="ACME"),
    )
    check_order(plain, number="1001", today=TODAY)
    check_order(plain, today=TODAY)  # no number needed for a single order
    with pytest.raises(ValidationError, match="differs from the order number"):
        check_order(numbered("A"), number="B", today=TODAY)
    with pytest.raises(ValidationError) as caught:
        check_order(plain, number=" ", today=TODAY)
    assert caught.value.field == "order_number"
    with pytest.raises(ValidationError) as caught:
        check_order(numbered(""), today=TODAY)  # bulk-style order: its number must be valid
    assert caught.value.field == "number"


def test_today_decides_the_date_rules_and_must_be_a_date() -> None:
    due = TODAY + datetime.timedelta(days=200)
    with pytest.raises(ValidationError, match="6 months"):
        check_order(numbered("1", due_date=due), today=TODAY)
    check_order(numbered("1", due_date=due), today=TODAY + datetime.timedelta(days=60))
    with pytest.raises(ValidationError) as caught:
        check_order(numbered("1"), today=datetime.datetime(2026, 1, 1))  # type: ignore[arg-type]
    assert caught.value.field == "today"


def test_check_orders_reports_every_problem_with_its_index() -> None:
    orders = [numbered(f"B-{n}") for n in range(300)]
    orders[120] = numbered("B-120", currency="EURO")
    orders[250] = numbered("B-250", billing=Address(country_code="DE"))
    orders[251] = numbered("B-251", amount=1.234)
    problems = check_orders(iter(orders), today=TODAY)  # any iterable, consumed once
    assert [(p.index, p.number, p.field) for p in problems] == [
        (120, "B-120", "orders[120].currency"),
        (250, "B-250", "orders[250].billing"),
        (251, "B-251", "orders[251].amount"),
    ]
    assert all(isinstance(p, OrderProblem) and p.repeat_of is None for p in problems)
    assert "three" in problems[2].rule or "decimal" in problems[2].rule
    assert str(problems[0]) == str(problems[0].error)
    assert check_orders(orders[:100], today=TODAY) == []


def test_check_orders_reports_repeated_numbers() -> None:
    orders = [numbered("X"), numbered("Y"), numbered("X", amount=money("5.00")), numbered("X")]
    problems = check_orders(orders, today=TODAY)
    assert [(p.index, p.repeat_of, p.field) for p in problems] == [
        (2, 0, "orders[2].number"),
        (3, 0, "orders[3].number"),
    ]
    assert "'X' repeats orders[0]" in problems[0].rule


def test_check_orders_needs_numbers_and_orders() -> None:
    plain = OrderWrite(
        date=TODAY,
        type_=OrderType.INVOICE,
        amount=1.0,
        currency="EUR",
        billing=Address(country_code="DE", last_name="K"),
    )
    [missing, wrong] = check_orders([plain, "not an order"], today=TODAY)  # type: ignore[list-item]
    assert (missing.index, missing.number, missing.field) == (0, None, "orders[0].number")
    assert wrong.field == "orders[1]"
    # An invalid order's number still counts for repeats.
    bad_then_good = [numbered("Z", currency="E"), numbered("Z")]
    assert [p.repeat_of for p in check_orders(bad_then_good, today=TODAY)] == [None, 0]


def test_check_orders_agrees_with_what_the_client_refuses() -> None:
    """What check_orders lets through, submit_many sends; what it flags, the client refuses."""
    good, bad = numbered("G"), numbered("B", billing=Address(country_code="D", last_name="K"))
    [problem] = check_orders([good, bad], today=TODAY)
    with FakeKomfortkasse(today=TODAY) as fake, fake.client() as client:
        with pytest.raises(ValidationError) as caught:
            client.orders.submit("B", bad)
        assert caught.value.rule == problem.rule
        assert [o.number for o in client.orders.submit_many([good])] == ["G"]


def test_checks_are_lazy_public_exports() -> None:
    for name in ("check_order", "check_orders", "OrderProblem"):
        assert name in komfortkasse.__all__
        assert getattr(komfortkasse, name).__doc__

"""Dates and money, property-tested: the wire carries exactly what the user meant."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from komfortkasse import ResponseValidationError, ValidationError, money, to_decimal
from komfortkasse._dates import date_from_wire, date_to_wire
from komfortkasse_generated._wire import dumps, loads
from komfortkasse_generated.models import Refund

#: Up to a billion per amount: well inside what a float carries to the cent.
cents = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c).scaleb(-2))


@given(st.dates())
def test_dates_round_trip_through_the_wire_format(day: datetime.date) -> None:
    wire = date_to_wire(day, "date")
    assert len(wire) == 10
    assert wire == f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
    assert date_from_wire(wire, "date") == day


@given(st.dates(min_value=datetime.date(1000, 1, 1)))
def test_wire_format_is_strftime_dd_mm_yyyy(day: datetime.date) -> None:
    assert date_to_wire(day, "date") == day.strftime("%d-%m-%Y")


@given(st.text(max_size=12))
def test_date_parser_accepts_nothing_but_dd_mm_yyyy(text: str) -> None:
    try:
        parsed = date_from_wire(text, "dueDate")
    except ResponseValidationError as exc:
        assert exc.field == "dueDate"
        assert "dueDate" in str(exc)
    else:
        assert date_to_wire(parsed, "x") == text


@pytest.mark.parametrize("bad", ["2018-04-25", "31-02-2018", "25.04.2018", "1-4-2018", "", None, 5])
def test_malformed_dates_name_the_field(bad: object) -> None:
    with pytest.raises(ResponseValidationError, match="plannedDate"):
        date_from_wire(bad, "plannedDate")


@pytest.mark.parametrize("bad", ["25-04-2018", datetime.datetime(2018, 4, 25, 1), None])
def test_only_dates_are_written(bad: object) -> None:
    with pytest.raises(ValidationError, match="due_date"):
        date_to_wire(bad, "due_date")


@given(cents)
def test_decimal_amounts_travel_exactly(amount: Decimal) -> None:
    wire = dumps({"amount": money(amount)})
    assert Decimal(wire.split(":")[1].strip(" }")) == amount
    assert loads(wire)["amount"] == amount


@given(cents)
def test_a_float_is_accepted_only_where_its_repr_is_the_amount(amount: Decimal) -> None:
    as_float = float(amount)
    if Decimal(repr(as_float)) == amount:
        assert money(as_float) == amount
    else:  # pragma: no cover - every amount below 10^11 survives its shortest repr
        with pytest.raises(ValidationError):
            money(as_float)


@given(cents, cents)
def test_float_sums_of_cents_are_never_rounded(a: Decimal, b: Decimal) -> None:
    total = float(a) + float(b)
    exact = Decimal(repr(total))
    if exact == exact.quantize(Decimal("0.01")):
        assert money(total) == exact
    else:
        with pytest.raises(ValidationError, match="two decimals"):
            money(total)


def test_the_classic_float_case() -> None:
    with pytest.raises(ValidationError, match=r"two decimals, got 0\.30000000000000004"):
        money(0.1 + 0.2)
    assert dumps(money(Decimal("22.38"))) == "22.38"
    assert money("22.30") == Decimal("22.30")
    assert money(22.38) == Decimal("22.38")
    assert to_decimal(22.38) == Decimal("22.38")


@given(
    st.decimals(min_value=0, max_value=10**6, places=6, allow_nan=False).filter(
        lambda d: d != d.quantize(Decimal("0.01"))
    )
)
def test_more_than_two_decimals_is_an_error_never_rounding(amount: Decimal) -> None:
    with pytest.raises(ValidationError, match="two decimals"):
        money(amount)


@pytest.mark.parametrize(
    "amount", [Decimal("12345678901234567.89"), Decimal("1e26"), 1e26, "1e400", 10**20]
)
def test_amounts_that_cannot_be_sent_exactly_are_refused(amount: object) -> None:
    with pytest.raises(ValidationError, match="must be below 10,000,000,000,000"):
        money(amount)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "amount", [float("nan"), float("inf"), "NaN", "-Infinity", Decimal("sNaN")]
)
def test_non_finite_amounts_are_refused(amount: object) -> None:
    with pytest.raises(ValidationError, match="finite"):
        money(amount)  # type: ignore[arg-type]


def test_to_decimal_refuses_non_numbers() -> None:
    with pytest.raises(ValidationError):
        to_decimal("22.38")  # type: ignore[arg-type]
    assert to_decimal(Decimal("1.5")) == Decimal("1.5")
    assert to_decimal(3) == Decimal(3)


def test_decimal_in_a_model_is_sent_exactly() -> None:
    refund = Refund(
        external_reference="R",
        amount=Decimal("19.99"),
        currency="EUR",
        planned_date=datetime.date(2030, 1, 2),
    )
    from komfortkasse._validation import refund_body

    body = refund_body(refund, today=datetime.date(2030, 1, 1))
    assert body["amount"] == Decimal("19.99")
    assert dumps(body["amount"]) == "19.99"
    assert body["plannedDate"] == "02-01-2030"

"""The quick ways of the bulk path decide exactly as the full rules do.

The rules remember what passed (codes, the day's due-date limit) and ``money`` takes a
plain decimal as it is; amounts go out as floats; ``from_dict`` builds its own class
positionally. Each quick way is held against the slow one it stands in for.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from komfortkasse import (
    Address,
    AddressGender,
    OrderItem,
    OrderRead,
    OrderType,
    OrderWriteWithNumber,
    PaymentStatus,
    ValidationError,
    money,
)
from komfortkasse._validation import (
    _CURRENCY,
    MAX_DUE_MONTHS,
    _check_order,
    _letters,
    _wire_body,
    add_months,
    order_body,
)
from komfortkasse_generated._wire import UNSET, WireError, dumps
from tests.samples import TODAY

LIMIT = add_months(TODAY, MAX_DUE_MONTHS)

texts = st.sampled_from(["M", "ACME", "", "  ", "\t", "x y"])
maybe_text = st.one_of(st.just(UNSET), texts)
addresses = st.builds(
    Address,
    country_code=st.sampled_from(["DE", "AT", "de", "D", "DEU", "D1", " DE"]),
    last_name=maybe_text,
    company=maybe_text,
    gender=st.sampled_from([UNSET, AddressGender.MALE, "female"]),
)
items = st.lists(st.builds(OrderItem, number=texts), max_size=3)


@st.composite
def orders(draw: st.DrawFn) -> OrderWriteWithNumber | OrderRead:
    """Orders that break any one rule, several, or none, in every form a caller uses."""
    fields: dict[str, Any] = {
        "number": draw(texts),
        "date": TODAY,
        "type_": draw(st.sampled_from([OrderType.INVOICE, "PREPAYMENT", "COD", "cod", "", "X"])),
        "amount": Decimal("49.90"),
        "currency": draw(st.sampled_from(["EUR", "CHF", "eur", "EU", "EURO", "E1R"])),
        "billing": draw(addresses),
        "shipping": draw(st.one_of(st.just(UNSET), addresses)),
        "customer_email": draw(
            st.sampled_from([UNSET, "a@b.de", "a b@c.de", "a@b", "@b.de", "a@@b.de", "a@b.de\n"])
        ),
        "initial_dunning_level": draw(st.sampled_from([UNSET, 0, 1, -1, True])),
        "items": draw(st.one_of(st.just(UNSET), items)),
        "due_date": draw(
            st.sampled_from(
                [UNSET, TODAY, LIMIT, LIMIT + datetime.timedelta(days=1), TODAY.replace(day=1)]
            )
        ),
    }
    if draw(st.booleans()):
        return OrderWriteWithNumber(**fields)
    status = draw(st.sampled_from([PaymentStatus.PAID, "PAID", "paid", "SOMETHING"]))
    return OrderRead(payment_status=status, **fields)


def full_rules(order: Any, path_number: str | None, with_number: bool) -> str | None:
    """The field the full checks refuse (after the types), or ``None`` when it passes."""
    try:
        _wire_body(order, "")
        _check_order(
            order, today=TODAY, path_number=path_number, prefix="", with_number=with_number
        )
    except ValidationError as error:
        return error.field
    return None


@settings(max_examples=400, deadline=None)
@given(orders(), st.sampled_from([None, "M", "1"]), st.booleans())
def test_order_body_refuses_the_field_the_full_rules_name(
    order: Any, path_number: str | None, with_number: bool
) -> None:
    refused = full_rules(order, path_number, with_number)
    try:
        order_body(order, today=TODAY, path_number=path_number, with_number=with_number)
    except ValidationError as error:
        assert error.field == refused
    else:
        assert refused is None


def test_a_remembered_code_does_not_let_a_wrong_one_pass() -> None:
    what = "a currency"
    _letters("EUR", "currency", _CURRENCY, what)
    _letters("EUR", "currency", _CURRENCY, what)  # remembered
    for wrong in ("eur", "EURO", UNSET, None):
        with pytest.raises(ValidationError, match="currency"):
            _letters(wrong, "currency", _CURRENCY, what)


def test_the_due_date_limit_is_the_days() -> None:
    order = OrderWriteWithNumber(
        number="B-1",
        date=TODAY,
        type_=OrderType.INVOICE,
        amount=Decimal("49.90"),
        currency="EUR",
        billing=Address(country_code="DE", last_name="Musterfrau"),
    )
    later = TODAY + datetime.timedelta(days=40)
    far = attrs.evolve(order, due_date=add_months(later, MAX_DUE_MONTHS))
    with pytest.raises(ValidationError, match="due_date"):
        order_body(far, today=TODAY, with_number=True)
    order_body(far, today=later, with_number=True)  # another day, another limit
    with pytest.raises(ValidationError, match="due_date"):
        order_body(far, today=TODAY, with_number=True)


amounts = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=Decimal(10) ** 14, places=2),
    st.decimals(min_value=0, max_value=Decimal(10) ** 14, places=3),
    st.builds(
        lambda digits, exponent: Decimal(digits).scaleb(exponent),
        st.integers(min_value=0, max_value=10**16),
        st.integers(min_value=-5, max_value=3),
    ),
)


@settings(max_examples=500, deadline=None)
@given(amounts)
def test_money_decides_a_decimal_as_it_decides_its_text(amount: Decimal) -> None:
    # The text goes the slow way (parsed, then every rule); the Decimal may go the fast one.
    try:
        slow: Decimal | None = money(str(amount))
    except ValidationError:
        slow = None
    try:
        exact = money(amount)
    except ValidationError:
        assert slow is None
        return
    assert exact == slow
    assert str(exact) == str(slow)
    # The float that goes into a body is exact: the same JSON text as the decimal.
    assert dumps(float(exact)) == dumps(exact)


def test_a_bulk_body_carries_amounts_as_their_exact_numbers() -> None:
    order = OrderWriteWithNumber(
        number="1",
        date=TODAY,
        type_=OrderType.INVOICE,
        amount=Decimal("1234567890123.45"),
        exchange_rate=Decimal("1.23456789012345"),
        currency="EUR",
        billing=Address(country_code="DE", last_name="M"),
    )
    text = dumps(order_body(order, today=TODAY, with_number=True))
    assert '"amount":1234567890123.45' in text
    assert '"exchangeRate":1.23456789012345' in text
    with pytest.raises(ValidationError) as caught:
        order_body(attrs.evolve(order, amount=Decimal("1.005")), today=TODAY, prefix="orders[3].")
    assert caught.value.field == "orders[3].amount"


class KeywordItem(OrderItem):
    """A subclass whose constructor takes keywords only, in another order."""

    __slots__ = ()

    def __init__(self, *, name: Any = UNSET, number: str) -> None:
        super().__init__(number, name)


def test_from_dict_builds_a_subclass_by_keywords() -> None:
    item = KeywordItem.from_dict({"name": "Mühle", "number": "SKU-1", "colour": "red"})
    assert type(item) is KeywordItem
    assert (item.number, item.name) == ("SKU-1", "Mühle")
    assert item.additional_properties == {"colour": "red"}
    plain = OrderItem.from_dict({"number": "SKU-1", "name": "Mühle"})
    assert (plain.number, plain.name, plain.additional_properties) == ("SKU-1", "Mühle", {})


@pytest.mark.parametrize(
    ("data", "path", "expected"),
    [
        ({"name": "x"}, "number", "a value (the field is required)"),
        ({"number": 5}, "number", "string"),
        ({"number": "1", "name": None}, "name", "string"),
    ],
)
def test_scalars_are_refused_by_name_on_the_quick_path(
    data: dict[str, Any], path: str, expected: str
) -> None:
    with pytest.raises(WireError) as caught:
        OrderItem.from_dict(data)
    assert caught.value.wire_path == path
    assert caught.value.expected == expected


def test_enums_are_refused_by_name_and_kept_open() -> None:
    read = OrderRead.from_dict(
        {
            "number": "1",
            "date": "01-02-2026",
            "type": "NEW_KIND",
            "amount": 1,
            "currency": "EUR",
            "billing": {"countryCode": "DE", "gender": "female"},
            "paymentStatus": "PAID",
        }
    )
    assert read.type_ == "NEW_KIND"
    assert read.payment_status is PaymentStatus.PAID
    assert read.billing.gender is AddressGender.FEMALE
    for field, value in (("type", None), ("paymentStatus", 3)):
        data = {"number": "1", "date": "01-02-2026", "type": "COD", "amount": 1}
        data |= {"currency": "EUR", "billing": {"countryCode": "DE"}, field: value}
        with pytest.raises(WireError) as caught:
            OrderRead.from_dict(data)
        assert caught.value.wire_path == field
    with pytest.raises(WireError) as caught:
        OrderRead.from_dict({"number": "1", "date": "01-02-2026", "amount": 1})
    assert caught.value.wire_path == "type"


def test_json_of_a_cycle_is_still_named_a_cycle() -> None:
    loop: list[Any] = []
    loop.append(loop)
    item = OrderItem(number="1")
    item["loop"] = loop
    with pytest.raises(ValueError, match="Circular reference"):
        item.to_json()

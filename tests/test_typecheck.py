"""``check_model``: decoded models are checked against their annotations.

The generated models only use single-type fields; the union, ``None`` and
"anything goes" rules are exercised on small attrs models defined here, which
``check_model`` treats exactly like generated ones.
"""

from __future__ import annotations

import datetime
from typing import Any

import attrs
import pytest

from komfortkasse import OrderRead, ResponseValidationError
from komfortkasse._typecheck import check_model
from komfortkasse_generated.types import UNSET, Unset

ORDER: dict[str, Any] = {
    "number": "1001",
    "date": "25-04-2018",
    "type": "INVOICE",
    "amount": 22.38,
    "currency": "EUR",
    "billing": {"lastName": "Mustermann", "countryCode": "DE"},
    "paymentStatus": "UNPAID",
}


def refused(model: object) -> ResponseValidationError:
    with pytest.raises(ResponseValidationError) as raised:
        check_model(model)
    return raised.value


# -- generated models ------------------------------------------------------------------------


def test_a_valid_order_passes() -> None:
    check_model(OrderRead.from_dict({**ORDER, "itemNumbers": ["A-1", "B-2"]}))


def test_a_string_where_a_list_belongs_is_named() -> None:
    # The generated from_dict casts lists of str without looking at them.
    error = refused(OrderRead.from_dict({**ORDER, "itemNumbers": "A-1"}))
    assert error.field == "item_numbers"
    assert str(error).startswith("field 'item_numbers': expected list")
    assert str(error).endswith("got str 'A-1'")


def test_a_wrong_list_item_is_named_with_its_index() -> None:
    error = refused(OrderRead.from_dict({**ORDER, "itemNumbers": ["A-1", 2]}))
    assert error.field == "item_numbers[1]"
    assert str(error).endswith("got int 2")


def test_a_nested_model_of_the_wrong_class_is_named() -> None:
    order = OrderRead.from_dict(ORDER)
    order.billing = {"lastName": "Mustermann"}  # type: ignore[assignment]
    error = refused(order)
    assert error.field == "billing"
    assert "expected Address, got dict" in str(error)


def test_a_nested_field_is_named_with_its_path() -> None:
    order = OrderRead.from_dict(ORDER)
    order.billing.country_code = 49  # type: ignore[assignment]
    assert refused(order).field == "billing.country_code"


# -- the general rules, on small models ------------------------------------------------------


@attrs.define
class Child:
    name: str


@attrs.define
class Sample:
    either: int | str
    maybe: float | None = None
    child_or_number: Child | float | Unset = UNSET
    anything: dict[str, Any] | Unset = UNSET
    bag: list[Any] | Unset = UNSET
    day: datetime.date | Unset = UNSET
    additional_properties: dict[str, Any] = attrs.field(factory=dict)


@pytest.mark.parametrize(
    "sample",
    [
        Sample(either=1),
        Sample(either="one", maybe=None),
        Sample(either=1, maybe=2),  # an int is a JSON number
        Sample(either=1, child_or_number=Child("x")),
        Sample(either=1, child_or_number=2.5),
        Sample(either=1, anything={"free": object()}),  # no rule for dicts: anything goes
        Sample(either=1, bag=[1, "two", None, {"x": 1}]),  # list of Any: items are free
        Sample(either=1, day=datetime.date(2024, 1, 31)),
        Sample(either=1, additional_properties={"unknown": object()}),
    ],
)
def test_values_fitting_their_annotation_pass(sample: Sample) -> None:
    check_model(sample)


@pytest.mark.parametrize(
    ("sample", "field", "got"),
    [
        (Sample(either=1.5), "either", "float 1.5"),
        (Sample(either=None), "either", "NoneType None"),  # type: ignore[arg-type]
        (Sample(either=True), "either", "bool True"),  # a bool is not an int in JSON
        (Sample(either=1, maybe="2"), "maybe", "str '2'"),
        (Sample(either=1, child_or_number="x"), "child_or_number", "str 'x'"),  # type: ignore[arg-type]
        (Sample(either=1, bag="abc"), "bag", "str 'abc'"),  # type: ignore[arg-type]
        (Sample(either=1, day="31-01-2024"), "day", "str '31-01-2024'"),  # type: ignore[arg-type]
        (Sample(either=1, child_or_number=Child(3)), "child_or_number.name", "int 3"),  # type: ignore[arg-type]
    ],
)
def test_values_off_their_annotation_are_refused(sample: Sample, field: str, got: str) -> None:
    error = refused(sample)
    assert error.field == field
    assert str(error).startswith(f"field {field!r}: expected ")
    assert str(error).endswith(f", got {got}")


def test_the_message_names_every_member_of_a_union() -> None:
    message = str(refused(Sample(either=1, child_or_number="x")))  # type: ignore[arg-type]
    expected = message.split(": expected ", 1)[1].split(", got ", maxsplit=1)[0]
    assert "Child" in expected
    assert " or " in expected


def test_the_message_shortens_long_values() -> None:
    error = refused(Sample(either=1, maybe="x" * 500))  # type: ignore[arg-type]
    assert len(str(error)) < 200

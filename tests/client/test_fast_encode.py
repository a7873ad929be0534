"""Request bodies and the ``speedups`` extra: msgspec writes a body only when the
models it came from hold nothing but JSON's own types (``_wire.plain``); any other
body, and whatever msgspec refuses, goes through the standard library, so what is
sent means the same and every refusal names its field as before."""

from __future__ import annotations

import datetime
import json
import math
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import komfortkasse_generated._wire as wire
from komfortkasse import Address, BulkSubmitError, OrderItem, ValidationError
from komfortkasse._call import Call
from komfortkasse_generated import models
from tests.samples import an_order, numbered
from tests.transports import echo_orders, mocked

pytest.importorskip("msgspec")


@pytest.fixture
def spied() -> Iterator[list[object]]:
    """The data msgspec was asked to write (the extra resolved, its encoder spied on)."""
    wire._FAST = False
    fast = wire._fast()
    assert fast is not None
    seen: list[object] = []

    def encode(data: object) -> bytes:
        seen.append(data)
        return fast.encode(data)

    wire._FAST = fast._replace(encode=encode)
    try:
        yield seen
    finally:
        wire._FAST = fast


def _parsed(body: bytes) -> Any:
    return json.loads(body, parse_float=Decimal)


# -- which models are plain --------------------------------------------------------------------


def test_a_model_is_plain_without_unknown_fields_anywhere_in_it() -> None:
    order = numbered("1", an_order(items=[OrderItem(number="SKU-1")]))
    assert wire.plain(order)
    order.additional_properties["note"] = "x"
    assert not wire.plain(order)


@pytest.mark.parametrize("where", ["billing", "shipping", "item"])
def test_an_unknown_field_in_a_nested_model_makes_it_not_plain(where: str) -> None:
    billing = Address(country_code="DE", last_name="Muster")
    shipping = Address(country_code="DE", last_name="Muster")
    item = OrderItem(number="SKU-1")
    {"billing": billing, "shipping": shipping, "item": item}[where].additional_properties[
        "when"
    ] = datetime.date(2026, 1, 2)
    order = numbered("1", an_order(billing=billing, shipping=shipping, items=[item]))
    order.billing, order.shipping, order.items = billing, shipping, [item]
    assert not wire.plain(order)


def test_the_template_lists_every_field_that_holds_a_model() -> None:
    """``__nested__`` comes from the spec: a new nested model needs no hand edit."""
    assert models.OrderWriteWithNumber.__nested__ == ("billing", "items", "shipping")
    model_classes = {cls for name in models.__all__ if attrs.has(cls := getattr(models, name))}
    for cls in model_classes:
        hints = attrs.fields_dict(cls)
        holding = {
            name
            for name, field in hints.items()
            if any(re.search(rf"\b{other.__name__}\b", str(field.type)) for other in model_classes)
        }
        assert set(cls.__nested__) == holding, cls.__name__
        assert cls.__free__ == (), cls.__name__  # the spec has no free-form field today


def test_a_set_free_form_field_makes_a_model_not_plain() -> None:
    """A field typed as any JSON is handed on unchecked by ``to_dict``: never plain when set."""

    @attrs.define
    class Loose:
        anything: Any = wire.UNSET
        additional_properties: dict[str, Any] = attrs.field(factory=dict)
        __nested__ = ()
        __free__ = ("anything",)

    assert wire.plain(Loose())
    assert not wire.plain(Loose(anything=1))


def test_a_list_holding_something_else_than_a_model_is_not_plain() -> None:
    order = numbered("1")
    order.items = [OrderItem(number="SKU-1"), "SKU-2"]  # type: ignore[list-item]
    assert not wire.plain(order)


# -- what is written ---------------------------------------------------------------------------

_json_native = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1e12, max_value=1e12)
    | st.text(st.characters(blacklist_categories=("Cs",))),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(blacklist_categories=("Cs",))), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_json_native)
def test_msgspec_writes_the_same_json_as_the_standard_library(data: Any) -> None:
    fast = wire.dumps_utf8(data, native=True)
    standard = wire.dumps(data).encode("utf-8")
    assert _parsed(fast) == _parsed(standard)


@pytest.mark.parametrize(
    "value", [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("Infinity")]
)
def test_a_non_finite_number_in_a_native_body_is_still_refused_by_name(value: object) -> None:
    with pytest.raises(ValidationError) as caught:
        Call("submitOrders", "post", "/orders", lambda data: data,
             json_body=[{"number": "1"}, {"amount": value}], native_json=True,
             body_name="orders", body_offset=100)  # fmt: skip
    assert caught.value.field == "orders[101].amount"
    assert "finite" in caught.value.rule


def test_a_plain_bulk_chunk_is_written_by_msgspec(spied: list[object]) -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return echo_orders(request)

    orders = [numbered(str(n), an_order(amount=Decimal("19.99"))) for n in range(3)]
    with mocked(handler) as client:
        reads = client.orders.submit_many(orders)
    assert [read.number for read in reads] == ["0", "1", "2"]
    assert len(spied) == 1
    sent = _parsed(seen[0])
    assert sent == _parsed(wire.dumps([order.to_dict() for order in orders]).encode())
    assert [order["amount"] for order in sent] == [Decimal("19.99")] * 3


def test_a_chunk_with_an_unknown_field_goes_through_the_standard_library(
    spied: list[object],
) -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return echo_orders(request)

    orders = [numbered("1"), numbered("2")]
    orders[1].billing.additional_properties["floor"] = 3
    with mocked(handler) as client:
        client.orders.submit_many(orders)
    assert spied == []
    assert _parsed(seen[0])[1]["billing"]["floor"] == 3


@pytest.mark.parametrize("value", [datetime.date(2026, 1, 2), {1, 2}, b"bytes", Decimal("NaN")])
def test_what_json_cannot_carry_is_refused_by_name_with_the_extra(
    spied: list[object], value: object
) -> None:
    """msgspec would write a date, a set or bytes; such a body never reaches it."""
    sent: list[httpx.Request] = []
    order = numbered("2")
    order.billing.additional_properties["extra"] = value
    with mocked(sent.append) as client, pytest.raises(BulkSubmitError) as caught:  # type: ignore[arg-type]
        client.orders.submit_many([numbered("1"), order])
    assert isinstance(caught.value.error, ValidationError)
    assert caught.value.error.field == "orders[1].billing.extra"
    assert sent == []
    assert spied == []


@pytest.mark.parametrize("native", [True, False])
def test_a_lone_surrogate_is_refused_by_name_before_any_request(native: bool) -> None:
    """UTF-8 cannot carry it: a ValidationError naming the field, not a UnicodeEncodeError."""
    sent: list[httpx.Request] = []
    order = an_order(customer_number="C-\ud800")
    if not native:
        order.additional_properties["note"] = "makes the body not plain"
    with mocked(sent.append) as client, pytest.raises(ValidationError) as caught:  # type: ignore[arg-type]
        client.orders.submit("1", order)
    assert caught.value.field == "customerNumber"
    assert "surrogate" in caught.value.rule
    assert sent == []


def test_a_lone_surrogate_in_a_key_is_refused_by_name() -> None:
    order = an_order()
    order.additional_properties["n\udc00te"] = "x"
    with pytest.raises(ValidationError) as caught:
        Call("submitOrder", "put", "/order/1", lambda data: data, json_body=order.to_dict())
    assert caught.value.field == "body"
    assert "key" in caught.value.rule
    assert "surrogate" in caught.value.rule


def test_output_with_null_is_made_again_by_the_standard_library(spied: list[object]) -> None:
    """msgspec writes NaN as null; a body with a null anywhere is the standard library's."""
    data = [{"name": "Nullmeier", "n": None}]
    assert wire.dumps_utf8(data, native=True) == wire.dumps(data).encode("utf-8")
    assert len(spied) == 1


def test_without_msgspec_a_native_body_is_the_standard_librarys() -> None:
    saved = wire._FAST
    wire._FAST = None
    try:
        data = [{"amount": 1.5, "name": "Mühle", "n": None, "ok": True}]
        assert wire.dumps_utf8(data, native=True) == wire.dumps(data).encode("utf-8")
    finally:
        wire._FAST = saved


def test_a_call_keeps_its_encoded_body_and_lets_go_of_the_dicts() -> None:
    """The resend of a lost write is ``dataclasses.replace`` of the call: same bytes."""
    import dataclasses

    call = Call("submitOrders", "post", "/orders", lambda data: data, json_body=[{"number": "1"}])
    assert call.json_body is None
    assert _parsed(call.content or b"") == [{"number": "1"}]
    again = dataclasses.replace(call, idempotent=True)
    assert again.content == call.content
    assert again.idempotent


def test_subclasses_of_json_types_are_written_as_the_standard_library_writes_them() -> None:
    """msgspec refuses str, int and float subclasses (a ``TypeError``) or writes an enum's
    value, which for a ``str``/``int`` enum is the same text: the result never differs."""
    import enum

    class Text(str):
        def __str__(self) -> str:
            return "other"

    class Number(float):
        def __repr__(self) -> str:
            return "x"

    class Count(int):
        def __repr__(self) -> str:
            return "y"

    class Kind(enum.StrEnum):
        A = "a"

    class Level(enum.IntEnum):
        TWO = 2

    data = [Text("abc"), Number(1.5), Count(3), Kind.A, Level.TWO, True]
    assert wire.dumps_utf8(data, native=True) == wire.dumps(data).encode("utf-8")
    assert _parsed(wire.dumps_utf8(data, native=True)) == ["abc", Decimal("1.5"), 3, "a", 2, True]

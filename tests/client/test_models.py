"""The generated models: strict one-pass decoding, exact decimals, open enums,
readable reprs, JSON round trips, and a package that depends on nothing above it."""

from __future__ import annotations

import copy
import datetime
import json
import pickle
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from komfortkasse import Komfortkasse, ResponseValidationError
from komfortkasse_generated import models
from komfortkasse_generated._wire import UNSET, Unset, WireError, dumps, loads
from tests.repo import spec
from tests.samples import order_json

SPEC: dict[str, Any] = spec()

#: The sample order as written (no status), its billing address with a gender.
ORDER: dict[str, Any] = order_json(
    "1001", billing={"lastName": "Mustermann", "countryCode": "DE", "gender": "male"}
)
del ORDER["paymentStatus"]
POSTING: dict[str, Any] = {"amount": 10.0, "postingDate": "26-04-2018", "currency": "EUR"}
REFUND: dict[str, Any] = {
    "externalReference": "R-1",
    "amount": 5.0,
    "currency": "EUR",
    "plannedDate": "01-05-2018",
    "status": "NEW",
}


def decode(data: dict[str, Any]) -> models.OrderRead:
    return models.OrderRead.from_json(json.dumps(data))


# -- money is exact ---------------------------------------------------------------------------


def test_every_number_in_the_spec_is_a_decimal_field() -> None:
    """The spec's "Decimal numbers: 0.00" format covers every JSON number: the
    template types each one ``Decimal`` (a new one needs no hand edit)."""
    import typing

    assert {"amount", "exchange_rate", "amount_paid"} <= set(models.OrderRead.__decimal_fields__)
    assert "reminder_fee" in models.OrderReminder.__decimal_fields__
    for name in models.__all__:
        cls = getattr(models, name)
        if not hasattr(cls, "__decimal_fields__"):
            continue
        hints = typing.get_type_hints(cls)
        typed = {field for field, hint in hints.items() if Decimal in typing.get_args(hint)
                 or hint is Decimal}  # fmt: skip
        assert set(cls.__decimal_fields__) == typed, name
    read = decode({**ORDER, "exchangeRate": 1.0, "amountPaid": 0.1})
    assert (read.amount, read.exchange_rate, read.amount_paid) == (
        Decimal("22.38"),
        Decimal("1.0"),
        Decimal("0.1"),
    )
    assert all(type(v) is Decimal for v in (read.amount, read.exchange_rate, read.amount_paid))


def test_amounts_are_read_exactly_not_through_a_float() -> None:
    """17 significant digits survive: the wire text is parsed as a decimal."""
    read = models.OrderRead.from_json(
        json.dumps(ORDER).replace("22.38", "0.1000000000000000055511151231257827")
    )
    assert read.amount == Decimal("0.1000000000000000055511151231257827")
    assert '"amount":0.1000000000000000055511151231257827' in read.to_json()


@pytest.mark.parametrize(
    ("text", "wire", "python"),
    [
        ('"amount": NaN', "amount", "amount"),
        ('"amount": Infinity', "amount", "amount"),
        ('"amount": -Infinity', "amount", "amount"),
        ('"amount": 1e999', "amount", "amount"),
        ('"amount": 1' + "0" * 400, "amount", "amount"),
        ('"amount": 1, "amountPaid": NaN', "amountPaid", "amount_paid"),
        ('"amount": 1, "postings": [{"amount": 1}, {"amount": NaN}]', "postings[1].amount", None),
        (
            '"amount": 1, "paymentReminders": [{"reminderFee": Infinity}]',
            "paymentReminders[0].reminderFee",
            "payment_reminders[0].reminder_fee",
        ),
    ],
)
def test_non_finite_and_overflowing_numbers_are_refused_by_path(
    text: str, wire: str, python: str | None
) -> None:
    body = json.dumps(ORDER).replace('"amount": 22.38', text)
    with pytest.raises(WireError) as caught:
        models.OrderRead.from_json(body)
    assert caught.value.wire_path == wire
    assert caught.value.python_path == (python or wire)
    assert "finite" in str(caught.value)


decimals = st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**20), max_value=10**20)


@given(amount=decimals, paid=decimals, day=st.dates())
def test_json_round_trip_keeps_decimals_and_dates_exactly(
    amount: Decimal, paid: Decimal, day: datetime.date
) -> None:
    read = models.OrderRead(
        date=day,
        type_=models.OrderType.PREPAYMENT,
        amount=amount,
        currency="EUR",
        billing=models.Address(country_code="DE", last_name="M"),
        number="1",
        amount_paid=paid,
        payment_status="SOMETHING_NEW",
    )
    again = models.OrderRead.from_json(read.to_json())
    assert again == read
    assert str(again.amount) == str(amount) or again.amount == amount
    assert again.payment_status == "SOMETHING_NEW"


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_from_a_callers_json_is_read_by_its_shortest_repr(value: float) -> None:
    read = models.Posting.from_dict({**POSTING, "amount": value})
    assert read.amount == Decimal(repr(value))


@given(st.one_of(st.text(), st.booleans(), st.none(), st.lists(st.integers(), max_size=2)))
def test_a_number_field_refuses_every_other_json_type(value: object) -> None:
    with pytest.raises(WireError) as caught:
        models.Posting.from_dict({**POSTING, "amount": value})
    assert caught.value.wire_path == "amount"


# -- strict decoding with paths ---------------------------------------------------------------


@given(
    field=st.sampled_from(["number", "currency", "date", "billing", "type", "amount"]),
    value=st.one_of(st.integers(), st.none(), st.lists(st.text(), max_size=1), st.booleans()),
)
def test_a_wrong_type_in_a_required_field_names_it(field: str, value: object) -> None:
    if field == "amount" and type(value) is int:
        return  # an integer is a fine amount
    with pytest.raises(WireError) as caught:
        models.OrderRead.from_dict({**ORDER, field: value})
    assert caught.value.wire_path == field
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("field", ["number", "date", "type", "amount", "currency", "billing"])
def test_a_missing_required_field_names_it(field: str) -> None:
    data = {k: v for k, v in ORDER.items() if k != field}
    with pytest.raises(WireError, match=f"field {field}") as caught:
        models.OrderRead.from_dict(data)
    assert "required" in str(caught.value)


def test_nested_and_list_paths_are_named_in_wire_and_python_terms() -> None:
    with pytest.raises(WireError) as caught:
        models.OrderRead.from_dict({**ORDER, "billing": {"countryCode": "DE", "lastName": 5}})
    assert (caught.value.wire_path, caught.value.python_path) == (
        "billing.lastName",
        "billing.last_name",
    )
    assert str(caught.value).startswith("field billing.lastName (billing.last_name): expected")
    with pytest.raises(WireError) as caught:
        models.OrderRead.from_dict({**ORDER, "items": [{"number": "1"}, {"number": 3}]})
    assert caught.value.wire_path == "items[3]".replace("3", "1") + ".number"
    with pytest.raises(WireError) as caught:
        models.OrderRead.from_dict({**ORDER, "refunds": [REFUND, {**REFUND, "plannedDate": 1}]})
    assert caught.value.python_path == "refunds[1].planned_date"


def test_the_public_client_turns_the_wire_error_into_response_validation_error() -> None:
    body = json.dumps({**ORDER, "postings": [POSTING, {**POSTING, "amount": "10.00"}]})
    transport = httpx.MockTransport(lambda request: httpx.Response(200, text=body))
    with (
        Komfortkasse(
            "k",
            base_url="https://example.test/api/v2",
            http_client=httpx.Client(transport=transport),
        ) as client,
        pytest.raises(ResponseValidationError) as caught,
    ):
        client.orders.get("1001")
    error = caught.value
    assert (error.field, error.python_field) == ("postings[1].amount", "postings[1].amount")
    assert "field postings[1].amount: expected number, got string '10.00'" in str(error)
    assert error.__cause__ is None
    assert error.__suppress_context__


def test_unknown_fields_are_kept_and_sent_back() -> None:
    read = decode({**ORDER, "loyaltyTier": "gold", "billing": {**ORDER["billing"], "floor": 3}})
    assert read.additional_properties == {"loyaltyTier": "gold"}
    assert read.billing.additional_properties == {"floor": 3}
    assert read.to_dict()["loyaltyTier"] == "gold"
    assert read.to_dict()["billing"]["floor"] == 3


# -- open enums, wherever they sit ------------------------------------------------------------


def test_unknown_enum_values_anywhere_arrive_as_str_known_ones_as_members() -> None:
    read = decode(
        {
            **ORDER,
            "type": "LAYAWAY",
            "paymentStatus": "PAID",
            "billing": {**ORDER["billing"], "gender": "diverse"},
            "refunds": [REFUND, {**REFUND, "status": "ON_HOLD"}],
        }
    )
    assert read.type_ == "LAYAWAY"
    assert type(read.type_) is str
    assert read.payment_status is models.PaymentStatus.PAID
    assert read.billing.gender == "diverse"
    assert isinstance(read.refunds, list)
    assert read.refunds[0].status is models.RefundStatus.NEW
    assert read.refunds[1].status == "ON_HOLD"
    assert type(read.refunds[1].status) is str


def test_an_enum_field_still_refuses_a_non_string() -> None:
    with pytest.raises(WireError, match=r"field paymentStatus \(payment_status\): expected string"):
        decode({**ORDER, "paymentStatus": 3})


# -- reading well -------------------------------------------------------------------------------


def test_repr_shows_only_the_fields_that_are_set() -> None:
    text = repr(decode(ORDER))
    assert text == (
        "OrderRead(date=datetime.date(2018, 4, 25), type_=<OrderType.INVOICE: 'INVOICE'>, "
        "amount=Decimal('22.38'), currency='EUR', billing=Address(country_code='DE', "
        "gender=<AddressGender.MALE: 'male'>, last_name='Mustermann'), number='1001')"
    )
    assert "Unset" not in text
    assert len(text) < 300


def test_unset_is_one_short_falsy_value_that_survives_copies_and_pickles() -> None:
    assert repr(UNSET) == "UNSET"
    assert not UNSET
    assert Unset() is UNSET
    assert copy.copy(UNSET) is UNSET
    assert copy.deepcopy(UNSET) is UNSET
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET
    read = decode(ORDER)
    assert copy.deepcopy(read) == read
    assert copy.deepcopy(read).due_date is UNSET
    assert pickle.loads(pickle.dumps(read)) == read


def test_wire_error_survives_a_pickle_round_trip() -> None:
    try:
        decode({**ORDER, "billing": {"countryCode": 1, "lastName": "M"}})
    except WireError as error:
        again = pickle.loads(pickle.dumps(error))
        assert (str(again), again.wire_path, again.python_path) == (
            str(error),
            error.wire_path,
            error.python_path,
        )


def test_to_dict_refuses_a_wrong_type_instead_of_sending_it() -> None:
    order = models.OrderWrite(
        date=datetime.date(2018, 4, 25),
        type_=models.OrderType.INVOICE,
        amount=Decimal("1.00"),
        currency="EUR",
        billing=models.Address(country_code="DE", last_name="M"),
        invoice_numbers=["1", 2],  # type: ignore[list-item]
    )
    with pytest.raises(WireError) as caught:
        order.to_dict()
    assert caught.value.python_path == "invoice_numbers[1]"
    assert caught.value.direction == "write"


def test_dumps_writes_decimals_as_exact_numbers_and_refuses_non_finite() -> None:
    assert dumps({"a": Decimal("22.38"), "b": Decimal("0.10")}) == '{"a":22.38,"b":0.1}'
    long = Decimal("12345678901234567890.123456789")
    assert loads(dumps({"x": long, "s": "x"}))["x"] == long
    with pytest.raises(WireError):
        dumps({"a": Decimal("NaN")})
    with pytest.raises(TypeError):
        dumps({"a": object()})


# -- decoding lists ---------------------------------------------------------------------------


def test_decoding_a_list_pauses_the_collector_and_restores_it() -> None:
    import gc

    from komfortkasse_generated._ops import Operation, Reply

    seen: list[bool] = []

    class Probe:
        @classmethod
        def from_dict(cls, data: dict[str, Any]) -> bool:
            seen.append(gc.isenabled())
            if data.get("bad"):
                raise WireError("string", "integer 1", (("number", "number"),))
            return True

    listing = Operation("x", "GET", "/x", "t", "", "", reply=Reply("model", Probe, many=True))
    assert gc.isenabled()
    assert listing.decode([{}, {}]) == [True, True]
    assert seen == [False, False]
    assert gc.isenabled()
    with pytest.raises(WireError, match=r"field \[1\]\.number"):
        listing.decode([{}, {"bad": 1}])
    assert gc.isenabled()
    gc.disable()
    try:
        listing.decode([{}])
        assert not gc.isenabled()  # a caller's own choice is left alone
    finally:
        gc.enable()

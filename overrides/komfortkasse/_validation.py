"""Client-side rules, checked before a request leaves.

Each public function validates one kind of write payload and returns the
JSON-ready dict to send. Errors are :class:`ValidationError` naming the field
path (``orders[3].billing.last_name``) and the rule. The API's own checks stay
authoritative; these catch what can be known without asking it.
"""

from __future__ import annotations

import collections
import datetime
import enum
import re
from collections.abc import Callable, Iterable
from typing import Any

from komfortkasse_generated._wire import WireError
from komfortkasse_generated.models import (
    Address,
    OrderRead,
    OrderType,
    OrderWrite,
    OrderWriteWithNumber,
    PaymentStatus,
    Refund,
)
from komfortkasse_generated.types import UNSET, Unset

from ._exceptions import ValidationError
from ._money import money, rate

__all__ = [
    "add_months",
    "check_number",
    "order_body",
    "refund_body",
    "sync_body",
]

#: The API refuses a ``dueDate`` further ahead than this.
MAX_DUE_MONTHS = 6

AnyOrder = OrderWrite | OrderWriteWithNumber | OrderRead
_ORDER_MODELS = (OrderWrite, OrderWriteWithNumber, OrderRead)

#: ISO 3166 country codes and ISO 4217 currency codes are upper-case letters;
#: the API compares them as sent, so ``"eur"`` would be refused there.
_COUNTRY = re.compile(r"[A-Z]{2}")
_CURRENCY = re.compile(r"[A-Z]{3}")
#: An address the API can send mail to: no whitespace or line breaks anywhere.
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
#: Decimal fields with their own rule (the others are amounts).
_RATE_FIELDS = frozenset({"exchange_rate"})


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus whole calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def check_number(value: object, field: str) -> str:
    """An order, invoice or other number: a non-empty string, sent as given."""
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, got {type(value).__name__}")
    if not value.strip():
        raise ValidationError(field, "must not be empty")
    return value


def known_member(value: object, kind: type[enum.Enum], field: str) -> None:
    """Refuse a value the API does not document for ``kind`` (sent, it would be
    refused there; read, an unknown value is kept as it came)."""
    if isinstance(value, kind):
        return
    if not isinstance(value, str) or value not in kind._value2member_map_:
        known = ", ".join(str(member.value) for member in kind)
        raise ValidationError(field, f"must be one of {known}, got {value!r}")


def _wire_body(model: Any, prefix: str) -> dict[str, Any]:
    """``model.to_dict()``; a value of the wrong type names its field."""
    try:
        body: dict[str, Any] = model.to_dict()
    except WireError as error:
        path = error.python_path
        raise ValidationError(
            f"{prefix}{path}", f"must be {error.expected}, got {error.got}"
        ) from None
    return body


def _letters(value: object, field: str, pattern: re.Pattern[str], what: str) -> None:
    if type(value) is str and value in _PASSED[pattern]:
        return
    if isinstance(value, Unset):
        raise ValidationError(field, "is required")
    if not (isinstance(value, str) and pattern.fullmatch(value)):
        raise ValidationError(field, f"must be {what}, got {value!r}")
    _PASSED[pattern].add(value)


#: Per pattern, the codes that passed it: a bulk submit sends the same few thousands
#: of times, and a set lookup is a tenth of the regular expression. Bounded by the
#: rules themselves (26**2 and 26**3 strings at most).
_PASSED: collections.defaultdict[re.Pattern[str], set[str]] = collections.defaultdict(set)


def _check_address(address: object, field: str, *, required: bool) -> None:
    if isinstance(address, Unset):
        if required:
            raise ValidationError(field, "is required")
        return
    if not isinstance(address, Address):
        raise ValidationError(field, f"must be an Address, got {type(address).__name__}")
    has_name = isinstance(address.last_name, str) and address.last_name.strip()
    has_company = isinstance(address.company, str) and address.company.strip()
    if not (has_name or has_company):
        raise ValidationError(field, "needs last_name or company (the API's address rule)")
    _letters(
        address.country_code,
        f"{field}.country_code",
        _COUNTRY,
        "an ISO 3166 country code (2 letters, upper case)",
    )


def _check_items(items: object, field: str) -> None:
    if not isinstance(items, list):
        return  # UNSET; a wrong type is named by to_dict
    for index, item in enumerate(items):
        number = getattr(item, "number", None)
        if isinstance(number, str):
            check_number(number, f"{field}[{index}].number")


#: Per model class, read once (bulk submit checks thousands of orders): the
#: ``(python name, JSON name, check)`` of each decimal field, and the JSON names
#: an order never sends.
_DECIMAL_RULES: dict[type, tuple[tuple[str, str, Callable[[Any, str], Any]], ...]] = {}
_NOT_SENT: dict[type, frozenset[str]] = {}


def _decimals(model: Any, body: dict[str, Any], prefix: str, *, floats: bool = False) -> None:
    """The money rules on every decimal field the model has (a new amount
    field in the spec is covered without a change here).

    ``floats``: amounts go into ``body`` as the ``float`` of the checked decimal,
    which is exact (at most two decimals below 10**13 are at most 15 significant
    digits, which a double and its shortest repr keep), so the JSON text is the
    same as for the decimal, without the encoder's per-``Decimal`` hook."""
    model_class: Any = type(model)
    rules = _DECIMAL_RULES.get(model_class)
    if rules is None:
        rules = _DECIMAL_RULES[model_class] = tuple(
            (name, model_class.__wire_names__[name], rate if name in _RATE_FIELDS else money)
            for name in model_class.__decimal_fields__
        )
    for name, key, check in rules:
        if body.get(key) is not None:  # left out, or read-only and dropped
            value = getattr(model, name)
            if floats and check is money:
                body[key] = float(money(value, f"{prefix}{name}"))
            else:
                body[key] = check(value, f"{prefix}{name}")


#: Per model class: whether none of its own JSON names is one never sent (then only
#: unknown fields can bring one along).
_CLEAN_FIELDS: dict[type, bool] = {}

#: ``(today, the last due date allowed)`` of the last order checked.
_DUE_LIMIT: list[tuple[datetime.date, datetime.date]] = []


def _due_limit(today: datetime.date) -> datetime.date:
    """:func:`add_months` of ``today`` and :data:`MAX_DUE_MONTHS`, made once per day."""
    if type(today) is datetime.date and _DUE_LIMIT and _DUE_LIMIT[0][0] == today:
        return _DUE_LIMIT[0][1]
    limit = add_months(today, MAX_DUE_MONTHS)
    _DUE_LIMIT[:] = [(today, limit)]
    return limit


def _not_sent(model_class: type[AnyOrder]) -> frozenset[str]:
    """The server's fields of the order it answers with: never sent back, also
    not when they came along among the unknown fields of a write model."""
    names = _NOT_SENT.get(model_class)
    if names is None:
        names = _NOT_SENT[model_class] = OrderRead.__read_only__ | model_class.__read_only__
    return names


def order_body(
    order: AnyOrder,
    *,
    today: datetime.date,
    path_number: str | None = None,
    prefix: str = "",
    with_number: bool = False,
) -> dict[str, Any]:
    """Validate an order and return its JSON body.

    ``path_number`` is the order number in the URL (single submit): a body
    ``number`` that differs is refused. ``with_number`` requires a ``number``
    in the body (bulk submit). Read-only fields (an ``OrderRead`` sent back,
    or such keys among unknown fields) are never sent. Amounts are floats
    that are exactly the checked decimals (see :func:`_decimals`).
    """
    if not isinstance(order, _ORDER_MODELS):
        raise ValidationError(
            prefix.rstrip(".") or "order",
            f"must be an OrderWrite or OrderWriteWithNumber, got {type(order).__name__}",
        )
    body = _wire_body(order, prefix)  # every field's type first, dates included
    _check_order(
        order, today=today, path_number=path_number, prefix=prefix, with_number=with_number
    )
    model_class = type(order)
    clean = _CLEAN_FIELDS.get(model_class)
    if clean is None:
        own = frozenset(model_class.__wire_names__.values())
        clean = _CLEAN_FIELDS[model_class] = not own & _not_sent(model_class)
    if not (clean and not order.additional_properties):
        for key in _not_sent(model_class).intersection(body):
            del body[key]
    _decimals(order, body, prefix, floats=True)
    return body


def _check_order(
    order: AnyOrder,
    *,
    today: datetime.date,
    path_number: str | None,
    prefix: str,
    with_number: bool,
) -> None:
    """Every rule of an order, in order; the first broken raises."""
    number = getattr(order, "number", None)
    if with_number:
        check_number(number, f"{prefix}number")
    if path_number is not None and isinstance(number, str) and number != path_number:
        raise ValidationError(
            f"{prefix}number", f"{number!r} differs from the order number {path_number!r}"
        )
    if isinstance(order.type_, Unset) or order.type_ == "":
        raise ValidationError(f"{prefix}type_", "is required")
    known_member(order.type_, OrderType, f"{prefix}type_")
    status = getattr(order, "payment_status", UNSET)  # an OrderRead sent back
    if not isinstance(status, Unset):
        known_member(status, PaymentStatus, f"{prefix}payment_status")
    _letters(
        order.currency,
        f"{prefix}currency",
        _CURRENCY,
        "an ISO 4217 currency code (3 letters, upper case)",
    )
    _check_address(order.billing, f"{prefix}billing", required=True)
    _check_address(order.shipping, f"{prefix}shipping", required=False)
    email = order.customer_email
    if isinstance(email, str) and not _EMAIL.fullmatch(email):
        raise ValidationError(
            f"{prefix}customer_email",
            f"must be one e-mail address without spaces or line breaks, got {email!r}",
        )
    level = order.initial_dunning_level
    if isinstance(level, int) and not isinstance(level, bool) and level < 0:
        raise ValidationError(f"{prefix}initial_dunning_level", "must not be negative")

    _check_items(order.items, f"{prefix}items")
    if not isinstance(order.due_date, Unset):
        due = order.due_date
        limit = _due_limit(today)
        if due > limit:
            raise ValidationError(
                f"{prefix}due_date",
                f"must not be more than {MAX_DUE_MONTHS} months ahead ({due} > {limit})",
            )


def refund_body(refund: Refund, *, today: datetime.date) -> dict[str, Any]:
    """Validate a refund (``planned_date`` strictly in the future) and return its JSON body."""
    if not isinstance(refund, Refund):
        raise ValidationError("refund", f"must be a Refund, got {type(refund).__name__}")
    body = _wire_body(refund, "refund.")
    check_number(refund.external_reference, "refund.external_reference")
    _letters(
        refund.currency,
        "refund.currency",
        _CURRENCY,
        "an ISO 4217 currency code (3 letters, upper case)",
    )
    planned = refund.planned_date
    if planned <= today:
        raise ValidationError(
            "refund.planned_date", f"must be in the future (after {today}), got {planned}"
        )
    _decimals(refund, body, "refund.")
    return body


def sync_body(numbers: Iterable[str], *, allow_empty: bool) -> list[str]:
    """Validate the open order numbers for ``ordersync``; duplicates are sent once."""
    if isinstance(numbers, str | bytes):
        raise ValidationError("open_order_numbers", "must be a collection of strings, not a str")
    unique = list(
        dict.fromkeys(check_number(n, f"open_order_numbers[{i}]") for i, n in enumerate(numbers))
    )
    if not unique and not allow_empty:
        raise ValidationError(
            "open_order_numbers",
            "is empty: that would mark every open order LEGACY; pass allow_empty=True to mean it",
        )
    return unique

"""Pre-send checks: every client-side rule, run without a client, a key or a request.

:func:`check_order` checks one order exactly as ``orders.submit`` would before
sending it; :func:`check_orders` checks a whole stream as ``orders.submit_many``
would, but does not stop at the first bad order: it reports every one, so a file
whose row 251 breaks a rule is fixed before its first 200 orders go out. Both
use the same rules as the client (:mod:`komfortkasse._validation`), so what
passes here is never refused client-side when sent on the same day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

import attrs

from ._exceptions import ValidationError
from ._exports import adopt
from ._validation import AnyOrder, check_number, order_body


@attrs.frozen
class OrderProblem:
    """One order of a stream that would be refused (or is suspicious), and why.

    ``index`` is its 0-based position in the input, ``number`` its order number
    (``None`` when it has none that is a string). ``error.field`` is the path of
    the offending value (``orders[250].billing``) and ``error.rule`` the rule.
    ``repeat_of`` is set (to the index of the first order with that number) when
    the problem is a repeated order number: the API keeps only the later one,
    since submitting an existing number updates that order.
    """

    index: int
    number: str | None
    error: ValidationError
    repeat_of: int | None = None

    @property
    def field(self) -> str:
        """The path of the offending value, e.g. ``orders[250].billing.country_code``."""
        return self.error.field

    @property
    def rule(self) -> str:
        """What the value must satisfy."""
        return self.error.rule

    def __str__(self) -> str:
        return str(self.error)


def _today(today: datetime.date | None) -> datetime.date:
    if today is None:
        return datetime.date.today()
    if isinstance(today, datetime.datetime) or not isinstance(today, datetime.date):
        raise ValidationError("today", f"must be a datetime.date, got {today!r}")
    return today


def check_order(
    order: AnyOrder, *, number: str | None = None, today: datetime.date | None = None
) -> None:
    """Run every client-side rule on one order; raise :class:`ValidationError` on the first broken.

    ``number`` is the order number you will submit it under
    (``orders.submit(number, order)``): it is checked too, and a body ``number``
    that differs is refused. Without it, an ``OrderWriteWithNumber`` must carry a
    valid ``number`` (as for ``submit_many``). ``today`` is the day the rules are
    checked for (a ``due_date`` at most 6 months ahead); default: the real today.
    Nothing is sent and nothing is changed.
    """
    from komfortkasse_generated.models import OrderWriteWithNumber

    day = _today(today)
    if number is not None:
        number = check_number(number, "order_number")
    with_number = number is None and isinstance(order, OrderWriteWithNumber)
    order_body(order, today=day, path_number=number, with_number=with_number)


def check_orders(
    orders: Iterable[AnyOrder], *, today: datetime.date | None = None
) -> list[OrderProblem]:
    """Run every client-side rule over a stream of orders, as ``submit_many`` would.

    Returns every problem in input order (an empty list: all orders pass): the
    first rule each order breaks, with its index (fields read
    ``orders[250].billing``), and each repeated order number (see
    :attr:`OrderProblem.repeat_of`). Every order needs a ``number``. The
    iterable is consumed once; pass a list to submit the same orders afterwards.
    """
    day = _today(today)
    first_index: dict[str, int] = {}
    problems: list[OrderProblem] = []
    for index, order in enumerate(orders):
        prefix = f"orders[{index}]."
        raw = getattr(order, "number", None)
        number = raw if isinstance(raw, str) else None
        earlier = index if number is None else first_index.setdefault(number, index)
        try:
            order_body(order, today=day, prefix=prefix, with_number=True)
        except ValidationError as error:
            problems.append(OrderProblem(index, number, error))
            continue
        if earlier != index:
            rule = (
                f"{number!r} repeats orders[{earlier}]: the API keeps only the later one "
                "(submitting an existing number updates that order)"
            )
            repeated = ValidationError(f"{prefix}number", rule)
            problems.append(OrderProblem(index, number, repeated, repeat_of=earlier))
    return problems


adopt(globals())

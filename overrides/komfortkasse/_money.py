"""Money on the wire: exact cents in, exact ``Decimal`` out.

The generated models type amounts as ``float`` (the spec says ``number``).
A two-decimal amount below 10^13 survives ``float`` exactly in the sense
that matters here: its shortest ``repr`` is the decimal the user meant. So
this module checks every amount before it is sent (at most two decimals,
not negative, representable) and sends the float whose ``repr`` is the exact
decimal; :func:`to_decimal` turns any amount read back into that ``Decimal``.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation

from ._exceptions import ValidationError

__all__ = ["money", "to_decimal"]

_CENT = Decimal("0.01")
#: A float within this many units-in-the-last-place of a cent value means that
#: cent value (``0.1 + 0.2``); never more than a tenth of a cent, so a real
#: third decimal is always refused.
_FLOAT_ULPS = 16
_MAX_SLACK = Decimal("0.0001")


def _as_decimal(value: object, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise ValidationError(field, f"must be a number, got {type(value).__name__}")
    try:
        result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValidationError(field, f"must be a number, got {value!r}") from None
    if not result.is_finite():
        raise ValidationError(field, f"must be a finite number, got {value!r}")
    return result


def _wire_float(exact: Decimal, field: str) -> float:
    wire = float(exact)
    if Decimal(repr(wire)) != exact:
        raise ValidationError(field, f"{exact} has too many digits to be sent exactly")
    return wire


def money(value: Decimal | int | float | str, field: str = "amount") -> float:
    """Check an amount and return the float that carries exactly its cents.

    ``Decimal("22.38")`` and ``"22.38"`` give ``22.38``; ``0.1 + 0.2`` gives
    ``0.3`` (a float that is a cent value but for binary noise); anything
    with a third decimal, a negative amount, or NaN is a
    :class:`ValidationError` naming ``field`` -- never silently rounded.
    Use it to put a ``Decimal`` into a model under ``mypy --strict``:
    ``OrderWrite(amount=money(Decimal("22.38")), ...)``.
    """
    exact = _as_decimal(value, field)
    if exact < 0:
        raise ValidationError(field, f"must not be negative, got {exact}")
    cents = exact.quantize(_CENT)
    float_noise = isinstance(value, float) and abs(cents - exact) <= min(
        _MAX_SLACK, Decimal(_FLOAT_ULPS * math.ulp(value))
    )
    if cents != exact and not float_noise:
        raise ValidationError(field, f"must have at most two decimals, got {exact}")
    return _wire_float(cents, field)


def rate(value: Decimal | int | float | str, field: str = "exchange_rate") -> float:
    """Check a positive rate (any number of decimals) that must travel exactly."""
    exact = _as_decimal(value, field)
    if exact <= 0:
        raise ValidationError(field, f"must be greater than zero, got {exact}")
    return _wire_float(exact, field)


def to_decimal(value: float | int | Decimal) -> Decimal:
    """The exact decimal of an amount read from the API (``22.38`` -> ``Decimal("22.38")``)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)

"""Money rules: exact cents, checked before they are sent.

The generated models carry every amount as :class:`~decimal.Decimal`, read
exactly from the wire. What the spec states only in prose is here: an amount
has at most two decimals and is not negative, an exchange rate is positive,
and a ``float`` is accepted only where its shortest repr already is such a
decimal -- never rounded.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ._exceptions import ValidationError
from ._exports import adopt

__all__ = ["money", "rate", "to_decimal"]

_CENT = Decimal("0.01")
#: Digits a double carries exactly: more would not survive a JSON reader that
#: parses numbers as doubles (most do), so the API could not see the amount.
_MAX_DIGITS = 15
#: Two-decimal amounts below this have at most 15 digits.
_MAX_AMOUNT = Decimal(10) ** 13
#: Two-decimal floats whose repr is at most this long are already exact cents
#: (``22.38``, ``1250.0``): the fast path skips the general check.
_FAST_REPR = 15
#: Whole digits of a Decimal the fast path takes as it is: below _MAX_AMOUNT.
_FAST_WHOLE = 13


def _as_decimal(value: object, field: str) -> Decimal:
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(field, f"must be a number, got {type(value).__name__}")
    else:
        try:
            result = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except (InvalidOperation, ValueError):
            raise ValidationError(field, f"must be a number, got {value!r}") from None
    if not result.is_finite():
        raise ValidationError(field, f"must be a finite number, got {value!r}")
    return result


def _sendable(exact: Decimal, field: str) -> Decimal:
    """Refuse what a double-based JSON reader could not see exactly."""
    if exact and (
        exact.adjusted() >= _MAX_DIGITS or len(exact.normalize().as_tuple().digits) > _MAX_DIGITS
    ):
        raise ValidationError(
            field, f"{exact} has more than {_MAX_DIGITS} digits and cannot be sent exactly"
        )
    return exact


def money(value: Decimal | int | float | str, field: str = "amount") -> Decimal:
    """Check an amount and return it as an exact :class:`~decimal.Decimal`.

    ``Decimal("22.38")``, ``"22.38"`` and ``22.38`` give ``Decimal("22.38")``;
    a third decimal (also ``0.1 + 0.2``, whose repr is ``0.30000000000000004``),
    a negative amount, NaN or more than 15 digits is a :class:`ValidationError`
    naming ``field`` -- never silently rounded.
    """
    if type(value) is float and value >= 0:
        # Fast path: a short repr with at most two decimals is already exact cents.
        text = repr(value)
        dot = text.find(".")
        if len(text) <= _FAST_REPR and "e" not in text and 0 <= dot >= len(text) - 3:
            return Decimal(text)
    elif type(value) is Decimal:
        # Fast path: digits, then at most two decimals (``49.90``) -- what the rules
        # below pass as it is -- without the quantize.
        whole, point, cents = str(value).partition(".")
        if (
            len(whole) <= _FAST_WHOLE
            and whole.isdigit()
            and (not point or (len(cents) <= 2 and cents.isdigit()))
        ):
            return value
    exact = _as_decimal(value, field)
    if exact < 0:
        raise ValidationError(field, f"must not be negative, got {exact}")
    if exact >= _MAX_AMOUNT:
        raise ValidationError(
            field, f"must be below {_MAX_AMOUNT:,} (more cannot be sent exactly), got {exact}"
        )
    if exact != exact.quantize(_CENT):
        raise ValidationError(field, f"must have at most two decimals, got {exact}")
    return exact


def rate(value: Decimal | int | float | str, field: str = "exchange_rate") -> Decimal:
    """Check a positive rate (any number of decimals) and return it exactly."""
    exact = _as_decimal(value, field)
    if exact <= 0:
        raise ValidationError(field, f"must be greater than zero, got {exact}")
    return _sendable(exact, field)


def to_decimal(value: float | int | Decimal) -> Decimal:
    """The exact decimal of an amount (``22.38`` -> ``Decimal("22.38")``).

    Model amounts already are ``Decimal``; this is for numbers from elsewhere
    (a float from your own JSON), read by their shortest repr.
    """
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError("value", f"expected a number, got {type(value).__name__}")
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


adopt(globals())

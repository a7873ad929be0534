"""The API's date format, ``dd-MM-yyyy``, for the hand-written layer.

The format itself lives in the generated package's runtime
(:mod:`komfortkasse_generated._wire`), which the models use; these wrappers
give the query parameters, the fake server and the CLI the same parsing and
rendering with this package's errors.
"""

from __future__ import annotations

import datetime

from komfortkasse_generated._wire import WIRE_DATE_FORMAT, WireError, date_at, date_out

from ._exceptions import ResponseValidationError, ValidationError

__all__ = ["WIRE_DATE_FORMAT", "date_from_wire", "date_to_wire"]


def date_to_wire(value: object, field: str) -> str:
    """Render a :class:`datetime.date` as ``dd-MM-yyyy``; a ``datetime`` or a
    string is refused (:class:`ValidationError` naming ``field``)."""
    try:
        return date_out(value)
    except WireError:
        raise ValidationError(
            field, f"must be a datetime.date, got {type(value).__name__} {value!r}"
        ) from None


def date_from_wire(value: object, field: str) -> datetime.date:
    """Parse ``dd-MM-yyyy`` from a response; anything else names the field."""
    try:
        return date_at(value)
    except WireError:
        raise ResponseValidationError(
            f"field {field!r}: expected a date in the format dd-MM-yyyy, got {value!r}",
            field=field,
        ) from None

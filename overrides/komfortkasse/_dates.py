"""The API's date format, ``dd-MM-yyyy``, in one place.

Generated models call :func:`date_from_wire` and :func:`date_to_wire` (through
the project's date template), and so do the query parameters, the fake server
and the CLI. Nothing else in the project spells the format.
"""

from __future__ import annotations

import datetime

from ._exceptions import ResponseValidationError, ValidationError

#: ``strftime``/``strptime`` pattern of the API's ``dd-MM-yyyy``.
WIRE_DATE_FORMAT = "%d-%m-%Y"


def date_to_wire(value: object, field: str) -> str:
    """Render a :class:`datetime.date` as ``dd-MM-yyyy``.

    A ``datetime.datetime`` is refused rather than silently truncated, and so
    is a string: ``"2018-04-25"`` and ``"25-04-2018"`` look alike to a human
    but only one is what the caller meant.
    """
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise ValidationError(
            field,
            f"must be a datetime.date, got {type(value).__name__} {value!r}",
        )
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def date_from_wire(value: object, field: str) -> datetime.date:
    """Parse ``dd-MM-yyyy`` from a response; anything else names the field."""
    if isinstance(value, str) and len(value) == 10 and value[2] == "-" and value[5] == "-":
        day, month, year = value[:2], value[3:5], value[6:]
        if day.isdigit() and month.isdigit() and year.isdigit():
            try:
                return datetime.date(int(year), int(month), int(day))
            except ValueError:
                pass
    raise ResponseValidationError(
        f"field {field!r}: expected a date in the format dd-MM-yyyy, got {value!r}",
        field=field,
    )

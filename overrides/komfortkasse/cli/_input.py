"""Readers for the command line's input files: orders (JSON or CSV), order
number lists, and the payment-polling cursor.

Every problem is a :class:`UsageError` naming the file and the place in it
(order index or CSV line), raised before any request is sent: a file is read
and validated whole (every problem reported at once), so an upload never
stops half-way over a typo.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from komfortkasse import (
    Address,
    KomfortkasseError,
    OrderProblem,
    OrderType,
    OrderWriteWithNumber,
    PaymentCursor,
    ValidationError,
    check_orders,
    money,
)
from komfortkasse_generated._wire import date_at, dumps

from ._errors import UsageError

__all__ = [
    "ADDRESS_FIELDS",
    "CSV_COLUMNS",
    "ORDER_TYPES",
    "OrderFile",
    "json_text",
    "parse_cli_date",
    "read_cursor",
    "read_numbers",
    "read_orders",
    "write_text",
]

#: ``-`` as a file name means standard input.
STDIN = "-"

#: Address columns of the CSV format, after the ``billing_``/``shipping_`` prefix,
#: and the model field each fills.
ADDRESS_FIELDS: dict[str, str] = {
    "last_name": "last_name",
    "first_name": "first_name",
    "company": "company",
    "street": "street",
    "post_code": "post_code",
    "city": "city",
    "country_code": "country_code",
}
#: Columns every CSV must have.
CSV_REQUIRED = ("number", "date", "type", "amount", "currency", "billing_country_code")
#: Every column the CSV format knows, in documentation order.
CSV_COLUMNS: tuple[str, ...] = (
    "number",
    "date",
    "type",
    "amount",
    "currency",
    "customer_email",
    *(f"billing_{name}" for name in ADDRESS_FIELDS),
    "due_date",
    *(f"shipping_{name}" for name in ADDRESS_FIELDS),
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_cli_date(value: str) -> datetime.date:
    """A date given on the command line: ``DD-MM-YYYY`` (the API's, read by the models'
    own parser) or ``YYYY-MM-DD``."""
    text = value.strip()
    try:
        if _ISO_DATE.fullmatch(text):
            return datetime.date.fromisoformat(text)
        return date_at(text)
    except ValueError:  # a WireError is one
        raise ValueError(f"not a date (DD-MM-YYYY or YYYY-MM-DD): {value!r}") from None


def _file_date(value: str, where: str) -> datetime.date:
    """A date in an order file: ``dd-MM-yyyy`` (the API's) or ISO ``yyyy-MM-dd``."""
    try:
        return parse_cli_date(value)
    except ValueError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _read_text(path: str) -> str:
    if path == STDIN:
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise UsageError(f"cannot read {path}: not UTF-8 text") from None


def _is_json(path: str, text: str) -> bool:
    suffix = Path(path).suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix == ".json"
    return text.lstrip()[:1] in ("[", "{")


def _load_json(path: str, text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{path}: not valid JSON: {exc}") from None


#: Order types the API accepts (the generated enum): anything else is refused here.
ORDER_TYPES = tuple(kind.value for kind in OrderType)
#: How many problems of a refused file are listed (the rest are counted).
MAX_PROBLEMS_SHOWN = 20


@dataclass
class OrderFile:
    """The orders of one input file, each with the place it came from, checked whole."""

    path: str
    orders: list[OrderWriteWithNumber]
    #: Per order: where it is in the file (``orders.csv line 3 (1001)``).
    places: list[str]
    #: Orders whose number an earlier order of the file already had.
    repeats: list[OrderProblem] = field(default_factory=list)
    #: What one order of the file is called: ``rows`` (CSV) or ``entries`` (JSON).
    unit: str = "rows"

    def repeat_notes(self) -> list[str]:
        """One line per repeated number: where it occurs, and that the last one wins."""
        seen: dict[str, list[int]] = {}
        for problem in self.repeats:
            first = problem.repeat_of if problem.repeat_of is not None else problem.index
            seen.setdefault(str(problem.number), [first]).append(problem.index)
        return [
            f"number {number} repeated: {', '.join(self._short(i) for i in indices)} "
            "(the API keeps the last one: submitting a number again updates that order)"
            for number, indices in seen.items()
        ]

    def _short(self, index: int) -> str:
        """``line 3`` (CSV) or ``order #3`` (JSON): the place without file and number."""
        place = self.places[index]
        for prefix in (f"{self.path}: ", f"{self.path} "):
            place = place.removeprefix(prefix)
        return place.split(" (", 1)[0]


def _order_type(value: object, where: str, *, any_case: bool) -> OrderType:
    """A known order type (a CSV cell in any case, JSON exactly as the API spells it);
    an unknown one is refused before anything is sent."""
    text = str(value).strip().upper() if any_case else str(value)
    if text not in ORDER_TYPES:
        raise UsageError(
            f"{where}: type: unknown order type {value!r} (one of {', '.join(ORDER_TYPES)})"
        )
    return OrderType(text)


#: A problem found while reading: (the order's position in the file, the line to show).
Problem = tuple[int, str]


def _check_all(
    path: str,
    orders: list[OrderWriteWithNumber],
    places: list[tuple[int, str]],
    problems: list[Problem],
    *,
    today: datetime.date,
    unit: str,
) -> OrderFile:
    """Every client-side rule over every order read (:func:`komfortkasse.check_orders`);
    all problems of the file, reading ones and rule ones, end in one :class:`UsageError`
    (in file order). ``places`` holds each order's position in the file and its place."""
    repeats: list[OrderProblem] = []
    for problem in check_orders(orders, today=today):
        if problem.repeat_of is not None:
            repeats.append(problem)
            continue
        position, place = places[problem.index]
        field_name = problem.field.removeprefix(f"orders[{problem.index}].")
        problems.append((position, f"{place}: {field_name}: {problem.rule}"))
    if problems:
        lines = [line for _, line in sorted(problems)]
        shown = lines[:MAX_PROBLEMS_SHOWN]
        details = [f"also: {line}" for line in shown[1:]]
        if len(lines) > len(shown):
            details.append(f"... and {len(lines) - len(shown)} more")
        if len(lines) > 1:
            details.append(f"{len(lines)} order(s) of {path} would be refused; nothing was sent")
        raise UsageError(shown[0], details=details)
    return OrderFile(path, orders, [place for _, place in places], repeats, unit)


def _orders_from_json(path: str, data: Any, today: datetime.date) -> OrderFile:
    items = data if isinstance(data, list) else [data]
    orders: list[OrderWriteWithNumber] = []
    places: list[tuple[int, str]] = []
    problems: list[Problem] = []
    for index, item in enumerate(items):
        where = f"{path}: order #{index + 1}"
        if not isinstance(item, dict):
            problems.append((index, f"{where}: expected a JSON object, got {type(item).__name__}"))
            continue
        if isinstance(item.get("number"), str):
            where += f" ({item['number']})"
        try:
            order = OrderWriteWithNumber.from_dict(item)
            order.type_ = _order_type(order.type_, where, any_case=False)
        except UsageError as exc:
            problems.append((index, str(exc)))
            continue
        except KeyError as exc:
            problems.append((index, f"{where}: missing field {exc}"))
            continue
        except KomfortkasseError as exc:  # a bad date: the model's parser names the field
            problems.append((index, f"{where}: {exc}"))
            continue
        except (TypeError, ValueError, AttributeError) as exc:
            problems.append((index, f"{where}: does not fit the order format: {exc}"))
            continue
        orders.append(order)
        places.append((index, where))
    return _check_all(path, orders, places, problems, today=today, unit="entries")


def _csv_rows(path: str, text: str) -> tuple[str, Iterator[tuple[int, dict[str, str]]]]:
    """The delimiter (``,`` or ``;``, what a German spreadsheet writes, decided by
    the header) and the ``(line number, row)`` pairs, cells stripped."""
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = [name.strip() for name in reader.fieldnames or []]
    if not columns:
        raise UsageError(f"{path}: empty CSV file (expected a header row)")
    unknown = [name for name in columns if name not in CSV_COLUMNS]
    if unknown:
        raise UsageError(f"{path}: unknown CSV column(s): {', '.join(unknown)}")
    missing = [name for name in CSV_REQUIRED if name not in columns]
    if missing:
        raise UsageError(f"{path}: missing CSV column(s): {', '.join(missing)}")
    reader.fieldnames = columns

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for row in reader:
            line = reader.line_num
            if None in row:
                raise UsageError(f"{path} line {line}: more cells than columns")
            cells = {key: (value or "").strip() for key, value in row.items()}
            if any(cells.values()):
                yield line, cells

    return delimiter, rows()


def _address(cells: dict[str, str], prefix: str) -> Address | None:
    values = {field: cells.get(prefix + column, "") for column, field in ADDRESS_FIELDS.items()}
    if not any(values.values()):
        return None
    return Address(
        country_code=values.pop("country_code"),
        **{field: value for field, value in values.items() if value},
    )


_DECIMAL_COMMA = re.compile(r"-?\d+,\d+")


def _amount(text: str, where: str, decimal_comma: bool) -> Any:
    """The ``amount`` cell: ``22.38``, or ``22,38`` where a decimal comma is expected."""
    if "," in text:
        if not decimal_comma:
            raise UsageError(
                f"{where}: amount: {text!r} has a comma; for a decimal comma use ';' as the "
                "delimiter or --decimal-comma"
            )
        if not _DECIMAL_COMMA.fullmatch(text):
            raise UsageError(
                f"{where}: amount: not a decimal number {text!r} (no thousands separators: "
                "write 1234,56)"
            )
        text = text.replace(",", ".")
    try:
        return money(text, "amount")
    except ValidationError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _order_from_row(cells: dict[str, str], where: str, decimal_comma: bool) -> OrderWriteWithNumber:
    billing = _address(cells, "billing_") or Address(country_code="")
    order = OrderWriteWithNumber(
        number=cells["number"],
        date=_file_date(cells["date"], f"{where}: date"),
        type_=_order_type(cells["type"], where, any_case=True),
        amount=_amount(cells["amount"], where, decimal_comma),
        currency=cells["currency"],
        billing=billing,
    )
    if cells.get("customer_email"):
        order.customer_email = cells["customer_email"]
    if cells.get("due_date"):
        order.due_date = _file_date(cells["due_date"], f"{where}: due_date")
    shipping = _address(cells, "shipping_")
    if shipping is not None:
        order.shipping = shipping
    return order


def _orders_from_csv(
    path: str, text: str, today: datetime.date, decimal_comma: bool | None
) -> OrderFile:
    orders: list[OrderWriteWithNumber] = []
    places: list[tuple[int, str]] = []
    problems: list[Problem] = []
    try:
        delimiter, rows = _csv_rows(path, text)
        comma = delimiter == ";" if decimal_comma is None else decimal_comma
        for line, cells in rows:
            where = f"{path} line {line}" + (f" ({cells['number']})" if cells["number"] else "")
            try:
                orders.append(_order_from_row(cells, where, comma))
            except UsageError as exc:
                problems.append((line, str(exc)))
                continue
            places.append((line, where))
    except csv.Error as exc:
        raise UsageError(f"{path}: not valid CSV: {exc}") from None
    return _check_all(path, orders, places, problems, today=today, unit="rows")


def read_orders(path: str, *, today: datetime.date, decimal_comma: bool | None = None) -> OrderFile:
    """Every order in ``path`` (JSON: one ``OrderWriteWithNumber`` object or an
    array of them; CSV: see :data:`CSV_COLUMNS`), the whole file checked as the
    library checks before sending (:func:`komfortkasse.check_orders`) before
    anything is sent: every problem is reported at once. ``.json``/``.csv``
    decide the format; otherwise (or for ``-``, standard input) the content
    does. ``decimal_comma``: amounts like ``22,38`` (default: only in CSV files
    whose delimiter is ``;``)."""
    text = _read_text(path)
    if _is_json(path, text):
        found = _orders_from_json(path, _load_json(path, text), today)
    else:
        found = _orders_from_csv(path, text, today, decimal_comma)
    if not found.orders:
        raise UsageError(f"{path}: no orders found")
    return found


def read_numbers(path: str) -> list[str]:
    """Order numbers: a JSON array, or one per line (blank lines and lines
    starting with ``#`` ignored)."""
    text = _read_text(path)
    if text.lstrip().startswith("["):
        data = _load_json(path, text)
        numbers: list[str] = []
        for index, item in enumerate(data):
            number = str(item) if isinstance(item, int) and not isinstance(item, bool) else item
            if not isinstance(number, str) or not number.strip():
                raise UsageError(f"{path}: item #{index + 1} is not an order number: {item!r}")
            numbers.append(number.strip())
        return numbers
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def read_cursor(path: Path) -> PaymentCursor | None:
    """The cursor saved by the last ``orders changes``, or ``None`` on the first run."""
    if not path.exists():
        return None
    text = _read_text(str(path))
    try:
        return PaymentCursor.from_json(text)
    except ValidationError as exc:
        raise UsageError(f"{path}: {exc}") from None


def write_text(path: Path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` whole: a temporary file next to it, then a
    rename, so an interrupted run never leaves half a cursor or order list."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {what} to {path}: {exc.strerror or exc}") from None


def json_text(value: Any) -> str:
    """Machine output: UTF-8 JSON, indented, with a final newline."""
    return dumps(value, indent=2) + "\n"

"""Readers for the command line's input files: orders (JSON or CSV), order
number lists, and the payment-polling cursor.

Every problem is a :class:`UsageError` naming the file and the place in it
(order index or CSV line), raised before any request is sent: a file is read
and validated whole, so an upload never stops half-way over a typo.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from komfortkasse import (
    Address,
    KomfortkasseError,
    OrderType,
    OrderWriteWithNumber,
    PaymentCursor,
    ValidationError,
    money,
)
from komfortkasse._dates import WIRE_DATE_FORMAT
from komfortkasse._validation import order_body
from komfortkasse_generated._wire import dumps

from ._errors import UsageError

__all__ = [
    "ADDRESS_FIELDS",
    "CSV_COLUMNS",
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

_WIRE_DATE = re.compile(r"\d{2}-\d{2}-\d{4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_cli_date(value: str) -> datetime.date:
    """A date given on the command line: ``DD-MM-YYYY`` (the API's) or ``YYYY-MM-DD``."""
    text = value.strip()
    try:
        if _WIRE_DATE.fullmatch(text):
            return datetime.datetime.strptime(text, WIRE_DATE_FORMAT).date()
        if _ISO_DATE.fullmatch(text):
            return datetime.date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"not a date (DD-MM-YYYY or YYYY-MM-DD): {value!r}")


def _wire_date(value: str, where: str) -> datetime.date:
    """A CSV date: strictly ``dd-MM-yyyy``, like the API's JSON."""
    try:
        if _WIRE_DATE.fullmatch(value):
            return datetime.datetime.strptime(value, WIRE_DATE_FORMAT).date()
    except ValueError:
        pass
    raise UsageError(f"{where}: not a date in the format dd-MM-yyyy: {value!r}")


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


def _validated(order: OrderWriteWithNumber, where: str, today: datetime.date) -> None:
    """The library's own pre-send checks (address rule, amount, dates), run now
    so that a bad order stops the command before anything is sent."""
    try:
        order_body(order, today=today, with_number=True)
    except ValidationError as exc:
        raise UsageError(f"{where}: {exc}") from None


def _orders_from_json(path: str, data: Any, today: datetime.date) -> list[OrderWriteWithNumber]:
    items = data if isinstance(data, list) else [data]
    orders: list[OrderWriteWithNumber] = []
    for index, item in enumerate(items):
        where = f"{path}: order #{index + 1}"
        if not isinstance(item, dict):
            raise UsageError(f"{where}: expected a JSON object, got {type(item).__name__}")
        if isinstance(item.get("number"), str):
            where += f" ({item['number']})"
        try:
            order = OrderWriteWithNumber.from_dict(item)
        except KeyError as exc:
            raise UsageError(f"{where}: missing field {exc}") from None
        except KomfortkasseError as exc:  # a bad date: the model's parser names the field
            raise UsageError(f"{where}: {exc}") from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise UsageError(f"{where}: does not fit the order format: {exc}") from None
        _validated(order, where, today)
        orders.append(order)
    return orders


def _csv_rows(path: str, text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line number, row)`` with cells stripped; the delimiter is ``,`` or
    ``;`` (what a German spreadsheet writes), decided by the header."""
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
    for row in reader:
        line = reader.line_num
        if None in row:
            raise UsageError(f"{path} line {line}: more cells than columns")
        cells = {key: (value or "").strip() for key, value in row.items()}
        if any(cells.values()):
            yield line, cells


def _address(cells: dict[str, str], prefix: str) -> Address | None:
    values = {field: cells.get(prefix + column, "") for column, field in ADDRESS_FIELDS.items()}
    if not any(values.values()):
        return None
    return Address(
        country_code=values.pop("country_code"),
        **{field: value for field, value in values.items() if value},
    )


def _order_type(value: str) -> OrderType | str:
    """A known type as the enum; an unknown one passes as text (the API decides)."""
    try:
        return OrderType(value.upper())
    except ValueError:
        return value


def _order_from_row(cells: dict[str, str], where: str) -> OrderWriteWithNumber:
    try:
        amount = money(cells["amount"], "amount")
    except ValidationError as exc:
        raise UsageError(f"{where}: {exc}") from None
    billing = _address(cells, "billing_") or Address(country_code="")
    order = OrderWriteWithNumber(
        number=cells["number"],
        date=_wire_date(cells["date"], f"{where}: date"),
        type_=_order_type(cells["type"]),
        amount=amount,
        currency=cells["currency"],
        billing=billing,
    )
    if cells.get("customer_email"):
        order.customer_email = cells["customer_email"]
    if cells.get("due_date"):
        order.due_date = _wire_date(cells["due_date"], f"{where}: due_date")
    shipping = _address(cells, "shipping_")
    if shipping is not None:
        order.shipping = shipping
    return order


def _orders_from_csv(path: str, text: str, today: datetime.date) -> list[OrderWriteWithNumber]:
    orders: list[OrderWriteWithNumber] = []
    try:
        for line, cells in _csv_rows(path, text):
            where = f"{path} line {line}" + (f" ({cells['number']})" if cells["number"] else "")
            order = _order_from_row(cells, where)
            _validated(order, where, today)
            orders.append(order)
    except csv.Error as exc:
        raise UsageError(f"{path}: not valid CSV: {exc}") from None
    return orders


def read_orders(path: str, *, today: datetime.date) -> list[OrderWriteWithNumber]:
    """Every order in ``path`` (JSON: one ``OrderWriteWithNumber`` object or an
    array of them; CSV: see :data:`CSV_COLUMNS`), each checked as the library
    would check it before sending. ``.json``/``.csv`` decide the format;
    otherwise (or for ``-``, standard input) the content does."""
    text = _read_text(path)
    if _is_json(path, text):
        orders = _orders_from_json(path, _load_json(path, text), today)
    else:
        orders = _orders_from_csv(path, text, today)
    if not orders:
        raise UsageError(f"{path}: no orders found")
    return orders


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

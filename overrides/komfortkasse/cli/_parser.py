"""The argument parser: every command, option and help text.

Parsing errors raise :class:`UsageError` (exit code 2, one ``error:`` line)
instead of argparse's usage dump and ``sys.exit``.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from komfortkasse import ImageType, PaymentStatus

from . import _commands as commands
from ._errors import EXIT_CODES, UsageError
from ._input import CSV_COLUMNS, CSV_REQUIRED, ORDER_TYPES, parse_cli_date

__all__ = ["build_parser"]

PROG = "komfortkasse"

DESCRIPTION = """\
Command line for the Komfortkasse API v2: submit and inspect web-shop orders,
change their payment status, sync open orders, read bank postings.

The API key is read only from the environment variable KOMFORTKASSE_API_KEY
(find it in the Komfortkasse merchant area); there is no option for it, so it
never shows up in your shell history or the process list."""


def _wrapped(names: Sequence[str]) -> str:
    return textwrap.fill(
        ", ".join(names), width=76, initial_indent="    ", subsequent_indent="    "
    )


CSV_HELP = f"""\
FILE is JSON or CSV ('-' reads standard input; a .json or .csv suffix decides,
otherwise the content does).

JSON: one order object or an array of them, exactly the API's
OrderWriteWithNumber (camelCase fields, dates as dd-MM-yyyy), e.g.
  [{{"number": "1001", "date": "25-04-2018", "type": "INVOICE", "amount": 22.38,
    "currency": "EUR", "billing": {{"lastName": "Mustermann", "countryCode": "DE"}}}}]

CSV: a header row, then one order per row; delimiter ',' or ';'; UTF-8.
  required columns:
{_wrapped(CSV_REQUIRED)}
  optional columns:
{_wrapped([c for c in CSV_COLUMNS if c not in CSV_REQUIRED])}
  dates (date, due_date) as dd-MM-yyyy or yyyy-MM-dd; amount as a decimal with
  at most two places (22.38; 22,38 when the delimiter is ';' or with
  --decimal-comma; no thousands separators); type is one of
  {", ".join(ORDER_TYPES)} (any case).
  An address (billing_*, shipping_*) needs last_name or company, and a
  2-letter country_code. Empty cells are left out; shipping is sent only if
  a shipping_* cell is filled.

The whole file is checked before the first order is sent: every problem is
reported (file line or order #), and nothing is sent if there is one. A number
that occurs twice is reported (the API keeps the last one). Orders go out in
chunks of 100; if a chunk is refused or you press Ctrl-C, what was accepted
and what was not sent is reported, and --rest-file saves the not-sent orders
to submit them again."""


def _exit_code_epilog() -> str:
    from komfortkasse.testing._protocol import TOKEN_ENV

    lines = [
        "input files:",
        "  'komfortkasse orders submit --help' describes the JSON and CSV order",
        "  files: every CSV column, date and amount formats.",
        "",
        "environment:",
        "  KOMFORTKASSE_API_KEY     the API key (required for every API command)",
        "  KOMFORTKASSE_BASE_URL    API base URL (default: production)",
        f"  {TOKEN_ENV:<24} control token of a fake-server (for 'fake ...')",
    ]
    lines += ["", "exit codes:"]
    for row in EXIT_CODES:
        lines += textwrap.wrap(
            row.meaning, width=78, initial_indent=f"  {row.code:<5}", subsequent_indent=" " * 7
        )
    lines += [
        "  A bulk submit that stopped exits with the code of the error that",
        "  stopped it (1 when the API refused a chunk); Ctrl-C during one exits",
        "  130 after saying how many orders were accepted (--rest-file keeps the rest).",
    ]
    return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line and an exception."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def _port(text: str) -> int:
    value = _count(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds, got {text}")
    return value


def _date(text: str) -> object:
    try:
        return parse_cli_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


#: The payment statuses ``--status`` accepts: the generated enum's values.
STATUSES = tuple(status.value for status in PaymentStatus)


def _statuses(text: str) -> list[str]:
    names = [name.strip().upper() for name in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"empty status in {text!r}")
    unknown = [name for name in names if name not in STATUSES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown payment status {', '.join(unknown)} (choose from {', '.join(STATUSES)})"
        )
    return names


def _includes(text: str) -> list[str]:
    names = [name.strip().lower() for name in text.split(",")]
    unknown = [name for name in names if name not in commands.INCLUDES]
    if unknown:
        known = ", ".join(commands.INCLUDES)
        raise argparse.ArgumentTypeError(f"unknown {', '.join(unknown)!r} (choose from {known})")
    return names


def _count_or_fraction(text: str) -> int | float:
    """``5`` (orders), ``0.1`` or ``10%`` (of the open orders)."""
    value = text.strip()
    try:
        if value.endswith("%"):
            fraction = float(value[:-1]) / 100
        elif "." in value:
            fraction = float(value)
        else:
            return _count(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count or fraction: {text!r}") from None
    if not 0.0 <= fraction <= 1.0:
        raise argparse.ArgumentTypeError(f"a fraction must be between 0 and 1, got {text}")
    return fraction


def _global_options(parser: argparse.ArgumentParser, *, top: bool) -> None:
    """``--base-url``, ``--json``, ``--timeout``, ``--retries``: on the top-level
    parser with their defaults, and on every command too (``orders get X --json``),
    where an option not given leaves the top-level value alone."""
    keep: dict[str, Any] = {} if top else {"default": argparse.SUPPRESS}
    options = parser.add_argument_group("global options") if not top else parser
    options.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (default: $KOMFORTKASSE_BASE_URL, else production)",
        **keep,
    )
    options.add_argument(
        "--json",
        action="store_true",
        help="machine output: JSON on stdout (API field names, dates dd-MM-yyyy), no tables; "
        'errors too, as {"error": {...}}',
        **keep,
    )
    options.add_argument(
        "--timeout",
        type=_seconds,
        metavar="SECONDS",
        help="per-request timeout (default: 30)",
        **keep,
    )
    options.add_argument(
        "--retries",
        type=_count,
        metavar="N",
        help="retry transient failures up to N times (default: 4; 0 = never)",
        **keep,
    )


def _command(
    group: argparse._SubParsersAction[_Parser],
    name: str,
    summary: str,
    handler: commands.Handler,
    description: str | None = None,
) -> _Parser:
    parser = group.add_parser(
        name,
        help=summary,
        description=description or summary,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(handler=handler)
    _global_options(parser, top=False)
    return parser


def _group(parent: _Parser, title: str) -> argparse._SubParsersAction[_Parser]:
    _global_options(parent, top=False)
    return parent.add_subparsers(title=title, metavar="COMMAND", dest="command", required=True)


def _add_orders(top: argparse._SubParsersAction[_Parser]) -> None:
    orders = top.add_parser(
        "orders",
        help="create, inspect and change orders",
        description="Create, inspect and change orders.",
    )
    group = _group(orders, "order commands")

    get = _command(group, "get", "show one order and its payment status", commands.orders_get)
    get.add_argument("number", metavar="NUMBER", help="the shop's order number")
    get.add_argument(
        "--include",
        type=_includes,
        action="extend",
        default=[],
        metavar="WHAT",
        help="also show these, comma-separated or repeated: " + ", ".join(commands.INCLUDES),
    )

    listing = _command(group, "list", "list orders, filtered", commands.orders_list)
    listing.add_argument(
        "--max-age",
        type=_positive_int,
        metavar="DAYS",
        help="orders of the last DAYS days (API default: 120)",
    )
    listing.add_argument(
        "--status",
        type=_statuses,
        action="extend",
        metavar="STATUS",
        help="only these payment statuses, comma-separated or repeated ("
        + ", ".join(STATUSES)
        + "); checked before anything is sent",
    )
    listing.add_argument(
        "--min-posting-date",
        type=_date,
        metavar="DATE",
        help="only orders with a posting on or after DATE (DD-MM-YYYY or YYYY-MM-DD)",
    )

    submit = _command(
        group,
        "submit",
        "create or update the orders in a JSON or CSV file",
        commands.orders_submit,
        description="Create or update the orders in a JSON or CSV file.\n\n" + CSV_HELP,
    )
    submit.add_argument("file", metavar="FILE", help="the orders (JSON or CSV, see above)")
    submit.add_argument(
        "--rest-file",
        type=Path,
        metavar="PATH",
        help="if the upload stops (refused chunk, Ctrl-C), write the orders not sent there "
        "(a JSON array to submit again)",
    )
    submit.add_argument(
        "--table",
        action="store_true",
        help="also show every accepted order as a table (default: a summary line with counts)",
    )
    submit.add_argument(
        "--decimal-comma",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="CSV amounts use a decimal comma (22,38); default: yes when the delimiter is ';'",
    )

    changes = (
        ("set-paid", "mark an order paid manually", commands.orders_set_paid),
        ("set-unpaid", "revert a manual set-paid", commands.orders_set_unpaid),
        ("cancel", "record that an order was cancelled (CANCELLED)", commands.orders_cancel),
        (
            "remove",
            "record that an order vanished from the shop (DISAPPEARED)",
            commands.orders_remove,
        ),
    )
    for name, summary, handler in changes:
        parser = _command(group, name, summary, handler)
        parser.add_argument("number", metavar="NUMBER", help="the shop's order number")

    sync = _command(
        group,
        "sync",
        "send the complete list of open orders; the others become LEGACY",
        commands.orders_sync,
        description=(
            "Send the complete list of the shop's open order numbers (ordersync).\n"
            "Every open order in Komfortkasse that is NOT listed is marked LEGACY.\n"
            "Try --dry-run first: it shows which orders that would be, sending nothing."
        ),
    )
    sync.add_argument(
        "file",
        metavar="FILE",
        help="order numbers, one per line (blank lines and # comments ignored) or a JSON array; "
        "'-' reads standard input",
    )
    sync.add_argument(
        "--dry-run", action="store_true", help="only show which orders would be marked LEGACY"
    )
    sync.add_argument(
        "--max-legacy",
        type=_count_or_fraction,
        metavar="N",
        help="refuse (exit 1, nothing sent) if more than N orders would become LEGACY; "
        "N is a count (5) or a fraction of the open orders (0.1 or 10%%)",
    )
    sync.add_argument(
        "--allow-empty",
        action="store_true",
        help="allow an empty list (marks every open order LEGACY)",
    )

    polled = _command(
        group,
        "changes",
        "orders whose payment status changed since the last run",
        commands.orders_changes,
        description=(
            "Orders whose payment status changed since the last run.\n"
            "The cursor file remembers each order's status between runs; on the\n"
            "first run (no file yet) every order that is not UNPAID counts as changed."
        ),
    )
    polled.add_argument(
        "--cursor-file",
        type=Path,
        metavar="PATH",
        help="read the cursor from PATH if it exists, and write the new one there",
    )
    polled.add_argument(
        "--max-age",
        type=_positive_int,
        metavar="DAYS",
        help="window of orders to watch (default 120)",
    )


def _posting_filters(parser: _Parser) -> None:
    parser.add_argument(
        "--created-min",
        type=_date,
        metavar="DATE",
        help="created on or after DATE (DD-MM-YYYY or YYYY-MM-DD)",
    )
    parser.add_argument(
        "--created-max", type=_date, metavar="DATE", help="created before DATE (exclusive)"
    )
    parser.add_argument("--iban", metavar="IBAN", help="only postings to this account")


def _add_postings(top: argparse._SubParsersAction[_Parser]) -> None:
    postings = top.add_parser(
        "postings",
        help="bank postings (incoming payments)",
        description="Bank postings (incoming payments).",
    )
    group = _group(postings, "posting commands")
    listing = _command(group, "list", "list bank postings", commands.postings_list)
    _posting_filters(listing)
    listing.add_argument(
        "--with-orders", action="store_true", help="show the orders each posting was assigned to"
    )
    reconcile = _command(
        group,
        "reconcile",
        "postings with their orders, then postings matching no order",
        commands.postings_reconcile,
    )
    _posting_filters(reconcile)


def _add_image_and_invoice(top: argparse._SubParsersAction[_Parser]) -> None:
    image = top.add_parser(
        "image", help="QR codes and payment slips", description="QR codes and payment slips."
    )
    group = _group(image, "image commands")
    save = _command(
        group, "save", "save an order's QR code or payment slip as PNG", commands.image_save
    )
    save.add_argument("number", metavar="NUMBER", help="the shop's order number")
    save.add_argument("path", type=Path, metavar="PATH", help="the PNG file to write")
    kinds = [kind.value for kind in ImageType]
    save.add_argument(
        "--type",
        type=str.upper,
        choices=kinds,
        default=ImageType.QRCODE.value,
        help="which image (default: QRCODE)",
    )

    invoice = top.add_parser("invoice", help="invoice files", description="Invoice files.")
    group = _group(invoice, "invoice commands")
    upload = _command(
        group, "upload", "upload an invoice file for an order", commands.invoice_upload
    )
    upload.add_argument("number", metavar="NUMBER", help="the shop's order number")
    upload.add_argument("invoice_number", metavar="INVOICE_NUMBER", help="the invoice's number")
    upload.add_argument("file", type=Path, metavar="FILE", help="the invoice (PDF or other file)")
    upload.add_argument(
        "--filename", metavar="NAME", help="file name to send (default: FILE's name)"
    )


def _add_fake_server(top: argparse._SubParsersAction[_Parser]) -> None:
    fake = _command(
        top,
        "fake-server",
        "run a fake Komfortkasse on 127.0.0.1 for trying things out",
        commands.fake_server,
        description=(
            "Run a fake Komfortkasse API (komfortkasse.testing) on 127.0.0.1 until Ctrl-C.\n"
            "Prints its URL, its own API key (made up, or --api-key), and the URL and\n"
            "token of its control endpoints; point the command line at it with\n"
            "--base-url URL and KOMFORTKASSE_API_KEY=that key, drive it with\n"
            "'komfortkasse fake ...' (or HTTP from any language, see the README).\n"
            "Needs: pip install 'komfortkasse[testing]'."
        ),
    )
    fake.add_argument("--port", type=_port, default=0, help="port (default: any free port)")
    fake.add_argument("--api-key", metavar="KEY", help="the fake's API key (default: random)")
    fake.add_argument(
        "--today",
        type=_date,
        metavar="DATE",
        help="first day of the fake clock, YYYY-MM-DD or DD-MM-YYYY (default: today)",
    )
    fake.add_argument(
        "--control-token",
        metavar="TOKEN",
        help="token the control endpoints require (default: random, printed at start)",
    )


def _fault_kinds() -> str:
    """The fault kinds, from the fake's own table when it can be imported."""
    try:
        from komfortkasse.testing._faults import FaultKind
    except ImportError:  # pragma: no cover - the package ships with the client
        return "see the README"
    return ", ".join(kind.value for kind in FaultKind)


def _add_fake_controls(top: argparse._SubParsersAction[_Parser]) -> None:
    from komfortkasse.testing._protocol import TOKEN_ENV

    fake = top.add_parser(
        "fake",
        help="drive a running fake-server: payments, clock, locks, faults",
        description=(
            "Drive a running fake Komfortkasse (komfortkasse fake-server, python -m\n"
            "komfortkasse.testing) through its HTTP control endpoints: for test\n"
            "suites in any language. Talks only to 127.0.0.1/localhost."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    group = _group(fake, "fake commands")

    def control(name: str, summary: str) -> _Parser:
        parser = _command(group, name, summary, commands.fake_control)
        parser.set_defaults(fake_command=name)
        parser.add_argument(
            "--url",
            metavar="URL",
            help="the fake's URL as printed at start (default: $KOMFORTKASSE_BASE_URL)",
        )
        parser.add_argument(
            "--token",
            metavar="TOKEN",
            help=f"the control token printed at start (default: ${TOKEN_ENV})",
        )
        return parser

    pay = control("pay", "a bank posting arrives for an order (PAID or PAID_PARTIAL)")
    pay.add_argument("number", metavar="NUMBER", help="the order number")
    pay.add_argument("amount", metavar="AMOUNT", help="the amount paid, e.g. 22.38")
    pay.add_argument("--reference", help="the posting's reference (default: the order's)")
    pay.add_argument("--payer-iban", metavar="IBAN", help="the payer's IBAN (known for refunds)")

    advance = control("advance", "move the fake clock forward (reminders, cancellations...)")
    advance.add_argument("days", type=_count, metavar="DAYS", help="days forward")
    advance.add_argument("--minutes", type=_count, default=0, help="and minutes forward")
    control("today", "show the fake clock")

    lock = control("lock", 'the next writes to an order answer "Could not acquire lock"')
    lock.add_argument("number", metavar="NUMBER", help="the order number")
    lock.add_argument("--times", type=_positive_int, default=1, help="how many writes (1)")

    fault = control("fault", "the next requests get a fault instead of the normal answer")
    fault.add_argument("kind", metavar="KIND", help=f"one of {_fault_kinds()}")
    fault.add_argument("--times", type=_positive_int, default=1, help="how many requests (1)")
    fault.add_argument("--path-contains", metavar="TEXT", help="only requests whose path has TEXT")
    fault.add_argument(
        "--delay", type=float, default=0.0, metavar="SECONDS", help="for the delay fault"
    )

    control("requests", "the API requests the fake received (key redacted)")
    callback = control("callback", "POST every payment status change to a URL")
    callback.add_argument("callback_url", metavar="CALLBACK_URL", help="your endpoint")
    callback.add_argument("access_code", metavar="ACCESS_CODE", help="the access code it checks")
    details = control("bank-details", "the customer gives bank details (refunds can run)")
    details.add_argument("number", metavar="NUMBER", help="the order number")
    details.add_argument("iban", metavar="IBAN", nargs="?", help="the IBAN (default: a test IBAN)")
    control("reset", "back to the start: no orders, first day, empty logs")


def build_parser() -> argparse.ArgumentParser:
    """The ``komfortkasse`` parser; ``args.handler`` is the chosen command."""
    parser = _Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=_exit_code_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _global_options(parser, top=True)
    top = parser.add_subparsers(title="commands", metavar="COMMAND", dest="group", required=True)
    _add_orders(top)
    _add_postings(top)
    _add_image_and_invoice(top)
    _add_fake_server(top)
    _add_fake_controls(top)
    return parser

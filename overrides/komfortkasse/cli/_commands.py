"""One function per command: read the arguments, call the client, render.

Each handler takes the parsed arguments and a :class:`Context` and returns an
exit code; errors are raised and mapped to exit codes by
:func:`komfortkasse.cli.main` through :mod:`._errors`. Input files are read
and checked before the client is built, so a bad file never costs a request.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from komfortkasse import (
    BulkSubmitError,
    ConfigurationError,
    ImageType,
    Komfortkasse,
    OrderRead,
    OrderWriteWithNumber,
    RetryPolicy,
)
from komfortkasse._secret import API_KEY_ENV
from komfortkasse._workflows import legacy_limit

from ._errors import INTERRUPTED, OK, UsageError, describe, error_json, exit_code_for
from ._input import OrderFile, json_text, read_cursor, read_numbers, read_orders, write_text
from ._render import Output

__all__ = ["Context", "Handler"]


class Context:
    """What every command needs: the output, and a client built on first use
    (so commands that fail on their input never touch the API key)."""

    def __init__(self, args: argparse.Namespace, output: Output) -> None:
        self.args = args
        self.output = output
        self._client: Komfortkasse | None = None

    def client(self) -> Komfortkasse:
        """The client for ``--base-url``/``--timeout``; the key comes from the environment."""
        if self._client is None:
            if not os.environ.get(API_KEY_ENV, "").strip():
                raise ConfigurationError(
                    f"no API key: set the environment variable {API_KEY_ENV} "
                    "(find the key in the Komfortkasse merchant area)"
                )
            options: dict[str, Any] = {"base_url": self.args.base_url}
            if self.args.timeout is not None:
                options["timeout"] = self.args.timeout
            if self.args.retries is not None:
                options["retry"] = RetryPolicy(max_attempts=self.args.retries + 1)
            self._client = Komfortkasse(**options)
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


Handler = Callable[[argparse.Namespace, Context], int]

#: ``--include`` names and the ``orders.get`` flags they set.
INCLUDES = {
    "postings": "include_postings",
    "refunds": "include_refunds",
    "reminders": "include_payment_reminders",
    "collection": "include_collection_history",
}


# -- orders ------------------------------------------------------------------------------


def orders_get(args: argparse.Namespace, ctx: Context) -> int:
    """``orders get``: one order, with what ``--include`` asks for."""
    flags = {INCLUDES[name]: True for name in args.include}
    ctx.output.order_detail(ctx.client().orders.get(args.number, **flags))
    return OK


def orders_list(args: argparse.Namespace, ctx: Context) -> int:
    """``orders list``: orders filtered by age, status and last posting date."""
    orders = ctx.client().orders.list(
        max_age=args.max_age,
        payment_status=args.status or None,
        min_posting_date=args.min_posting_date,
    )
    ctx.output.orders(orders)
    if not ctx.output.json_mode:
        ctx.output.message(f"{len(orders)} order(s)")
    return OK


def orders_submit(args: argparse.Namespace, ctx: Context) -> int:
    """``orders submit``: create or update every order in a JSON or CSV file.

    The whole file is read and checked first (nothing is sent if any order would be
    refused); then the orders go out in chunks. Ctrl-C stops between chunks' answers
    and says (and with ``--rest-file`` saves) what was not confirmed."""
    found = read_orders(args.file, today=datetime.date.today(), decimal_comma=args.decimal_comma)
    for note in found.repeat_notes():
        ctx.output.message(f"warning: {note}")
    orders = found.orders
    client = ctx.client()
    done = 0
    accepted: list[OrderRead] = []
    try:
        with ctx.output.progress(len(orders), "submitting orders") as on_progress:

            def track(count: int, total: int | None) -> None:
                nonlocal done
                done = count
                on_progress(count, total)

            accepted.extend(client.orders.submit_iter(orders, on_progress=track))
    except BulkSubmitError as error:
        return _report_bulk_failure(
            error.after(accepted), args.rest_file, ctx.output, table=args.table
        )
    except KeyboardInterrupt:
        return _report_interrupt(orders, done, args.rest_file, ctx.output)
    if ctx.output.json_mode:
        ctx.output.orders(accepted)
        return OK
    if args.table:
        ctx.output.orders(accepted)
    ctx.output.result(_submit_summary(found, accepted))
    return OK


def _submit_summary(found: OrderFile, accepted: list[OrderRead]) -> str:
    """``300 orders submitted (290 UNPAID, 10 PAID)``, or with repeated numbers
    ``3 rows, 2 orders submitted (2 UNPAID): number 1001 repeated``."""
    unique = {read.number: read for read in accepted}  # a repeated number: the last answer
    counts = collections.Counter(str(read.payment_status) for read in unique.values())
    by_status = ", ".join(f"{count} {status}" for status, count in counts.most_common())
    rows = len(found.orders)
    if not found.repeats:
        return f"{rows} order(s) submitted ({by_status})"
    numbers = list(dict.fromkeys(str(problem.number) for problem in found.repeats))
    named = ", ".join(numbers[:3]) + (f" and {len(numbers) - 3} more" if len(numbers) > 3 else "")
    which = "number" if len(numbers) == 1 else "numbers"
    summary = f"{rows} {found.unit}, {len(unique)} order(s) submitted ({by_status})"
    return f"{summary}: {which} {named} repeated"


def _report_interrupt(
    orders: list[OrderWriteWithNumber], done: int, rest_file: Path | None, output: Output
) -> int:
    """Ctrl-C during a bulk submit: how many were accepted, and the rest kept for a resume."""
    rest = orders[done:]
    if rest_file is not None:
        write_text(rest_file, json_text([order.to_dict() for order in rest]), "the rest")
    if output.json_mode:
        output.json(
            {
                "error": {"message": "interrupted", "exitCode": INTERRUPTED},
                "acceptedCount": done,
                "notConfirmed": len(rest),
                "restFile": None if rest_file is None else str(rest_file),
            }
        )
    output.error(f"interrupted: {done} of {len(orders)} order(s) were already accepted")
    output.message(
        f"not confirmed: {len(rest)} order(s) (the chunk in flight may have arrived: "
        "sending it again is harmless, it is an update)"
    )
    if rest_file is not None:
        output.message(
            f"wrote them to {rest_file}; resume with: komfortkasse orders submit {rest_file}"
        )
    elif rest:
        output.message("to keep them for a resume, run with --rest-file PATH")
    return INTERRUPTED


def _report_bulk_failure(
    error: BulkSubmitError, rest_file: Path | None, output: Output, *, table: bool = False
) -> int:
    """Say exactly what happened to every order, and keep the rest for a resume
    (``table``: the accepted orders as a table too)."""
    rest: list[OrderWriteWithNumber] = [
        order for order in error.not_sent() if isinstance(order, OrderWriteWithNumber)
    ]
    if rest_file is not None:
        write_text(rest_file, json_text([order.to_dict() for order in rest]), "the rest")
    code = exit_code_for(error)
    code = 1 if code is None else code
    if output.json_mode:
        output.json(
            {
                "error": error_json(error.error, code),  # what stopped it
                "accepted": [order.to_dict() for order in error.accepted],
                "failures": [
                    {
                        "firstIndex": failure.first_index,
                        "numbers": [_number(order) for order in failure.orders],
                        "error": describe(failure.error),
                    }
                    for failure in error.failures
                ],
                "notSent": len(rest),
                "restFile": None if rest_file is None else str(rest_file),
            }
        )
    elif error.accepted and table:
        output.orders(error.accepted, title="accepted")
    # The library's own message counts orders from 0; every line here counts
    # from 1, as a person reading the input file would.
    first = error.failures[0]
    output.error(
        f"bulk submit stopped at {_span(first.first_index, first.orders)}: {describe(first.error)}"
    )
    output.message(f"accepted: {len(error.accepted)} order(s)")
    for failure in error.failures[1:]:  # only the async client reports more than one
        output.message(
            f"also failed: {_span(failure.first_index, failure.orders)}: {describe(failure.error)}"
        )
    output.message(f"not sent: {len(rest)} order(s), the failed chunk included")
    if rest_file is not None:
        output.message(
            f"wrote them to {rest_file}; resume with: komfortkasse orders submit {rest_file}"
        )
    elif rest:
        output.message(
            "to resume: run again with --rest-file PATH to save the orders not sent, then "
            "submit PATH (sending an accepted order again is harmless: it is an update)"
        )
    return code


def _span(first_index: int, orders: list[Any]) -> str:
    """``orders #101-#200 (3100 … 3199)``: 1-based positions in the input, and numbers."""
    first, last = first_index + 1, first_index + len(orders)
    if first == last:
        return f"order #{first} ({_number(orders[0])})"
    return f"orders #{first}-#{last} ({_number(orders[0])} … {_number(orders[-1])})"


def _number(order: object) -> str:
    return str(getattr(order, "number", "?"))


def _status_change(operation: str) -> Handler:
    def handler(args: argparse.Namespace, ctx: Context) -> int:
        orders = ctx.client().orders
        change: Callable[[str], OrderRead] = getattr(orders, operation)
        ctx.output.order_detail(change(args.number))
        return OK

    handler.__doc__ = f"``orders``: {operation.replace('_', '-')} one order."
    return handler


orders_set_paid = _status_change("set_paid")
orders_set_unpaid = _status_change("set_unpaid")
orders_cancel = _status_change("cancel")
orders_remove = _status_change("remove")


def orders_sync(args: argparse.Namespace, ctx: Context) -> int:
    """``orders sync``: send the complete list of open orders (or preview it)."""
    numbers = read_numbers(args.file)
    if args.dry_run:
        return _sync_preview(numbers, args.max_legacy, ctx)
    count = ctx.client().orders.sync(
        numbers, allow_empty=args.allow_empty, max_legacy=args.max_legacy
    )
    if ctx.output.json_mode:
        ctx.output.json({"legacy": count})
    else:
        ctx.output.result(f"{count} order(s) marked LEGACY")
    return OK


def _sync_preview(numbers: list[str], max_legacy: int | float | None, ctx: Context) -> int:
    """``orders sync --dry-run``: which orders would go LEGACY; sends nothing."""
    preview = ctx.client().orders.preview_sync(numbers)
    legacy = preview.would_be_legacy
    limit = None if max_legacy is None else legacy_limit(max_legacy, preview.open_orders)
    output = ctx.output
    if output.json_mode:
        report: dict[str, Any] = {
            "openOrders": preview.open_orders,
            "wouldBeLegacy": legacy,
            "unknown": preview.unknown,
        }
        if limit is not None:
            report["maxLegacy"] = limit
            report["wouldBeRefused"] = len(legacy) > limit
        output.json(report)
        return OK
    output.result(
        f"dry run: {len(legacy)} of {preview.open_orders} open order(s) would be marked "
        f"LEGACY{':' if legacy else ''}"
    )
    for number in legacy:
        output.result(f"  {number}")
    if preview.unknown:
        output.message(
            f"{len(preview.unknown)} listed number(s) are not open orders "
            f"(the API ignores them): {', '.join(preview.unknown)}"
        )
    if limit is not None:
        verdict = "refuse to send" if len(legacy) > limit else "send"
        output.message(f"with --max-legacy (at most {limit}) the real run would {verdict}")
    output.message("nothing was sent (--dry-run)")
    return OK


def orders_changes(args: argparse.Namespace, ctx: Context) -> int:
    """``orders changes``: orders whose payment status changed since the last run."""
    cursor = read_cursor(args.cursor_file) if args.cursor_file is not None else None
    changes = ctx.client().orders.changes_since(cursor, max_age=args.max_age)
    ctx.output.orders(changes.orders)
    if args.cursor_file is not None:
        write_text(args.cursor_file, changes.cursor.to_json() + "\n", "the cursor")
    if not ctx.output.json_mode:
        ctx.output.message(f"{len(changes.orders)} order(s) changed")
    if args.cursor_file is None:
        ctx.output.message("no --cursor-file: this poll is not remembered for the next one")
    return OK


# -- postings ----------------------------------------------------------------------------


def postings_list(args: argparse.Namespace, ctx: Context) -> int:
    """``postings list``: bank postings in a date range, optionally for one IBAN."""
    postings = ctx.client().postings.list(
        created_min=args.created_min,
        created_max=args.created_max,
        iban=args.iban,
        include_orders=args.with_orders,
    )
    ctx.output.postings(postings, with_orders=args.with_orders)
    return OK


def postings_reconcile(args: argparse.Namespace, ctx: Context) -> int:
    """``postings reconcile``: postings with their orders, then those matching none."""
    result = ctx.client().postings.reconcile(
        created_min=args.created_min, created_max=args.created_max, iban=args.iban
    )
    ctx.output.reconciliation(result)
    return OK


# -- image, invoice ----------------------------------------------------------------------


def image_save(args: argparse.Namespace, ctx: Context) -> int:
    """``image save``: write an order's QR code or payment slip as a PNG file."""
    png = ctx.client().images.get_png(args.number, ImageType(args.type))
    target: Path = args.path
    try:
        target.write_bytes(png)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    if ctx.output.json_mode:
        ctx.output.json({"path": str(target), "type": args.type, "bytes": len(png)})
    else:
        ctx.output.result(
            f"saved {args.type} of order {args.number} to {target} ({len(png)} bytes)"
        )
    return OK


def invoice_upload(args: argparse.Namespace, ctx: Context) -> int:
    """``invoice upload``: attach an invoice file to an order."""
    path: Path = args.file
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    filename = args.filename or path.name
    ctx.client().orders.upload_invoice(args.number, args.invoice_number, content, filename=filename)
    if ctx.output.json_mode:
        ctx.output.json(
            {
                "number": args.number,
                "invoiceNumber": args.invoice_number,
                "filename": filename,
                "bytes": len(content),
            }
        )
    else:
        ctx.output.result(
            f"uploaded invoice {args.invoice_number} ({filename}, {len(content)} bytes) "
            f"for order {args.number}"
        )
    return OK


# -- fake server -------------------------------------------------------------------------


def wait_for_interrupt() -> None:
    """Block until Ctrl-C (``KeyboardInterrupt``) or, in the main thread, SIGTERM."""
    stop = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        stop.wait()
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    try:
        stop.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


def fake_server(args: argparse.Namespace, ctx: Context) -> int:
    """``fake-server``: run the fake Komfortkasse in the foreground until Ctrl-C."""
    try:
        from komfortkasse.testing import FakeKomfortkasse
        from komfortkasse.testing._control import banner, banner_lines
    except ImportError as exc:
        raise UsageError(
            "the fake server needs the testing extra: pip install 'komfortkasse[testing]' "
            f"(cannot import {exc.name or exc})"
        ) from None
    try:
        fake = FakeKomfortkasse(
            port=args.port, api_key=args.api_key, today=args.today, control_token=args.control_token
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    with fake:
        # Printed on purpose: this is the fake's key and token, made up for it (or
        # given as options); the real key in $KOMFORTKASSE_API_KEY is never used here.
        if ctx.output.json_mode:
            ctx.output.json(banner(fake), compact=True)
        else:
            for line in banner_lines(fake):
                print(line, flush=True)
            ctx.output.message(
                f"fake Komfortkasse running; try: KOMFORTKASSE_API_KEY=... komfortkasse "
                f"--base-url {fake.url} orders list   (Ctrl-C to stop)"
            )
        try:
            wait_for_interrupt()
        except KeyboardInterrupt:
            ctx.output.message("fake Komfortkasse stopped")
    return OK


def fake_control(args: argparse.Namespace, ctx: Context) -> int:
    """``fake ...``: one call to a running fake's control endpoints."""
    from ._fake import fake_command

    return fake_command(args, ctx.output)

"""Output: rich tables on stdout, messages and the progress bar on stderr, or
(``--json``) plain JSON on stdout from the models' ``to_dict()``.

Every value from the API is shown as :class:`rich.text.Text`, never parsed as
markup: an order number like ``[red]`` prints as itself.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from komfortkasse import (
    Address,
    BankAccount,
    OrderRead,
    OrderWriteWithNumber,
    PostingRead,
    Reconciliation,
    Unset,
    to_decimal,
)
from komfortkasse._dates import date_to_wire
from komfortkasse_generated._wire import dumps

from ._input import json_text

__all__ = ["Output", "amount_text"]

#: Table width when stdout is not a terminal and ``$COLUMNS`` is unset; rich's
#: default of 80 would fold the order table's eight columns.
PIPE_WIDTH = 120


def amount_text(value: object) -> str:
    """An amount as the exact decimal with two places (``22.38``, ``5.00``); blank if absent."""
    if isinstance(value, Unset) or value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    return f"{to_decimal(value):.2f}"


def _date(value: object) -> str:
    if isinstance(value, datetime.date):
        return date_to_wire(value, "date")
    return _text(value)


def _text(value: object) -> str:
    return "" if value is None or isinstance(value, Unset) else str(value)


class _Console(Console):
    """A rich console that leaves a closed pipe to :func:`komfortkasse.cli.main`
    (rich itself would exit with 1, which here means "the API refused")."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def _console(stderr: bool) -> Console:
    console = _Console(stderr=stderr, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPE_WIDTH
    return console


#: Columns whose values are never broken across lines (an order number or a date
#: cut in two is misread): rich shrinks or folds the other columns instead.
WHOLE_VALUES = frozenset(
    {"number", "date", "amount", "paid", "reference", "planned", "executed", "id", "iban"}
)


#: The narrowest a folding column gets (rich would otherwise squeeze it to nothing).
FOLDED_MIN_WIDTH = 6


def _table(title: str | None, columns: Sequence[str], right: Sequence[str] = ()) -> Table:
    """A table that fits 80 columns: no vertical rules, one space between columns."""
    table = Table(
        title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=0, show_edge=False
    )
    for name in columns:
        whole = name in WHOLE_VALUES
        table.add_column(
            name,
            justify="right" if name in right else "left",
            overflow="fold",
            no_wrap=whole,
            min_width=None if whole else min(len(name), FOLDED_MIN_WIDTH),
        )
    return table


def _money(amount: object, currency: object) -> str:
    """``22.38 EUR``; blank when there is no amount."""
    text = amount_text(amount)
    return f"{text} {_text(currency)}".rstrip() if text else ""


def _row(table: Table, values: Sequence[str]) -> None:
    table.add_row(*(Text(value) for value in values))


ORDER_COLUMNS = ("number", "date", "type", "amount", "status", "reference", "paid")


class Output:
    """Where and how results go; one per run of :func:`komfortkasse.cli.main`."""

    def __init__(self, *, json_mode: bool) -> None:
        self.json_mode = json_mode
        self.out = _console(stderr=False)
        self.err = _console(stderr=True)

    # -- plain lines ---------------------------------------------------------------------

    def message(self, text: str) -> None:
        """A note for the human on stderr (also in ``--json`` mode: stdout stays JSON)."""
        self.err.print(Text(text), soft_wrap=True)

    def error(self, text: str) -> None:
        """The one ``error: ...`` line."""
        self.err.print(Text(f"error: {text}", style="red"), soft_wrap=True)

    def result(self, text: str) -> None:
        """A one-line result for the human on stdout (not used in ``--json`` mode)."""
        self.out.print(Text(text), soft_wrap=True)

    def json(self, value: Any, *, compact: bool = False) -> None:
        """Machine output on stdout; ``compact`` puts it on one line (for line readers)."""
        sys.stdout.write(dumps(value) + "\n" if compact else json_text(value))
        sys.stdout.flush()

    # -- tables --------------------------------------------------------------------------

    def orders(self, orders: Sequence[OrderRead], title: str | None = None) -> None:
        """Orders as a table (or a JSON array)."""
        if self.json_mode:
            self.json([order.to_dict() for order in orders])
            return
        table = _table(title, ORDER_COLUMNS, right=("amount", "paid"))
        for order in orders:
            _row(
                table,
                [
                    order.number,
                    _date(order.date),
                    _text(order.type_),
                    _money(order.amount, order.currency),
                    _text(order.payment_status),
                    _text(order.reference_number),
                    amount_text(order.amount_paid),
                ],
            )
        self.out.print(table)

    def order_detail(self, order: OrderRead) -> None:
        """One order (status, where to pay, addresses), then what ``--include`` asked for."""
        if self.json_mode:
            self.json(order.to_dict())
            return
        grid = Table.grid(padding=(0, 2))
        grid.add_column("field", no_wrap=True, style="bold")
        grid.add_column("value", overflow="fold")
        for label, value in _order_fields(order):
            if value:
                grid.add_row(label, Text(value))
        self.out.print(grid)
        if not isinstance(order.postings, Unset):
            table = _table(
                "postings", ("id", "date", "amount", "originator", "text"), right=("amount",)
            )
            for posting in order.postings:
                _row(
                    table,
                    [
                        _text(posting.id),
                        _date(posting.posting_date),
                        _money(posting.amount, posting.currency),
                        _text(posting.originator),
                        _text(posting.text),
                    ],
                )
            self.out.print(table)
        if not isinstance(order.refunds, Unset):
            columns = ("external reference", "amount", "planned", "executed", "status")
            table = _table("refunds", columns, right=("amount",))
            for refund in order.refunds:
                _row(
                    table,
                    [
                        refund.external_reference,
                        _money(refund.amount, refund.currency),
                        _date(refund.planned_date),
                        _date(refund.execution_date),
                        _text(refund.status),
                    ],
                )
            self.out.print(table)
        if not isinstance(order.payment_reminders, Unset):
            table = _table("payment reminders", ("date", "level", "fee", "email", "letter"))
            for reminder in order.payment_reminders:
                _row(
                    table,
                    [
                        _date(reminder.date),
                        _text(reminder.dunning_level),
                        amount_text(reminder.reminder_fee),
                        _text(reminder.email),
                        _text(reminder.letter),
                    ],
                )
            self.out.print(table)
        if not isinstance(order.collection_history, Unset) or not isinstance(
            order.collection_status, Unset
        ):
            table = _table(
                f"collection: {_text(order.collection_partner)} {_text(order.collection_file)} "
                f"{_text(order.collection_status)}".rstrip(),
                ("timestamp", "description"),
            )
            history = (
                [] if isinstance(order.collection_history, Unset) else order.collection_history
            )
            for event in history:
                _row(table, [_text(event.timestamp), _text(event.description)])
            self.out.print(table)

    def postings(self, postings: Sequence[PostingRead], *, with_orders: bool) -> None:
        """Bank postings; with ``with_orders``, the numbers of the orders each was assigned to."""
        if self.json_mode:
            self.json([posting.to_dict() for posting in postings])
            return
        columns = ["id", "date", "amount", "originator", "reference", "text"]
        if with_orders:
            columns.append("orders")
        table = _table(None, columns, right=("amount",))
        for posting in postings:
            values = _posting_values(posting)
            if with_orders:
                orders = [] if isinstance(posting.orders, Unset) else posting.orders
                values.append(_numbers(orders))
            _row(table, values)
        self.out.print(table)

    def reconciliation(self, result: Reconciliation) -> None:
        """Assigned postings with their order numbers, then the ones matching no order."""
        if self.json_mode:
            self.json(
                {
                    "assigned": [
                        {"posting": posting.to_dict(), "orders": [o.to_dict() for o in orders]}
                        for posting, orders in result.assigned
                    ],
                    "unassigned": [posting.to_dict() for posting in result.unassigned],
                }
            )
            return
        columns = ("id", "date", "amount", "originator", "reference", "text")
        assigned = _table(
            f"assigned postings ({len(result.assigned)})", (*columns, "orders"), right=("amount",)
        )
        for posting, orders in result.assigned:
            _row(assigned, [*_posting_values(posting), _numbers(orders)])
        self.out.print(assigned)
        unassigned = _table(
            f"unassigned postings ({len(result.unassigned)})", columns, right=("amount",)
        )
        for posting in result.unassigned:
            _row(unassigned, _posting_values(posting))
        self.out.print(unassigned)

    # -- progress ------------------------------------------------------------------------

    @contextlib.contextmanager
    def progress(self, total: int, description: str) -> Iterator[Callable[[int, int | None], None]]:
        """A progress bar on stderr; yields the ``on_progress(done, total)`` callback.
        In ``--json`` mode nothing is drawn."""
        if self.json_mode:
            yield lambda done, known_total: None
            return
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=self.err) as bar:
            task = bar.add_task(description, total=total)
            yield lambda done, known_total: bar.update(task, completed=done)


def _posting_values(posting: PostingRead) -> list[str]:
    return [
        _text(posting.id),
        _date(posting.posting_date),
        _money(posting.amount, posting.currency),
        _text(posting.originator),
        _text(posting.reference),
        _text(posting.text),
    ]


def _numbers(orders: Sequence[OrderWriteWithNumber]) -> str:
    return ", ".join(order.number for order in orders)


def _address_text(address: object) -> str:
    """An address on one line: name, company, street, post code and city, country."""
    if not isinstance(address, Address):
        return ""
    name = " ".join(_text(p) for p in (address.first_name, address.last_name) if _text(p))
    town = " ".join(_text(p) for p in (address.post_code, address.city) if _text(p))
    parts = (name, _text(address.company), _text(address.street), town)
    line = ", ".join(part for part in parts if part)
    country = _text(address.country_code)
    return f"{line}, {country}" if line and country else line or country


def _bank_text(account: object) -> str:
    """Where the customer pays: remittee, IBAN, BIC, bank (or account and bank code)."""
    if not isinstance(account, BankAccount):
        return ""
    parts = [
        _text(account.remittee),
        f"IBAN {_text(account.iban)}" if _text(account.iban) else "",
        f"BIC {_text(account.bic)}" if _text(account.bic) else "",
        f"account {_text(account.account_number)}" if _text(account.account_number) else "",
        f"bank code {_text(account.bank_code)}" if _text(account.bank_code) else "",
        _text(account.bank_name),
    ]
    return ", ".join(part for part in parts if part)


def _order_fields(order: OrderRead) -> list[tuple[str, str]]:
    """The rows of ``orders get``: label and value (empty values are left out)."""
    status = _text(order.payment_status)
    paid = amount_text(order.amount_paid)
    if paid:
        status += f" (paid {_money(order.amount_paid, order.currency)})"
    due = _date(order.due_date)
    customer = (_text(order.customer_email), _text(order.customer_number))
    return [
        ("order", order.number),
        ("status", status),
        ("amount", _money(order.amount, order.currency)),
        ("type", _text(order.type_)),
        ("date", _date(order.date) + (f", due {due}" if due else "")),
        ("reference", _text(order.reference_number)),
        ("dunning level", _text(order.dunning_level)),
        ("customer", ", ".join(v for v in customer if v)),
        ("pay to", _bank_text(order.bank_account)),
        ("billing", _address_text(order.billing)),
        ("shipping", _address_text(order.shipping)),
    ]

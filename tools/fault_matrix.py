"""The fault matrix: what each API operation does under each failure, from the documented rules.

One table, two users: ``tests/client/test_fault_matrix.py`` runs every cell against the fake
Komfortkasse and checks the outcome and the number of requests; ``python
tools/fault_matrix.py`` renders it to ``docs/fault-matrix.md``.

The rules come from the README ("Retries", "Errors"), not from the library's code:

* "Could not acquire lock" is always retried (the API refused before doing anything);
* a connection that failed before the request was sent is always retried;
* 5xx answers, timeouts and connections lost after sending are retried only for
  operations that are safe to repeat: reads and the order upserts;
* refund and set-paid are resent after such a failure: the API refuses a repeat
  ("Refund already exists", "Order already in paymentStatus PAID"), and on that
  refusal the client reads the result back and returns it;
* every other write is never repeated once it may have arrived, and its error says
  how to check what happened;
* an answer about another order (or refund), a negative count, or a 200 carrying
  the API's error message is not believed;
* an HTML page, a blank page, a redirect or JSON that does not parse is an
  ``UnexpectedResponseError`` and never retried; so is an answer larger than
  ``max_response_bytes``, on the wire or decompressed (a gzip bomb);
* the timeout bounds each attempt as a whole: an answer dripped a byte at a time
  is a timeout;
* a server that echoes the API key has it cut out of the error and the log;
* ``submit_many`` reports any failure as ``BulkSubmitError`` (``.error`` is the cause).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DELAY",
    "FAULTS",
    "IDEMPOTENT",
    "LOCK_ABOVE",
    "LOCK_BELOW",
    "MAX_ATTEMPTS",
    "MAX_BYTES",
    "OPERATIONS",
    "RESENT",
    "TIMEOUT",
    "Fault",
    "Outcome",
    "expected",
    "main",
    "render",
]

#: The 13 operationIds of the spec, in the spec's order of paths.
OPERATIONS: tuple[str, ...] = (
    "submitOrder",
    "getOrder",
    "readOrders",
    "submitOrders",
    "syncOrders",
    "setOrderPaid",
    "setOrderUnpaid",
    "cancelOrder",
    "removeOrder",
    "createRefund",
    "submitInvoice",
    "readPostings",
    "getImage",
)

#: Safe to repeat per the README: reads and the order upserts.
IDEMPOTENT: frozenset[str] = frozenset(
    {
        "getOrder",
        "readOrders",
        "readPostings",
        "getImage",
        "submitOrder",
        "submitOrders",
    }
)
#: Resent after a lost answer; the API refuses the repeat and the client reads back.
RESENT: frozenset[str] = frozenset({"createRefund", "setOrderPaid"})
#: Their answer names no order the client could compare (lists of orders, postings,
#: an image): another order's data is not detectable there.
UNCHECKED_ANSWER: frozenset[str] = frozenset({"readOrders", "readPostings", "getImage"})
#: Writes that touch one order and so can meet "Could not acquire lock" (the fake
#: checks held locks for these only; reads and ``ordersync`` take none).
TAKES_LOCK: frozenset[str] = frozenset(
    {
        "submitOrder",
        "submitOrders",
        "setOrderPaid",
        "setOrderUnpaid",
        "cancelOrder",
        "removeOrder",
        "createRefund",
        "submitInvoice",
    }
)
#: Operations whose 200 carries no JSON body: the client does not read it.
NO_RESPONSE_BODY: frozenset[str] = frozenset({"submitInvoice"})
#: Operations with a read timeout of at least 10 minutes, whatever the client's.
LONG_TIMEOUT: frozenset[str] = frozenset({"syncOrders"})
#: ``submit_many`` wraps every failure of a chunk.
BULK: frozenset[str] = frozenset({"submitOrders"})

#: The retry policy the matrix runs with: tiny delays, this many attempts at most.
MAX_ATTEMPTS = 4
#: Lock held fewer times than the bound (succeeds) and more times (gives up).
LOCK_BELOW = 2
LOCK_ABOVE = 6
#: The client's timeout for the "read timeout" column, and the fake's delay (seconds).
#: Generous: the retried request must finish well inside TIMEOUT even on a loaded
#: CI machine under coverage tracing (a QR code PNG is made in-process).
TIMEOUT = 0.75
DELAY = 1.2
#: The client's ``max_response_bytes`` for the "oversized" and "gzip bomb" columns.
MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Fault:
    """One column: ``key`` is the test id, ``label`` the column header."""

    key: str
    label: str
    description: str


FAULTS: tuple[Fault, ...] = (
    Fault(
        "lock_below",
        f"lock {LOCK_BELOW} times",
        f'`hold_lock(n, {LOCK_BELOW})`: "Could not acquire lock" {LOCK_BELOW} times '
        f"(below the bound of {MAX_ATTEMPTS} attempts)",
    ),
    Fault(
        "lock_above",
        f"lock {LOCK_ABOVE} times",
        f"`hold_lock(n, {LOCK_ABOVE})`: more locked answers than attempts allowed",
    ),
    Fault("500", "500", '`inject_fault("500")`: 500 with `{"error": "Internal server error"}`'),
    Fault("502_html", "502 HTML", '`inject_fault("502_html")`: 502 with an nginx HTML page'),
    Fault("html_200", "200 HTML", '`inject_fault("html_200")`: 200 with the HTML login page'),
    Fault("redirect", "302", '`inject_fault("redirect")`: 302 to the login page'),
    Fault("520", "520", '`inject_fault("520")`: status 520 with an empty body'),
    Fault("empty_200", "empty 200", '`inject_fault("empty_200")`: 200 with an empty body'),
    Fault(
        "truncated_json",
        "truncated JSON",
        '`inject_fault("truncated_json")`: 200 with JSON cut off in the middle',
    ),
    Fault(
        "refused",
        "refused",
        "client pointed at a closed port on 127.0.0.1: connection refused, nothing sent",
    ),
    Fault(
        "drop",
        "drop",
        '`inject_fault("drop")`: the fake reads the request, does not handle it, closes '
        "without an answer (the client cannot tell this from the next column)",
    ),
    Fault(
        "drop_after_handling",
        "drop after handling",
        '`inject_fault("drop_after_handling")`: the request takes effect, then the '
        "connection closes without an answer",
    ),
    Fault(
        "timeout",
        "read timeout",
        f'`inject_fault("delay", delay={DELAY})` with `with_options(timeout={TIMEOUT})`: '
        "the answer comes too late (the request takes effect)",
    ),
    Fault(
        "wrong_answer",
        "wrong answer",
        '`inject_fault("wrong_answer")`: the request takes effect, then a 200 about something '
        "else: another order number (or refund reference) in the answer, a count of -5, "
        '`{"error": "File missing"}` for the body-less invoice upload',
    ),
    Fault(
        "drip",
        "drip",
        f'`inject_fault("drip")` with `with_options(timeout={TIMEOUT})`: the request takes '
        "effect, then the answer trickles in a byte every 10 ms: every read is in time, the "
        "answer as a whole is not",
    ),
    Fault(
        "oversized",
        "oversized",
        f'`inject_fault("oversized")` with `with_options(max_response_bytes={MAX_BYTES})`: '
        "200 with a 1 MiB body",
    ),
    Fault(
        "gzip_bomb",
        "gzip bomb",
        f'`inject_fault("gzip_bomb")` with `with_options(max_response_bytes={MAX_BYTES})`: '
        "200 with 16 KiB of gzip that inflate to 16 MiB",
    ),
    Fault(
        "echo_key",
        "echoed key",
        '`inject_fault("echo_key")`: 500 whose error message echoes the API key; the key '
        "is in no error, note or log line",
    ),
)
FAULT_KEYS: tuple[str, ...] = tuple(fault.key for fault in FAULTS)
#: Columns the async run leaves out (slow; the async client meets them elsewhere).
SYNC_ONLY: frozenset[str] = frozenset({"drip"})

NOTES: dict[str, str] = {
    "no-lock": "takes no lock: the fake checks held locks only for writes to an order, "
    "so `hold_lock` does not touch reads or `ordersync`",
    "no-body": "`submitInvoice`'s 200 is documented without a body: an empty answer is "
    "success; a body that is not JSON (the HTML login page, a cut-off body) is an "
    "`UnexpectedResponseError`",
    "long-timeout": "`orders.sync` raises the read timeout to the 10 minutes the docs "
    "demand, so the delayed or dripped answer is waited for",
    "read-back": "resent after the lost answer; the API refuses the repeat (the first "
    "request had arrived), so the client reads the order back (`GET /order/{n}`, with "
    "`includeRefunds=true` for a refund) and returns the result",
    "unchecked": "the answer names no order the client asked for (a list, postings, an "
    "image), so there is nothing to compare it with",
}
NOTE_MARKS: dict[str, str] = {key: str(index) for index, key in enumerate(NOTES, start=1)}


@dataclass(frozen=True)
class Outcome:
    """What one cell must do.

    ``error`` is the name of the ``komfortkasse`` class raised (``None``: success);
    for bulk submit it is the cause inside :class:`BulkSubmitError`. ``attempts`` is
    how many requests the client tried; ``requests`` how many the fake received
    (fewer only when nothing could be sent). ``request_sent`` is the
    ``TransportError.request_sent`` expected, ``None`` for other outcomes.
    """

    error: str | None
    attempts: int
    requests: int
    wrapped: bool = False
    request_sent: bool | None = None
    note: str | None = None
    #: The API refused the resend as a repeat and the result was read back (one more request).
    read_back: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    def render(self) -> str:
        mark = f" <sup>{NOTE_MARKS[self.note]}</sup>" if self.note else ""
        if self.error is None:
            if self.attempts == 1:
                return f"ok, 1 request{mark}"
            retries = self.attempts - 1
            back = ", read back" if self.read_back else ""
            return f"ok after {retries} retr{'y' if retries == 1 else 'ies'}{back}{mark}"
        name = f"BulkSubmitError ← {self.error}" if self.wrapped else self.error
        if self.attempts > 1 or self.requests != self.attempts:
            sent = "" if self.requests == self.attempts else ", none arrived"
            return f"{name} ({self.attempts} attempts{sent}){mark}"
        return f"{name}, 1 request{mark}"


def expected(operation: str, fault: str) -> Outcome:  # noqa: PLR0911 (a rule per fault)
    """The documented outcome of ``operation`` under ``fault`` (a :data:`FAULTS` key)."""
    if operation not in OPERATIONS:
        raise KeyError(f"unknown operation {operation!r}")
    if fault not in FAULT_KEYS:
        raise KeyError(f"unknown fault {fault!r}")
    wrapped = operation in BULK

    def fail(error: str, attempts: int = 1, requests: int = 1, sent: bool | None = None) -> Outcome:
        return Outcome(error, attempts, requests, wrapped=wrapped, request_sent=sent)

    if fault in ("lock_below", "lock_above"):
        if operation not in TAKES_LOCK:
            return Outcome(None, 1, 1, note="no-lock")
        if fault == "lock_below":
            return Outcome(None, LOCK_BELOW + 1, LOCK_BELOW + 1)
        return fail("LockError", MAX_ATTEMPTS, MAX_ATTEMPTS)
    if fault in ("html_200", "empty_200", "truncated_json"):
        if operation in NO_RESPONSE_BODY and fault == "empty_200":
            return Outcome(None, 1, 1, note="no-body")
        return fail("UnexpectedResponseError")
    if fault in ("redirect", "oversized", "gzip_bomb"):
        return fail("UnexpectedResponseError")
    if fault == "refused":
        return fail("APIConnectionError", MAX_ATTEMPTS, 0, sent=False)
    if fault == "wrong_answer":
        if operation in UNCHECKED_ANSWER:
            return Outcome(None, 1, 1, note="unchecked")
        invoice = operation in NO_RESPONSE_BODY
        return fail("InvalidFileError" if invoice else "ResponseValidationError")
    return _answer_lost(operation, fault, fail)


def _answer_lost(operation: str, fault: str, fail: Callable[..., Outcome]) -> Outcome:
    """5xx, a dropped connection, a read timeout, a dripped answer: the request may
    have arrived."""
    repeated = operation in IDEMPOTENT or operation in RESENT
    if fault in ("timeout", "drip") and operation in LONG_TIMEOUT:
        return Outcome(None, 1, 1, note="long-timeout")
    if fault in ("drop_after_handling", "drip") and operation in RESENT:
        return Outcome(None, 2, 3, note="read-back", read_back=True)
    if repeated:
        return Outcome(None, 2, 2)
    if fault in ("500", "502_html", "520", "echo_key"):
        return fail("ServerError")
    if fault in ("timeout", "drip"):
        return fail("APITimeoutError", sent=True)
    return fail("APIConnectionError", sent=True)


def render() -> str:
    """``docs/fault-matrix.md`` as it should read now."""
    lines = [
        "# Fault matrix",
        "",
        "<!-- Generated by `python tools/fault_matrix.py` from the data the tests use "
        "(tests/client/test_fault_matrix.py); do not edit by hand. -->",
        "",
        "Generated by `python tools/fault_matrix.py` from `tools/fault_matrix.py`, the same "
        "table `tests/client/test_fault_matrix.py` runs cell by cell against the fake "
        "Komfortkasse (sync and async clients; the drip column, about a second a cell, with "
        "the sync client only: `tests/client/test_hostile_servers.py` drips into the async "
        "client). The outcomes follow the README's Retries and Errors sections.",
        "",
        f"Set-up: `RetryPolicy(max_attempts={MAX_ATTEMPTS})` with millisecond delays. "
        "A cell reads: `ok, 1 request`; `ok after N retries` (N + 1 requests reached the "
        "fake); `Error, 1 request` (raised after exactly one request: never repeated); "
        "`Error (N attempts)` (given up after N requests). `BulkSubmitError ← X` is "
        "`submit_many`'s error whose `.error` is X. Connection refused: every attempt "
        "fails before sending, so nothing arrives.",
        "",
        "Faults:",
        "",
    ]
    lines += [f"- **{fault.label}**: {fault.description}" for fault in FAULTS]
    lines += [
        "",
        "Safe to repeat (retried after 5xx, timeouts and lost connections): "
        + ", ".join(f"`{op}`" for op in OPERATIONS if op in IDEMPOTENT)
        + ". Resent after a lost answer, the API's refusal of the repeat resolved by "
        "reading the result back: "
        + ", ".join(f"`{op}`" for op in OPERATIONS if op in RESENT)
        + ". Never repeated once sent (the error says how to check what happened): "
        + ", ".join(f"`{op}`" for op in OPERATIONS if op not in IDEMPOTENT | RESENT)
        + ".",
        "",
        "| operation | " + " | ".join(fault.label for fault in FAULTS) + " |",
        "|---|" + "---|" * len(FAULTS),
    ]
    for operation in OPERATIONS:
        cells = [expected(operation, fault.key).render() for fault in FAULTS]
        lines.append(f"| `{operation}` | " + " | ".join(cells) + " |")
    lines += ["", "Notes:", ""]
    lines += [f"{NOTE_MARKS[key]}. {text}" for key, text in NOTES.items()]
    return "\n".join(lines) + "\n"


DOC_PATH = Path(__file__).resolve().parent.parent / "docs" / "fault-matrix.md"


def main(argv: list[str] | None = None) -> int:
    """Write ``docs/fault-matrix.md`` (or, with ``--check``, fail when it is stale)."""
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if "--check" in args:
        current = DOC_PATH.read_text("utf-8") if DOC_PATH.exists() else ""
        if current != text:
            print(f"{DOC_PATH} is stale: run python tools/fault_matrix.py", file=sys.stderr)
            return 1
        return 0
    DOC_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOC_PATH.write_text(text, "utf-8")
    print(f"wrote {DOC_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

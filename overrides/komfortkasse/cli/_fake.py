"""``komfortkasse fake ...``: drive a running fake Komfortkasse through its control endpoints.

The commands speak the fake's HTTP control protocol
(:mod:`komfortkasse.testing._protocol`) and need nothing but httpx, so they work
without the ``testing`` extra -- from a shell script of a PHP, Java or Node test
suite as well. They refuse any host but this machine (the fake listens on
127.0.0.1 only) and any answer without the fake's marker header, so they can
never act on the real Komfortkasse.
"""

from __future__ import annotations

import argparse
import os
from typing import Any
from urllib.parse import urlsplit

import httpx

from komfortkasse import APIConnectionError, APIError, APITimeoutError, UnexpectedResponseError
from komfortkasse._config import BASE_URL_ENV, is_loopback
from komfortkasse.testing._protocol import CONTROL_PREFIX, MARKER_HEADER, TOKEN_ENV, TOKEN_HEADER

from ._errors import OK, UsageError
from ._render import Output

__all__ = ["control_call", "fake_command"]

#: Seconds a control call may take (advancing the clock runs callbacks).
CONTROL_TIMEOUT = 60.0


def control_origin(url: str | None) -> str:
    """``http://127.0.0.1:PORT`` from the fake's URL (``--url``, else ``--base-url``, else
    ``$KOMFORTKASSE_BASE_URL``; any path: ``/api/v2`` or ``/_fake``)."""
    given = url or os.environ.get(BASE_URL_ENV)
    if not given:
        raise UsageError(f"which fake? give --url (the URL the fake printed) or set {BASE_URL_ENV}")
    parts = urlsplit(given)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not a URL: {given!r}")
    if not is_loopback(parts.hostname):
        raise UsageError(
            f"fake commands only talk to a fake on this machine (127.0.0.1, localhost), "
            f"not {parts.hostname}"
        )
    return f"{parts.scheme}://{parts.netloc}"


def control_call(
    args: argparse.Namespace, method: str, path: str, body: dict[str, Any] | None = None
) -> Any:
    """One control request; the fake's JSON answer. Errors map to the CLI's exit codes."""
    origin = control_origin(args.url or args.base_url)
    token = args.token or os.environ.get(TOKEN_ENV, "")
    if not token.strip():
        raise UsageError(
            f"no control token: give --token or set {TOKEN_ENV} (the fake prints it at start)"
        )
    operation = f"fake {args.fake_command}"
    try:
        with httpx.Client(timeout=CONTROL_TIMEOUT, follow_redirects=False) as http:
            response = http.request(
                method, origin + CONTROL_PREFIX + path, json=body, headers={TOKEN_HEADER: token}
            )
    except httpx.TimeoutException as exc:
        raise APITimeoutError(str(exc), operation=operation, request_sent=True) from None
    except httpx.HTTPError as exc:
        raise APIConnectionError(
            f"cannot reach the fake at {origin}: {exc}", operation=operation, request_sent=False
        ) from None
    if MARKER_HEADER not in response.headers:
        raise UnexpectedResponseError(
            f"{origin} is not a fake Komfortkasse (no {MARKER_HEADER} header); nothing was done",
            operation=operation,
            status_code=response.status_code,
            body=response.content[:200],
        )
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code != 200:
        message = answer.get("error") if isinstance(answer, dict) else None
        raise APIError(
            str(message or response.reason_phrase),
            status_code=response.status_code,
            operation=operation,
        )
    return answer


#: What a command returns: the fake's JSON answer and the line for a person.
Done = tuple[Any, str]


def _pay(args: argparse.Namespace) -> Done:
    body: dict[str, Any] = {"order": args.number, "amount": args.amount}
    if args.reference is not None:
        body["reference"] = args.reference
    if args.payer_iban is not None:
        body["payerIban"] = args.payer_iban
    posting = control_call(args, "POST", "/payments", body)
    return posting, f"posting {posting['id']}: {args.amount} paid for order {args.number}"


def _advance(args: argparse.Namespace) -> Done:
    clock = control_call(args, "POST", "/clock", {"days": args.days, "minutes": args.minutes})
    return clock, f"fake today: {clock['today']}"


def _today(args: argparse.Namespace) -> Done:
    clock = control_call(args, "GET", "/clock")
    return clock, f"fake today: {clock['today']} (now {clock['now']})"


def _lock(args: argparse.Namespace) -> Done:
    held = control_call(args, "POST", "/locks", {"order": args.number, "times": args.times})
    return held, f"the next {args.times} write(s) to {args.number} meet a lock"


def _fault(args: argparse.Namespace) -> Done:
    body: dict[str, Any] = {"kind": args.kind, "times": args.times, "delay": args.delay}
    if args.path_contains is not None:
        body["pathContains"] = args.path_contains
    fault = control_call(args, "POST", "/faults", body)
    where = f" whose path contains {args.path_contains!r}" if args.path_contains else ""
    return fault, f"the next {args.times} request(s){where} get {args.kind}"


def _requests(args: argparse.Namespace) -> Done:
    recorded = control_call(args, "GET", "/requests")
    lines = [f"{r['method']} {r['path']}  ({len(r['body'])} characters)" for r in recorded]
    return recorded, "\n".join([*lines, f"{len(recorded)} request(s)"])


def _callback(args: argparse.Namespace) -> Done:
    body = {"url": args.callback_url, "accessCode": args.access_code}
    return control_call(args, "POST", "/callback", body), (
        f"status changes are POSTed to {args.callback_url}"
    )


def _bank_details(args: argparse.Namespace) -> Done:
    body = {"order": args.number}
    if args.iban is not None:
        body["iban"] = args.iban
    answer = control_call(args, "POST", "/bank-details", body)
    return answer, f"bank details of order {args.number} are known"


def _reset(args: argparse.Namespace) -> Done:
    reset = control_call(args, "POST", "/reset")
    return reset, f"fake reset: no orders, today {reset['today']}"


#: ``komfortkasse fake <command>``: what each one does.
COMMANDS = {
    "pay": _pay,
    "advance": _advance,
    "today": _today,
    "lock": _lock,
    "fault": _fault,
    "requests": _requests,
    "callback": _callback,
    "bank-details": _bank_details,
    "reset": _reset,
}


def fake_command(args: argparse.Namespace, output: Output) -> int:
    """Run the ``fake`` subcommand named by ``args.fake_command``."""
    answer, text = COMMANDS[args.fake_command](args)
    if output.json_mode:
        output.json(answer)
    else:
        output.result(text)
    return OK

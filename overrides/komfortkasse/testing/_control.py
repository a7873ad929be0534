"""HTTP control endpoints: drive the fake from any language (PHP, Java, Node, curl).

They live under :data:`CONTROL_PREFIX` (``/_fake``), outside the API's ``/api/v2``,
and answer only requests that carry the fake's control token in the
:data:`TOKEN_HEADER` header (printed when the fake starts). Every answer carries
:data:`MARKER_HEADER`, so a caller can tell it is talking to a fake and not to
the real Komfortkasse (which redirects ``/_fake/...`` to its login page). The
token sent to an API path is refused, so a control call can never be mistaken
for an API call either way. Control requests are not recorded in
:attr:`~komfortkasse.testing.FakeKomfortkasse.requests` and faults never apply
to them.

Bodies and answers are JSON; amounts may be JSON numbers or strings
(``"22.38"``), dates are ``YYYY-MM-DD``. Errors are ``{"error": "..."}`` with
400 (bad input), 403 (missing or wrong token), 404 (unknown order, shop or
endpoint) or 405 (wrong method). Every endpoint acts on the default shop unless
the body names another by its API key in ``"shop"``.
"""

from __future__ import annotations

import base64
import datetime
import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ._api import Request, Response, json_body
from ._errors import ApiFailure
from ._faults import FaultKind
from ._protocol import BANNER_LABELS, CONTROL_PREFIX, MARKER_HEADER, TOKEN_HEADER

if TYPE_CHECKING:
    from ._fake import FakeKomfortkasse
    from ._http import RecordedRequest

Json = Any

__all__ = [
    "CONTROL_PREFIX",
    "ENDPOINTS",
    "MARKER_HEADER",
    "TOKEN_HEADER",
    "Control",
    "banner",
    "banner_lines",
    "new_control_token",
]


def new_control_token() -> str:
    """A random control token: ``fake-control-`` and 32 hex digits."""
    return "fake-control-" + secrets.token_hex(16)


def is_control_path(path: str) -> bool:
    """True for ``/_fake`` and everything below it."""
    return path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/")


def control_token_on_api_path() -> Response:
    """The answer to an API request that carries the control token."""
    return _error(
        400,
        f"the fake's control token was sent to an API path; control endpoints are under "
        f"{CONTROL_PREFIX}/",
    )


@dataclass(frozen=True)
class Endpoint:
    """One control endpoint: method, path below the prefix, what it does, its handler."""

    method: str
    path: str
    summary: str
    handler: Callable[[Control, Mapping[str, Json]], Json]

    @property
    def full_path(self) -> str:
        """The path as requested: ``/_fake/payments``."""
        return CONTROL_PREFIX + self.path.rstrip("/")


def banner(fake: FakeKomfortkasse) -> dict[str, str]:
    """What a started fake announces: where it is, its API key and control token."""
    return {
        "url": fake.url,
        "apiKey": fake.api_key,
        "controlUrl": fake.control_url,
        "controlToken": fake.control_token,
    }


def banner_lines(fake: FakeKomfortkasse) -> list[str]:
    """The banner as ``Label: value`` lines, as both entry points print it."""
    values = banner(fake)
    return [f"{label}: {values[key]}" for key, label in BANNER_LABELS.items()]


def _error(status: int, message: str) -> Response:
    response = Response.json(status, {"error": message})
    response.headers[MARKER_HEADER] = "control"
    return response


def _text(body: Mapping[str, Json], name: str, *, required: bool = True) -> str | None:
    value = body.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name!r} must be a non-empty string")
    return value


def _count(body: Mapping[str, Json], name: str, default: int, minimum: int = 0) -> int:
    value = body.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name!r} must be a whole number >= {minimum}, got {value!r}")
    return value


def _recorded(request: RecordedRequest) -> dict[str, Json]:
    return {
        "method": request.method,
        "path": request.path,
        "query": dict(request.query),
        "headers": dict(request.headers),
        "body": request.body.decode("utf-8", errors="replace"),
        "bodyBase64": base64.b64encode(request.body).decode("ascii"),
    }


class Control:
    """Answers the control endpoints of one :class:`FakeKomfortkasse`."""

    def __init__(self, fake: FakeKomfortkasse, token: str) -> None:
        self.fake = fake
        self.token = token

    def handle(self, request: Request) -> Response:
        """The answer to a request below :data:`CONTROL_PREFIX`."""
        found = self._route(request)
        if isinstance(found, Response):
            return found
        try:
            body = json_body(request.body) if request.body.strip() else {}
            if not isinstance(body, Mapping):
                raise ValueError("the body must be a JSON object")
            result = found.handler(self, body)
        except ApiFailure as failure:  # a body that is not JSON
            return _error(400, failure.message)
        except KeyError as exc:
            return _error(404, str(exc.args[0]) if exc.args else "not found")
        except (ValueError, TypeError) as exc:
            return _error(400, str(exc))
        response = Response.json(200, result)
        response.headers[MARKER_HEADER] = "control"
        return response

    def _route(self, request: Request) -> Endpoint | Response:
        """The endpoint for ``request``, or the error answer (token, path, method)."""
        given = request.headers.get(TOKEN_HEADER.lower(), "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            what = "missing" if not given else "wrong"
            return _error(
                403,
                f"control token {what}: send the token the fake printed at start "
                f"in the {TOKEN_HEADER} header",
            )
        path = request.path[len(CONTROL_PREFIX) :].rstrip("/") or "/"
        matches = [e for e in ENDPOINTS if e.path == path]
        if not matches:
            listing = f"GET {CONTROL_PREFIX} lists them"
            return _error(404, f"no control endpoint {request.path} ({listing})")
        endpoint = next((e for e in matches if e.method == request.method), None)
        if endpoint is None:
            allowed = ", ".join(e.method for e in matches)
            return _error(405, f"{request.method} not allowed on {request.path} (use {allowed})")
        return endpoint

    # -- endpoints ------------------------------------------------------------------------

    def _shop(self, body: Mapping[str, Json]) -> str | None:
        return _text(body, "shop", required=False)

    def info(self, body: Mapping[str, Json]) -> Json:
        return {
            "fake": "komfortkasse",
            "url": self.fake.url,
            "today": self.fake.today.isoformat(),
            "endpoints": [
                {"method": e.method, "path": e.full_path, "summary": e.summary} for e in ENDPOINTS
            ],
        }

    def pay(self, body: Mapping[str, Json]) -> Json:
        amount = body.get("amount")
        if isinstance(amount, bool) or amount is None:
            raise ValueError("'amount' must be a number or a decimal string")
        posting = self.fake.receive_payment(
            str(_text(body, "order")),
            amount,
            reference=_text(body, "reference", required=False),
            payer_iban=_text(body, "payerIban", required=False),
            shop=self._shop(body),
        )
        return posting.to_json()

    def clock(self, body: Mapping[str, Json]) -> Json:
        return {"today": self.fake.today.isoformat(), "now": self.fake.clock.isoformat()}

    def advance(self, body: Mapping[str, Json]) -> Json:
        days, minutes = _count(body, "days", 0), _count(body, "minutes", 0)
        if not days and not minutes:
            raise ValueError("give 'days' and/or 'minutes' to move the clock forward")
        self.fake.advance(datetime.timedelta(days=days, minutes=minutes))
        return self.clock(body)

    def lock(self, body: Mapping[str, Json]) -> Json:
        number, times = str(_text(body, "order")), _count(body, "times", 1, minimum=1)
        self.fake.hold_lock(number, times, shop=self._shop(body))
        return {"order": number, "times": times}

    def fault(self, body: Mapping[str, Json]) -> Json:
        name = _text(body, "kind")
        if name not in {kind.value for kind in FaultKind}:
            known = ", ".join(kind.value for kind in FaultKind)
            raise ValueError(f"'kind' must be one of {known}, got {name!r}")
        kind = FaultKind(name)
        times = _count(body, "times", 1, minimum=1)
        path_contains = _text(body, "pathContains", required=False)
        delay = body.get("delay", 0)
        if isinstance(delay, bool) or not isinstance(delay, int | float | Decimal) or delay < 0:
            raise ValueError(f"'delay' must be a number of seconds >= 0, got {delay!r}")
        self.fake.inject_fault(kind, times=times, path_contains=path_contains, delay=float(delay))
        return {"kind": kind.value, "times": times, "pathContains": path_contains}

    def requests(self, body: Mapping[str, Json]) -> Json:
        return [_recorded(request) for request in self.fake.requests]

    def callback(self, body: Mapping[str, Json]) -> Json:
        url, code = str(_text(body, "url")), str(_text(body, "accessCode"))
        self.fake.set_callback(url, code, shop=self._shop(body))
        return {"url": url}

    def callbacks(self, body: Mapping[str, Json]) -> Json:
        return [
            {
                "order": a.order_number,
                "paymentStatus": a.payment_status,
                "at": a.at.isoformat(),
                "outcome": a.outcome,
                "statusCode": a.status_code,
                "error": a.error,
                "gaveUp": a.gave_up,
            }
            for a in self.fake.callback_log
        ]

    def bank_details(self, body: Mapping[str, Json]) -> Json:
        number = str(_text(body, "order"))
        iban = _text(body, "iban", required=False)
        if iban is None:
            self.fake.give_bank_details(number, shop=self._shop(body))
        else:
            self.fake.give_bank_details(number, iban, shop=self._shop(body))
        return {"order": number}

    def reset(self, body: Mapping[str, Json]) -> Json:
        self.fake.reset()
        return {"reset": True, "today": self.fake.today.isoformat()}


#: Every control endpoint; ``GET /_fake`` lists them, the README documents them.
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("GET", "/", "what the fake is, its day, and these endpoints", Control.info),
    Endpoint(
        "POST",
        "/payments",
        "a bank posting arrives: {order, amount[, reference, payerIban]}",
        Control.pay,
    ),
    Endpoint("GET", "/clock", "the fake's day and time", Control.clock),
    Endpoint("POST", "/clock", "move the clock forward: {days[, minutes]}", Control.advance),
    Endpoint(
        "POST", "/locks", "next writes to an order meet the lock: {order[, times]}", Control.lock
    ),
    Endpoint(
        "POST", "/faults", "inject a fault: {kind[, times, pathContains, delay]}", Control.fault
    ),
    Endpoint("GET", "/requests", "every API request received (key redacted)", Control.requests),
    Endpoint(
        "POST", "/callback", "POST status changes to a URL: {url, accessCode}", Control.callback
    ),
    Endpoint("GET", "/callbacks", "every callback delivery attempt", Control.callbacks),
    Endpoint(
        "POST", "/bank-details", "the customer gives an IBAN: {order[, iban]}", Control.bank_details
    ),
    Endpoint(
        "POST", "/reset", "back to the start: no orders, first day, empty logs", Control.reset
    ),
)

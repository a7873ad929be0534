"""The 13 operations of the API, over plain request/response values (no sockets here).

:meth:`Api.handle` does what the real service does, in this order: paths outside
``/api/v2`` go to the login page; unknown routes under it get a blank 404; then the
API key is checked, the query and body are checked against the spec, held locks are
honoured, and the operation runs on :class:`~._simulation.FakeState` under its lock
(its checks and queries are :mod:`._rules`).
"""

from __future__ import annotations

import base64
import datetime
import email.parser
import email.policy
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from komfortkasse._dates import date_from_wire
from komfortkasse._exceptions import ResponseValidationError
from komfortkasse._secret import API_KEY_HEADER as _API_KEY_HEADER
from komfortkasse._secret import PLACEHOLDER_KEY

from . import _rules
from ._callbacks import CallbackDelivery, json_bytes
from ._errors import (
    API_NOT_ACTIVE,
    AUTH_INVALID,
    AUTH_MISSING,
    AUTH_PLACEHOLDER,
    FILE_EMPTY,
    FILE_MISSING,
    INVALID_JSON,
    INVALID_QUERY_DATE,
    LOCKED,
    MISSING_BODY,
    READ_ONLY_SHOP,
    SHOP_NOT_ACTIVE,
    ApiFailure,
    not_valid,
)
from ._records import Includes, InvoiceUpload, ShopRecord
from ._simulation import FakeState
from ._spec import Operation, Spec

Json = Any
logger = logging.getLogger("komfortkasse.testing")

#: Where the API lives on the fake server (as on the real one).
BASE_PATH = "/api/v2"
#: Where requests outside the API are redirected (the merchant area's login page).
LOGIN_PATH = "/login"
#: The client's authentication header, lower case (request headers are kept lower case).
API_KEY_HEADER = _API_KEY_HEADER.lower()
#: Query parameters that carry a date (answered with "Invalid date: ..." when malformed).
DATE_QUERY_PARAMETERS = ("minPostingDate", "createdMin", "createdMax")

LOGIN_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Komfortkasse - Login</title></head>"
    b'<body><form method="post" action="/login"><input name="username">'
    b'<input name="password" type="password"><button>Login</button></form></body></html>\n'
)


@dataclass(frozen=True)
class Request:
    """A received request; header names are lower case."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    #: Carries the API key: never shown in a repr.
    headers: Mapping[str, str] = field(repr=False)
    body: bytes = field(repr=False)

    def param(self, name: str) -> str | None:
        """The last value of query parameter ``name``."""
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass
class Response:
    """An answer to send; ``content_type`` ``None`` sends no Content-Type header."""

    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value: Json) -> Response:
        return cls(status, json_bytes(value), "application/json")

    @classmethod
    def error(cls, failure: ApiFailure) -> Response:
        return cls.json(failure.status, {"error": failure.message})

    def json_value(self) -> Json:
        return json.loads(self.body) if self.body else None


@dataclass
class _Call:
    """What an operation handler gets: the request, its shop and its checked parameters."""

    request: Request
    operation: Operation
    shop: ShopRecord
    path: dict[str, str]
    query: dict[str, Json]

    @property
    def includes(self) -> Includes:
        return Includes(
            postings=bool(self.query.get("includePostings")),
            collection_history=bool(self.query.get("includeCollectionHistory")),
            payment_reminders=bool(self.query.get("includePaymentReminders")),
            refunds=bool(self.query.get("includeRefunds")),
        )


def _reject_constant(name: str) -> Json:
    raise ValueError(f"{name} is not JSON")


def json_body(body: bytes) -> Json:
    """The request body as JSON (floats as Decimal), or the API's error for it."""
    if not body.strip():
        raise ApiFailure.of(MISSING_BODY)
    try:
        value = json.loads(
            body.decode("utf-8"), parse_float=Decimal, parse_constant=_reject_constant
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiFailure.of(INVALID_JSON) from None
    if value is None:
        raise ApiFailure.of(MISSING_BODY)
    return value


def query_date(request: Request, name: str) -> datetime.date | None:
    value = request.param(name)
    if value is None or value == "":
        return None
    try:
        return date_from_wire(value, name)
    except ResponseValidationError:
        raise ApiFailure.of(INVALID_QUERY_DATE, value=value) from None


def file_part(content_type: str, body: bytes) -> tuple[str | None, str, bytes] | None:
    """(filename, content type, bytes) of the multipart part named ``file``, if any."""
    if not content_type.lower().startswith("multipart/form-data"):
        return None
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        return None
    for part in message.walk():
        if part.get_param("name", header="content-disposition") == "file":
            data = part.get_payload(decode=True)
            return (
                part.get_filename(),
                part.get_content_type(),
                (data if isinstance(data, bytes) else b""),
            )
    return None


class Api:
    """Routes requests to operations; every operation runs under the state lock."""

    def __init__(self, state: FakeState, spec: Spec, *, check_responses: bool = False) -> None:
        self.state = state
        self.spec = spec
        self.check_responses = check_responses
        self._handlers: dict[str, Callable[[_Call], Response]] = {
            "submitOrder": self._submit_order,
            "getOrder": self._get_order,
            "removeOrder": self._remove_order,
            "getImage": self._get_image,
            "setOrderPaid": self._set_paid,
            "setOrderUnpaid": self._set_unpaid,
            "cancelOrder": self._cancel,
            "createRefund": self._create_refund,
            "submitInvoice": self._submit_invoice,
            "submitOrders": self._submit_orders,
            "readOrders": self._read_orders,
            "syncOrders": self._sync_orders,
            "readPostings": self._read_postings,
        }

    def handle(self, request: Request, origin: str) -> tuple[Response, list[CallbackDelivery]]:
        """The answer to ``request`` and the callback deliveries it caused (not yet sent)."""
        if request.path != BASE_PATH and not request.path.startswith(BASE_PATH + "/"):
            if request.path == LOGIN_PATH:
                return Response(200, LOGIN_PAGE, "text/html; charset=utf-8"), []
            return Response(302, headers={"Location": origin + LOGIN_PATH}), []
        matched = self.spec.match(request.method, request.path[len(BASE_PATH) :])
        if matched is None:
            return Response(404), []
        handler = self._handlers.get(matched[0].operation_id)
        if handler is None:  # documented, but not simulated (the spec is newer than the fake)
            name = matched[0].operation_id
            return Response.json(501, {"error": f"The fake does not simulate {name}"}), []
        operation, path_values = matched
        with self.state.lock:
            try:
                shop = self._authenticate(request, operation)
                call = _Call(request, operation, shop, path_values, self._query(request, operation))
                response = handler(call)
            except ApiFailure as failure:
                response = Response.error(failure)
            except Exception:
                logger.exception("fake Komfortkasse failed on %s %s", request.method, request.path)
                response = Response.json(500, {"error": "Internal server error"})
            deliveries = self.state.take_outbox()
        if self.check_responses:
            response = self._checked(operation, response)
        return response, deliveries

    def _checked(self, operation: Operation, response: Response) -> Response:
        """``response``, or a 500 naming its violations of the spec (``check_responses``)."""
        if response.status == 200 and not operation.response_schemas.get("200"):
            return response
        if response.status >= 500:
            return response
        problems = self.spec.check_response(operation, response.status, response.json_value())
        if not problems:
            return response
        detail = "; ".join(problems[:5])
        logger.error("fake response violates the spec: %s", detail)
        return Response.json(500, {"error": f"Fake response violates the spec: {detail}"})

    # -- checks ---------------------------------------------------------------------------

    def _authenticate(self, request: Request, operation: Operation) -> ShopRecord:
        key = request.headers.get(API_KEY_HEADER, "")
        if not key:
            raise ApiFailure.of(AUTH_MISSING)
        if key == PLACEHOLDER_KEY:
            raise ApiFailure.of(AUTH_PLACEHOLDER)
        shop = self.state.shops.get(key)
        if shop is None:
            raise ApiFailure.of(AUTH_INVALID)
        if not shop.api_active:
            raise ApiFailure.of(API_NOT_ACTIVE)
        if not shop.shop_active:
            raise ApiFailure.of(SHOP_NOT_ACTIVE)
        if operation.is_write and shop.read_only:
            raise ApiFailure.of(READ_ONLY_SHOP)
        return shop

    def _query(self, request: Request, operation: Operation) -> dict[str, Json]:
        """Documented query parameters, typed, defaults applied; dates are left as text."""
        values: dict[str, Json] = {}
        for name, parameter in operation.query.items():
            raw = request.param(name)
            if raw is None or raw == "":
                values[name] = parameter.default
                continue
            schema = parameter.schema
            if schema.get("type") == "boolean":
                if raw.lower() not in ("true", "false"):
                    raise not_valid(name)
                values[name] = raw.lower() == "true"
            elif "enum" in schema and raw not in schema["enum"]:
                raise not_valid(name)
            else:
                values[name] = raw
        return values

    def _body(self, call: _Call, media_type: str = "application/json") -> Json:
        body = json_body(call.request.body)
        self.spec.check_body(call.operation, media_type, body)
        return body

    def _lock(self, call: _Call, *numbers: str) -> None:
        if self.state.check_locks(call.shop, numbers):
            raise ApiFailure.of(LOCKED)

    def _order_response(self, call: _Call, number: str) -> Response:
        order = self.state.order(call.shop, number)
        return Response.json(200, order.to_json(call.shop.bank, call.includes))

    # -- operations -----------------------------------------------------------------------

    def _submit_order(self, call: _Call) -> Response:
        number = call.path["orderNumber"]
        body = self._body(call)
        self._lock(call, number)
        self.state.submit_order(call.shop, number, body)
        return self._order_response(call, number)

    def _submit_orders(self, call: _Call) -> Response:
        bodies = self._body(call)
        self._lock(call, *(str(b["number"]) for b in bodies))
        numbers = self.state.submit_orders(call.shop, bodies)
        orders = [call.shop.orders[n] for n in dict.fromkeys(numbers)]
        return Response.json(200, [o.to_json(call.shop.bank, call.includes) for o in orders])

    def _get_order(self, call: _Call) -> Response:
        return self._order_response(call, call.path["orderNumber"])

    def _status_change(self, call: _Call, change: Callable[[ShopRecord, Any], None]) -> Response:
        number = call.path["orderNumber"]
        self._lock(call, number)
        change(call.shop, self.state.order(call.shop, number))
        return self._order_response(call, number)

    def _remove_order(self, call: _Call) -> Response:
        return self._status_change(call, self.state.remove)

    def _set_paid(self, call: _Call) -> Response:
        return self._status_change(call, self.state.set_paid)

    def _set_unpaid(self, call: _Call) -> Response:
        return self._status_change(call, self.state.set_unpaid)

    def _cancel(self, call: _Call) -> Response:
        return self._status_change(call, self.state.cancel)

    def _create_refund(self, call: _Call) -> Response:
        number = call.path["orderNumber"]
        body = self._body(call)
        self._lock(call, number)
        refund = self.state.create_refund(call.shop, self.state.order(call.shop, number), body)
        return Response.json(200, refund.to_json())

    def _submit_invoice(self, call: _Call) -> Response:
        number = call.path["orderNumber"]
        content_type = call.request.headers.get("content-type", "")
        part = file_part(content_type, call.request.body)
        if part is None:
            raise ApiFailure.of(FILE_MISSING)
        filename, part_type, data = part
        if not data:
            raise ApiFailure.of(FILE_EMPTY)
        self._lock(call, number)
        order = self.state.order(call.shop, number)
        upload = InvoiceUpload(
            invoice_number=call.path["invoiceNumber"],
            filename=filename,
            content_type=part_type,
            data=data,
            uploaded_at=self.state.now,
        )
        self.state.add_invoice(order, upload)
        return Response(200)

    def _read_orders(self, call: _Call) -> Response:
        max_age_text = str(call.query["maxAge"])  # absent: the spec's default (120 days)
        if not (max_age_text.isascii() and max_age_text.isdigit()):  # not '³'
            raise not_valid("maxAge")
        statuses = None
        status_text = call.query.get("paymentStatus")
        if status_text:
            statuses = frozenset(s.strip() for s in str(status_text).split(",") if s.strip())
            known = self.spec.document["components"]["schemas"]["PaymentStatus"]["enum"]
            if not statuses <= set(known):
                raise not_valid("paymentStatus")
        orders = _rules.read_orders(
            call.shop,
            today=self.state.today,
            max_age_days=int(max_age_text),
            statuses=statuses,
            min_posting_date=query_date(call.request, "minPostingDate"),
        )
        return Response.json(200, [o.to_json(call.shop.bank, call.includes) for o in orders])

    def _sync_orders(self, call: _Call) -> Response:
        numbers = self._body(call)
        return Response.json(200, self.state.sync_orders(call.shop, numbers))

    def _read_postings(self, call: _Call) -> Response:
        postings = _rules.read_postings(
            call.shop,
            created_min=query_date(call.request, "createdMin"),
            created_max=query_date(call.request, "createdMax"),
            iban=call.query.get("iban"),
        )
        result = []
        for posting in postings:
            item = posting.to_json()
            if call.query.get("includeOrders"):
                item["orders"] = [call.shop.orders[posting.order_number].write_json()]
            result.append(item)
        return Response.json(200, result)

    def _get_image(self, call: _Call) -> Response:
        image_type = str(call.query.get("type") or "QRCODE")
        order = self.state.order(call.shop, call.path["orderNumber"])
        png = _rules.image(call.shop, order, image_type)
        data = base64.b64encode(png).decode("ascii")
        return Response.json(200, {"type": image_type, "format": "png", "data": data})

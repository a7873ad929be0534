"""The drill's smoke script, run by ``tools/drill.py`` inside a mutated copy of the project.

    python tools/drill_smoke.py [MUTATION ...]

First it checks that ``komfortkasse`` and ``komfortkasse_generated`` are the copy's (not the
checkout's editable install) and runs a small order flow through ``Komfortkasse`` and
``AsyncKomfortkasse`` against the fake server (which checks its answers against the copy's
spec); then, for each mutation named (``tools/drill.py --list``), that what it added works
through the public clients, typed as the spec says, against the fake or an
``httpx.MockTransport``. The new parts exist only in the mutated copy, so they are reached by
name here (this file is type-checked in the checkout too). Prints one line per check; exits 1
at the first failure, with its traceback.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import inspect
import json
import os
import sys
import traceback
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

import komfortkasse
import komfortkasse_generated
from komfortkasse import (
    Address,
    AsyncKomfortkasse,
    BadRequestError,
    Komfortkasse,
    OrderNotFoundError,
    OrderRead,
    OrderType,
    OrderWrite,
    OrderWriteWithNumber,
    RetryPolicy,
    ServerError,
    ValidationError,
    callbacks,
)
from komfortkasse.testing import FakeKomfortkasse
from komfortkasse_generated import models
from komfortkasse_generated.api import OPERATIONS
from komfortkasse_generated.error_table import ERRORS

#: The project this script belongs to: the mutated copy, when the drill runs it.
ROOT = Path(__file__).resolve().parent.parent
KEY = "drill-key"
BASE = "https://drill.example/api/v2"
DAY = datetime.date(2024, 5, 2)
WIRE_DAY = "02-05-2024"
#: Retries without waiting (the checks that count attempts should not sleep).
QUICK_RETRY = RetryPolicy(initial_delay=0.0, max_delay=0.0, jitter=0.0)


class SmokeFailure(Exception):
    """A check of the smoke script failed."""


def expect(condition: object, what: str) -> None:
    """Fail with ``what`` unless ``condition`` holds (not ``assert``: ``-O`` keeps it)."""
    if not condition:
        raise SmokeFailure(what)


def same(actual: object, expected: object, what: str) -> None:
    if actual != expected:
        raise SmokeFailure(f"{what}: got {actual!r}, expected {expected!r}")


def order_json(number: str = "1", **changes: Any) -> dict[str, Any]:
    """An ``OrderRead`` as the API answers it."""
    return {
        "number": number,
        "date": "25-04-2018",
        "type": "INVOICE",
        "amount": 22.38,
        "currency": "EUR",
        "billing": {"lastName": "Muster", "countryCode": "DE"},
        "paymentStatus": "UNPAID",
        **changes,
    }


def an_order(day: datetime.date, **changes: Any) -> OrderWrite:
    """A valid ``OrderWrite`` dated ``day``; ``changes`` may name fields a mutation added."""
    fields: dict[str, Any] = {
        "date": day,
        "type_": OrderType.INVOICE,
        "amount": Decimal("22.38"),
        "currency": "EUR",
        "billing": Address(country_code="DE", last_name="Muster"),
        **changes,
    }
    return OrderWrite(**fields)


def model(name: str) -> Any:
    """A generated model class by name (the new ones exist only in the mutated copy)."""
    found = getattr(models, name, None)
    expect(found is not None, f"komfortkasse_generated.models has no {name}")
    expect(name in models.__all__, f"komfortkasse_generated.models does not export {name}")
    return found


def hints(cls: type) -> dict[str, Any]:
    """A model's resolved annotations (its TYPE_CHECKING imports come from ``models``)."""
    namespace = {**vars(models), **vars(sys.modules[cls.__module__])}
    return typing.get_type_hints(cls, globalns=namespace)


def flat(hint: object) -> set[object]:
    """Every type named in ``hint``, unions and generics unpacked."""
    found = {hint}
    for arg in typing.get_args(hint):
        found |= flat(arg)
    return found


def json_body(request: httpx.Request) -> Any:
    return json.loads(request.content, parse_float=Decimal)


def query(request: httpx.Request) -> dict[str, str]:
    return dict(request.url.params)


class Mock:
    """Clients on an ``httpx.MockTransport`` that records the requests and answers
    each with ``answer(request)``."""

    def __init__(self, answer: Callable[[httpx.Request], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    @classmethod
    def json(cls, value: Any, status: int = 200) -> Mock:
        return cls(lambda request: httpx.Response(status, json=value))

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.answer(request)

    def client(self, **options: Any) -> Komfortkasse:
        http = httpx.Client(transport=httpx.MockTransport(self._handle))
        return Komfortkasse(KEY, base_url=BASE, http_client=http, **options)

    def async_client(self, **options: Any) -> AsyncKomfortkasse:
        http = httpx.AsyncClient(transport=httpx.MockTransport(self._handle))
        return AsyncKomfortkasse(KEY, base_url=BASE, http_client=http, **options)

    def both(self, call: Callable[[Any], Any], **options: Any) -> list[Any]:
        """``call(client)`` with the sync client, then awaited with the async one."""
        with self.client(**options) as client:
            first = call(client)

        async def run() -> Any:
            async with self.async_client(**options) as aclient:
                return await call(aclient)

        return [first, asyncio.run(run())]

    def raises(self, error: type[Exception], call: Callable[[Any], Any]) -> list[Any]:
        """The ``error`` that ``call`` raises with the sync and with the async client."""
        caught: list[Any] = []
        with self.client() as client:
            try:
                call(client)
            except error as exc:
                caught.append(exc)

        async def run() -> None:
            async with self.async_client() as aclient:
                try:
                    await call(aclient)
                except error as exc:
                    caught.append(exc)

        asyncio.run(run())
        same(len(caught), 2, f"clients raising {error.__name__}")
        return caught


@contextmanager
def fake_client() -> Iterator[tuple[FakeKomfortkasse, Komfortkasse]]:
    """The fake (checking each of its answers against the copy's spec) and a client."""
    with FakeKomfortkasse(check_responses=True) as fake, fake.client() as client:
        yield fake, client


def fake_async(fake: FakeKomfortkasse, call: Callable[[Any], Any]) -> Any:
    """``call(aclient)`` awaited with an async client of ``fake``."""

    async def run() -> Any:
        async with fake.async_client() as aclient:
            return await call(aclient)

    return asyncio.run(run())


# --------------------------------------------------------------------------- always


def check_imports() -> None:
    """The copy's code is what runs, not the checkout's editable install."""
    expected = os.environ.get("KOMFORTKASSE_DRILL_ROOT")
    expect(expected, "KOMFORTKASSE_DRILL_ROOT is not set: run by tools/drill.py")
    root = Path(str(expected)).resolve()
    same(ROOT, root, "this script's project")
    for module in (komfortkasse, komfortkasse_generated, komfortkasse.testing, models):
        where = Path(module.__file__ or "").resolve()
        expect(where.is_relative_to(root), f"{module.__name__} imported from {where}, not {root}")
    shipped = Path(komfortkasse_generated.__file__ or "").parent / "openapi.json"
    spec = root / "openapi" / "komfortkasse-v2.openapi.json"
    expect(shipped.read_bytes() == spec.read_bytes(), "the generated package ships another spec")


def check_order_flow() -> None:
    """Submit, read and list through both clients against the fake."""
    with fake_client() as (fake, client):
        stored = client.orders.submit("D-1", an_order(fake.today))
        same((stored.number, stored.amount), ("D-1", Decimal("22.38")), "submitted order")
        same(client.orders.get("D-1").billing.last_name, "Muster", "billing.last_name")
        same([order.number for order in client.orders.list()], ["D-1"], "orders.list()")
        same(client.postings.list(), [], "postings.list()")
        got = fake_async(fake, lambda aclient: aclient.orders.get("D-1"))
        expect(isinstance(got, OrderRead), f"async orders.get gave {got!r}")
        same(got.number, "D-1", "async orders.get number")


# --------------------------------------------------------------------------- per mutation


def check_optional_field() -> None:
    expect(str in flat(hints(OrderRead)["tracking_url"]), "OrderRead.tracking_url is not a str")
    url = "https://track.example/1"
    for order in Mock.json(order_json("1", trackingUrl=url)).both(lambda c: c.orders.get("1")):
        same(getattr(order, "tracking_url", None), url, "orders.get(...).tracking_url")
    # Read-only in the spec: never sent back when a read order is resubmitted.
    read = OrderRead.from_dict(order_json("1", trackingUrl=url))
    mock = Mock.json(order_json("1"))
    mock.both(lambda c: c.orders.submit("1", read))
    same([("trackingUrl" in json_body(r)) for r in mock.requests], [False] * 2, "trackingUrl sent")
    with fake_client() as (fake, client):
        client.orders.submit("T-1", an_order(fake.today))
        same(client.orders.get("T-1").additional_properties, {}, "unknown fields from the fake")


def check_nested_optional_field() -> None:
    expect(str in flat(hints(Address)["state"]), "Address.state is not a str")
    billing = Address(**{"country_code": "DE", "last_name": "M", "state": "BY"})
    with fake_client() as (fake, client):
        client.orders.submit("N-1", an_order(fake.today, billing=billing))
        same(getattr(client.orders.get("N-1").billing, "state", None), "BY", "billing.state")
        got = fake_async(fake, lambda aclient: aclient.orders.get("N-1"))
        same(getattr(got.billing, "state", None), "BY", "async billing.state")


def check_enum_value() -> None:
    disputed = getattr(models.PaymentStatus, "DISPUTED", None)
    expect(disputed is not None, "PaymentStatus has no DISPUTED")
    same(getattr(disputed, "value", None), "DISPUTED", "PaymentStatus.DISPUTED.value")
    mock = Mock.json([order_json("1", paymentStatus="DISPUTED")])
    for orders in mock.both(lambda c: c.orders.list(payment_status=disputed)):
        expect(orders[0].payment_status is disputed, f"decoded {orders[0].payment_status!r}")
    same([query(r)["paymentStatus"] for r in mock.requests], ["DISPUTED"] * 2, "paymentStatus")
    with fake_client() as (_, client):
        same(client.orders.list(payment_status="DISPUTED"), [], "the fake's DISPUTED orders")


def _enum_in(hint: object) -> type[enum.Enum]:
    found = [t for t in flat(hint) if isinstance(t, type) and issubclass(t, enum.Enum)]
    same(len(found), 1, f"enums in {hint}")
    return found[0]


def check_array_item_enum() -> None:
    hint = hints(OrderWrite)["payment_methods"]
    methods = _enum_in(hint)
    same({m.value for m in methods}, {"SEPA_TRANSFER", "CARD", "PAYPAL"}, "the item enum")
    model(methods.__name__)
    expect(str in flat(hint), f"the item enum is not open: {hint}")
    decoded = OrderRead.from_dict(order_json("1", paymentMethods=["CARD", "CRYPTO"]))
    same(getattr(decoded, "payment_methods", None), [methods("CARD"), "CRYPTO"], "decoded")
    sepa = methods("SEPA_TRANSFER")
    with fake_client() as (fake, client):
        client.orders.submit("E-1", an_order(fake.today, payment_methods=[sepa]))
        got = client.orders.get("E-1")
        same(getattr(got, "payment_methods", None), [sepa], "payment_methods from the fake")


def _new_method(client: Any, resource: str, name: str) -> Any:
    """``client.<resource>.<name>``, which must be a method of the right kind."""
    method = getattr(getattr(client, resource, None), name, None)
    expect(method is not None, f"{type(client).__name__}.{resource}.{name} is missing")
    is_async = isinstance(client, AsyncKomfortkasse)
    same(inspect.iscoroutinefunction(method), is_async, f"{resource}.{name} is a coroutine")
    return method


def check_get_operation() -> None:
    parcel = model("Parcel")
    expect(OPERATIONS["readParcels"].reply.model is parcel, "readParcels does not answer Parcel")
    for client in (Mock.json([]).client(), Mock.json([]).async_client()):
        method = _new_method(client, "parcels", "read_parcels")
        parameter = inspect.signature(method).parameters["shipped_since"]
        same(parameter.kind, inspect.Parameter.KEYWORD_ONLY, "shipped_since kind")
        hint = typing.get_type_hints(method)["shipped_since"]
        expect(datetime.date in flat(hint), f"shipped_since is typed {hint}")
        expect("Read Parcels" in (method.__doc__ or ""), "the docstring lacks the summary")
    mock = Mock.json([{"orderNumber": "1", "carrier": "DHL"}])
    for parcels in mock.both(lambda c: c.parcels.read_parcels(shipped_since=DAY)):
        same([type(p) for p in parcels], [parcel], "decoded")
        same(parcels[0].carrier, "DHL", "parcel carrier")
    for request in mock.requests:
        same((request.method, request.url.path), ("GET", "/api/v2/parcels"), "request")
        same(query(request), {"shippedSince": WIRE_DAY}, "query")
    refused = Mock.json([])
    for error in refused.raises(
        ValidationError, lambda c: c.parcels.read_parcels(shipped_since="2024-05-02")
    ):
        expect("shipped_since" in str(error), f"the error does not name the parameter: {error}")
    same(refused.requests, [], "requests sent with a bad parameter")
    # A new GET is safe to repeat: a 500 is retried.
    statuses = iter([500, 200] * 2)
    flaky = Mock(lambda request: httpx.Response(next(statuses), json=[]))
    same(flaky.both(lambda c: c.parcels.read_parcels(), retry=QUICK_RETRY), [[], []], "retried")
    same(len(flaky.requests), 4, "attempts")
    _fake_does_not_simulate("readParcels", lambda c: c.parcels.read_parcels())


def _fake_does_not_simulate(operation_id: str, call: Callable[[Any], Any]) -> None:
    """The fake answers a documented operation it does not simulate with a JSON 501
    naming the operationId, which the client raises as a ``ServerError``."""
    with fake_client() as (_, client):
        try:
            call(client.with_options(retry=RetryPolicy.never()))
        except ServerError as exc:
            same(exc.status_code, 501, f"the fake's status for {operation_id}")
            named = operation_id in exc.message or operation_id.encode() in exc.body
            expect(named, f"the fake's 501 does not name {operation_id}: {exc}")
            return
        except Exception as exc:
            raise SmokeFailure(f"the fake: no JSON 501 naming {operation_id}: {exc!r}") from None
    raise SmokeFailure(f"the fake answered {operation_id}, which it does not simulate")


def check_post_operation() -> None:
    write, read = model("ShipmentWrite"), model("ShipmentRead")
    expect(OPERATIONS["createShipment"].reply.model is read, "createShipment: not ShipmentRead")
    expect(datetime.date in flat(hints(write)["shipping_date"]), "shipping_date is not a date")
    for client in (Mock.json({}).client(), Mock.json({}).async_client()):
        method = _new_method(client, "orders", "create_shipment")
        same(typing.get_type_hints(method)["body"], write, "the body's type")
        expect("Record a shipment" in (method.__doc__ or ""), "the docstring lacks the summary")
    body = write(carrier="DHL", shipping_date=DAY)
    answer = {"carrier": "DHL", "shippingDate": WIRE_DAY, "id": "S-1"}
    mock = Mock.json(answer)
    for shipment in mock.both(lambda c: c.orders.create_shipment("A/1", body)):
        expect(type(shipment) is read, f"decoded {shipment!r}")
        same((shipment.id, shipment.shipping_date), ("S-1", DAY), "decoded shipment")
    for request in mock.requests:
        path = (request.method, request.url.raw_path)
        same(path, ("POST", b"/api/v2/order/A%2F1/shipment"), "request")
        same(json_body(request), {"carrier": "DHL", "shippingDate": WIRE_DAY}, "body")
    wrong = Mock.json(answer)
    for error in wrong.raises(ValidationError, lambda c: c.orders.create_shipment("1", "DHL")):
        expect("body" in str(error), f"the error does not name the body: {error}")
    same(wrong.requests, [], "requests sent with a bad body")
    missing = Mock.json({"error": "Order '1' not found"}, status=404)
    missing.raises(OrderNotFoundError, lambda c: c.orders.create_shipment("1", body))
    # A new POST is not safe to repeat: a 500 is not retried.
    failing = Mock.json({"error": "boom"}, status=500)
    failing.raises(
        ServerError, lambda c: c.with_options(retry=QUICK_RETRY).orders.create_shipment("1", body)
    )
    same(len(failing.requests), 2, "attempts (one per client)")
    _fake_does_not_simulate("createShipment", lambda c: c.orders.create_shipment("1", body))


def check_error_row() -> None:
    template = "Invoice {invoiceNumber} already uploaded"
    same([row[0] for row in ERRORS if row[1] == template], [400], "the generated error row")
    message = "Invoice INV-7 already uploaded"
    for status in (400, 200):  # the invoice upload also answers errors with a 200
        mock = Mock.json({"error": message}, status=status)
        for error in mock.raises(
            BadRequestError, lambda c: c.orders.upload_invoice("1", "INV-7", b"%PDF-1.4")
        ):
            same((error.message, error.status_code), (message, 400), f"HTTP {status}: the error")
    for error in Mock.json({"error": message}, status=400).raises(
        BadRequestError, lambda c: c.orders.get("1")
    ):
        same(error.message, message, "the error's message")


def check_amount_field() -> None:
    hint = hints(OrderWrite)["shipping_cost"]
    expect(Decimal in flat(hint) and float not in flat(hint), f"shipping_cost is typed {hint}")
    decoded = getattr(OrderRead.from_dict(order_json("1", shippingCost=4.9)), "shipping_cost", 0)
    same((type(decoded), decoded), (Decimal, Decimal("4.9")), "decoded shipping_cost")
    mock = Mock.json(order_json("1", shippingCost=4.9))
    order = an_order(datetime.date(2024, 5, 1), shipping_cost=Decimal("4.90"))
    mock.both(lambda c: c.orders.submit("1", order))
    sent = [json_body(r)["shippingCost"] for r in mock.requests]
    same(sent, [Decimal("4.90")] * 2, "shippingCost sent")
    with fake_client() as (fake, client):
        client.orders.submit("A-1", an_order(fake.today, shipping_cost=Decimal("4.90")))
        got = getattr(client.orders.get("A-1"), "shipping_cost", None)
        same(got, Decimal("4.90"), "shipping_cost from the fake")


def check_date_field() -> None:
    hint = hints(OrderWrite)["delivered_on"]
    expect(datetime.date in flat(hint), f"delivered_on is typed {hint}")
    decoded = OrderRead.from_dict(order_json("1", deliveredOn=WIRE_DAY))
    same(getattr(decoded, "delivered_on", None), DAY, "decoded delivered_on")
    try:
        OrderRead.from_dict(order_json("1", deliveredOn="2024-05-02"))
    except ValueError as exc:
        expect("deliveredOn" in str(exc), f"the error does not name deliveredOn: {exc}")
    else:
        raise SmokeFailure("a malformed deliveredOn was accepted")
    mock = Mock.json(order_json("1", deliveredOn=WIRE_DAY))
    order = an_order(datetime.date(2024, 5, 1), delivered_on=DAY)
    for answer in mock.both(lambda c: c.orders.submit("1", order)):
        same(getattr(answer, "delivered_on", None), DAY, "answer's delivered_on")
    same([json_body(r)["deliveredOn"] for r in mock.requests], [WIRE_DAY] * 2, "deliveredOn sent")
    with fake_client() as (fake, client):
        client.orders.submit("W-1", an_order(fake.today, delivered_on=DAY))
        same(getattr(client.orders.get("W-1"), "delivered_on", None), DAY, "from the fake")


def check_timestamp_field() -> None:
    """Stays ``str``, and every operation that answers orders still reads them."""
    hint = hints(OrderRead)["last_changed"]
    expect(str in flat(hint) and datetime.date not in flat(hint), f"last_changed is typed {hint}")
    stamp = "02-05-2024 13:45:00"
    one = order_json("1", lastChanged=stamp)
    write = {k: v for k, v in one.items() if k not in ("paymentStatus", "lastChanged")}
    numbered = OrderWriteWithNumber.from_dict(write)
    calls: dict[str, tuple[Any, Callable[[Any], Any]]] = {
        "getOrder": (one, lambda c: c.orders.get("1")),
        "readOrders": ([one], lambda c: c.orders.list()),
        "submitOrder": (one, lambda c: c.orders.submit("1", an_order(DAY))),
        "submitOrders": ([one], lambda c: c.orders.submit_many([numbered])),
        "setOrderPaid": (one, lambda c: c.orders.set_paid("1")),
        "setOrderUnpaid": (one, lambda c: c.orders.set_unpaid("1")),
        "cancelOrder": (one, lambda c: c.orders.cancel("1")),
        "removeOrder": (one, lambda c: c.orders.remove("1")),
    }
    answering = {op for op, operation in OPERATIONS.items() if operation.reply.model is OrderRead}
    same(sorted(answering - set(calls)), [], "operations answering orders not read here")
    for operation_id, (answer, call) in calls.items():
        for result in Mock.json(answer).both(call):
            orders = result if isinstance(result, list) else [result]
            same([getattr(o, "last_changed", None) for o in orders], [stamp], operation_id)
    body = json.dumps(one).encode()
    order = callbacks.parse({callbacks.ACCESS_CODE_HEADER: "code"}, body, "code")
    same(getattr(order, "last_changed", None), stamp, "a callback's last_changed")
    with fake_client() as (fake, client):
        client.orders.submit("S-1", an_order(fake.today))
        same([o.number for o in client.orders.list()], ["S-1"], "orders from the fake")


ALWAYS: tuple[Callable[[], None], ...] = (check_imports, check_order_flow)
#: The checks of each mutation, by the names in ``tools/drill.py``.
CHECKS: dict[str, Callable[[], None]] = {
    "optional-field": check_optional_field,
    "nested-optional-field": check_nested_optional_field,
    "enum-value": check_enum_value,
    "array-item-enum": check_array_item_enum,
    "get-operation": check_get_operation,
    "post-operation": check_post_operation,
    "error-row": check_error_row,
    "amount-field": check_amount_field,
    "date-field": check_date_field,
    "timestamp-field": check_timestamp_field,
}


def main(argv: list[str]) -> int:
    unknown = [name for name in argv if name not in CHECKS]
    if unknown:
        print(f"drill_smoke: no checks for {', '.join(unknown)}", file=sys.stderr)
        return 2
    checks = (*ALWAYS, *(CHECKS[name] for name in argv))
    failed: list[str] = []
    for check in checks:
        try:
            check()
        except Exception as exc:
            traceback.print_exc()
            failed.append(f"{check.__name__} ({str(exc)[:300]})")
            print(f"FAILED {check.__name__}", file=sys.stderr, flush=True)
            if check is check_imports:
                break  # not the copy's code: nothing else would mean anything
        else:
            print(f"ok {check.__name__}", flush=True)
    if failed:
        print(f"smoke: {len(failed)} of {len(checks)} checks failed: {'; '.join(failed)}")
        return 1
    print(f"smoke: all {len(checks)} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

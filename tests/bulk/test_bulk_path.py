"""The bulk path's fast paths (issue 13) behave exactly as the general ones.

No timing here: ``make bench`` prints the figures. These tests pin what the
optimisations must not change: the collector is always restored, the async
stream keeps input order and its default concurrency, a bulk answer in another
order is still believed, the wire dates are the same, and the client's import
loads no model.
"""

from __future__ import annotations

import datetime
import gc
import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import anyio
import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from komfortkasse import (
    Address,
    AsyncKomfortkasse,
    BulkSubmitError,
    Komfortkasse,
    OrderRead,
    OrderType,
    OrderWriteWithNumber,
    ResponseValidationError,
    ValidationError,
)
from komfortkasse._resources import DEFAULT_CONCURRENCY
from komfortkasse_generated import models
from komfortkasse_generated._ops import paused_gc
from komfortkasse_generated._wire import WireError, date_at, date_out
from komfortkasse_generated.api import OPERATIONS

BASE_URL = "https://kk.test.invalid/api/v2"


def _orders(count: int) -> list[OrderWriteWithNumber]:
    return [
        OrderWriteWithNumber(
            number=f"B-{n}",
            date=datetime.date(2026, 11, 2),
            type_=OrderType.INVOICE,
            amount=Decimal("9.90"),
            currency="EUR",
            billing=Address(country_code="DE", last_name=f"Kunde {n}"),
        )
        for n in range(count)
    ]


def _echo(body: bytes, *, reverse: bool = False) -> bytes:
    answer = [{**order, "paymentStatus": "UNPAID"} for order in json.loads(body)]
    return json.dumps(answer[::-1] if reverse else answer).encode()


# -- the collector ---------------------------------------------------------------------


def test_paused_gc_restores_the_collector_also_on_error() -> None:
    seen: list[bool] = []

    def fails() -> None:
        with paused_gc():
            seen.append(gc.isenabled())
            raise KeyError("x")

    assert gc.isenabled()
    with pytest.raises(KeyError):
        fails()
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # a caller's own choice is left alone
    finally:
        gc.enable()


def test_bulk_submit_leaves_the_collector_on_after_success_and_refusal() -> None:
    seen: list[bool] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(gc.isenabled())  # not paused across the exchange itself
        return httpx.Response(200, content=_echo(request.content))

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        Komfortkasse(api_key="k", base_url=BASE_URL, http_client=http) as client,
    ):
        assert len(client.orders.submit_many(_orders(5), chunk_size=2)) == 5
        assert gc.isenabled()
        bad = _orders(1)
        bad[0].currency = "eur"
        with pytest.raises(BulkSubmitError, match="currency") as stopped:
            client.orders.submit_many(bad)
        assert isinstance(stopped.value.error, ValidationError)
        assert gc.isenabled()
    assert seen == [True, True, True]


def test_a_wrong_answer_leaves_the_collector_on() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b'[{"number": 1}]')

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        Komfortkasse(api_key="k", base_url=BASE_URL, http_client=http) as client,
        pytest.raises(BulkSubmitError) as stopped,
    ):
        client.orders.submit_many(_orders(1))
    assert isinstance(stopped.value.error, ResponseValidationError)
    assert gc.isenabled()


# -- answers ------------------------------------------------------------------------------


def test_a_bulk_answer_in_another_order_is_believed_and_returned_as_sent() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=_echo(request.content, reverse=True))

    with (
        httpx.Client(transport=httpx.MockTransport(handle)) as http,
        Komfortkasse(api_key="k", base_url=BASE_URL, http_client=http) as client,
    ):
        reads = client.orders.submit_many(_orders(3))
    assert [read.number for read in reads] == ["B-2", "B-1", "B-0"]  # as the API answered
    assert all(isinstance(read, OrderRead) for read in reads)


# -- the async stream -----------------------------------------------------------------


def test_async_default_concurrency_is_eight_and_results_keep_input_order() -> None:
    assert DEFAULT_CONCURRENCY == 8
    in_flight = [0, 0]  # now, most
    full = anyio.Event()

    async def handle(request: httpx.Request) -> httpx.Response:
        in_flight[0] += 1
        in_flight[1] = max(in_flight[1], in_flight[0])
        if in_flight[0] == DEFAULT_CONCURRENCY:
            full.set()
        body = request.content
        # Nothing answers before the default number of chunks is in flight (however
        # slowly a loaded machine starts them), or a few seconds have shown it never is.
        with anyio.move_on_after(5):
            await full.wait()
        # Later chunks answer sooner: the stream must still hand out input order.
        await anyio.sleep(0.002 * (30 - int(json.loads(body)[0]["number"][2:])) / 10)
        in_flight[0] -= 1
        return httpx.Response(200, content=_echo(body))

    async def go() -> list[str]:
        async with (
            httpx.AsyncClient(transport=httpx.MockTransport(handle)) as http,
            AsyncKomfortkasse(api_key="k", base_url=BASE_URL, http_client=http) as client,
        ):
            reads = await client.orders.submit_many(_orders(30), chunk_size=1)
            async with client.orders.submit_iter(_orders(30), chunk_size=3) as stream:
                streamed = [read.number async for read in stream]
            assert streamed == [read.number for read in reads]
            return [read.number for read in reads]

    numbers = anyio.run(go)
    assert numbers == [f"B-{n}" for n in range(30)]
    assert in_flight[1] == DEFAULT_CONCURRENCY


# -- wire dates ---------------------------------------------------------------------------


def _reference_parse(value: str) -> datetime.date | None:
    """The strict dd-MM-yyyy reading the C fast path replaced."""
    if len(value) == 10 and value[2] == "-" and value[5] == "-":
        day, month, year = value[:2], value[3:5], value[6:]
        if value.isascii() and day.isdigit() and month.isdigit() and year.isdigit():
            try:
                return datetime.date(int(year), int(month), int(day))
            except ValueError:
                return None
    return None


@given(
    st.text(alphabet="0123456789-+ W\u0661\u00b2T:.Z", min_size=10, max_size=10).map(
        lambda text: text[:2] + "-" + text[3:5] + "-" + text[6:]
    )
)
def test_dates_are_read_exactly_as_the_strict_rule_says(value: str) -> None:
    expected = _reference_parse(value)
    if expected is None:
        with pytest.raises(WireError, match="dd-MM-yyyy"):
            date_at(value)
    else:
        assert date_at(value) == expected


@given(st.dates())
def test_dates_are_written_dd_mm_yyyy(day: datetime.date) -> None:
    assert date_out(day) == f"{day.day:02d}-{day.month:02d}-{day.year:04d}"
    assert date_at(date_out(day)) == day


def test_a_date_subclass_cannot_change_the_wire_form() -> None:
    class Odd(datetime.date):
        def isoformat(self) -> str:
            return "not a date"

    assert date_out(Odd(2026, 1, 2)) == "02-01-2026"


# -- lazy imports --------------------------------------------------------------------------


def test_importing_the_client_loads_no_model_attrs_anyio_or_httpcore() -> None:
    code = (
        "import sys\n"
        "from komfortkasse import Komfortkasse, AsyncKomfortkasse\n"
        "heavy = ('attrs', 'anyio', 'httpcore', 'komfortkasse_generated.models.order_read')\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["[]"]


def test_the_models_package_imports_a_model_at_first_use() -> None:
    code = (
        "import sys\n"
        "import komfortkasse_generated.models as m\n"
        "print(any(k.startswith('komfortkasse_generated.models.') for k in sys.modules))\n"
        "print(m.Address.__name__, 'komfortkasse_generated.models.order_read' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "Address", "False"]
    assert set(models.__all__) <= set(dir(models))
    with pytest.raises(AttributeError, match="NoSuchModel"):
        models.NoSuchModel  # noqa: B018


def test_descriptors_name_their_models_and_resolve_them() -> None:
    reply: Any = OPERATIONS["getOrder"].reply
    assert reply.model == "OrderRead"
    assert reply.model_class() is OrderRead
    body: Any = OPERATIONS["submitOrders"].body
    assert body.model_class() is OrderWriteWithNumber
    assert OPERATIONS["syncOrders"].body is not None
    assert OPERATIONS["syncOrders"].body.model_class() is str

"""Benchmark 2: decoding a large ``GET /orders`` answer.

2a, the public client against the stock generator: ``client.orders.list()``
on an ``httpx.MockTransport`` that serves a prepared body of 10,000 orders,
vs the same bytes decoded by a reference generation with the generator's stock
templates (``bench._reference``, built into a temporary folder in this run):
``json.loads`` + ``[OrderRead.from_dict(x) for x in data]``. Ours checks more
(types, dates, the response shape) and should still be faster.

2b, what the hand-written layer adds: the public decode path
(``_call.decode_response`` with the very ``Call`` that ``client.orders.list()``
builds) vs ``json.loads`` plus the project's own generated
``OrderRead.from_dict``; the models' own cost is on both sides. Its 10,000
orders are decoded as ten ``GET /orders`` bodies of 1,000 with the sides
alternating body by body: on a shared virtual machine the CPU's speed drifts
over seconds, and this keeps that drift off one side; per order the work is
the same.

Decoding is pure CPU (no I/O, no sleeping), so both rows are timed by process
CPU time.
"""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

import httpx

import komfortkasse_generated._wire as wire
from bench import _mock
from bench._harness import (
    Row,
    Sample,
    Target,
    alternate,
    interleaved,
    ratio,
    self_time_by_file,
    timed,
)
from bench._orders import order_read_body
from bench._reference import ReferenceBuildError, stock_reference
from komfortkasse import OrderRead
from komfortkasse import _call as core
from komfortkasse import _operations as ops
from komfortkasse_generated.api import OPERATIONS

#: Issue 9: checking more, yet faster than the stock output.
STOCK_TARGET = Target("<=", 0.8)


def _stock_row(rounds: int, orders: int, body: bytes, order_read: Any, note: str) -> Row:
    with _mock.sync_client(_mock.canned(body)) as client:

        def ours() -> float:
            return timed(client.orders.list, time.process_time)

        def stock() -> float:
            return timed(
                lambda: [order_read.from_dict(x) for x in json.loads(body)], time.process_time
            )

        got = client.orders.list()
        reference = [order_read.from_dict(x) for x in json.loads(body)]
        if len(got) != orders or len(reference) != orders or got[0].number != reference[0].number:
            raise RuntimeError("the two decodes disagree on the orders")
        mine, theirs = interleaved(ours, stock, rounds)
    mine, theirs = mine.scaled(1e3), theirs.scaled(1e3)
    per_round = Sample(tuple(a / b for a, b in zip(mine.values, theirs.values, strict=True)))
    return Row(
        name=f"2a. decode GET /orders, {orders:,} orders: orders.list vs stock templates",
        unit="ms CPU",
        ours=mine,
        baseline=theirs,
        figure=ratio(mine, theirs),
        target=STOCK_TARGET,
        notes=(
            f"one {len(body) / 1e6:.1f} MB body per side and round; ours: client.orders.list() "
            f"on a MockTransport ({mine.median / orders * 1e3:.1f} us/order), stock: json.loads "
            f"+ OrderRead.from_dict ({theirs.median / orders * 1e3:.1f} us/order); per-round "
            f"ratio {per_round.median:.2f}x ({per_round.low:.2f}-{per_round.high:.2f})",
            note,
        ),
    )


def stock(rounds: int, orders: int) -> list[Row]:
    """Row 2a: process CPU milliseconds for one ``orders``-order ``GET /orders``,
    the public client vs the stock-template reference (built here, then deleted)."""
    body = order_read_body(orders)
    try:
        with stock_reference() as reference:
            note = (
                f"reference: openapi-python-client {reference.generator_version}, stock "
                "templates, on the normalised spec with its "
                f"{reference.dates_unformatted} 'format: date' removed (the stock date template "
                "cannot parse dd-MM-yyyy), so its dates stay str; its amounts are float"
            )
            return [_stock_row(rounds, orders, body, reference.order_read, note)]
    except ReferenceBuildError as error:
        with _mock.sync_client(_mock.canned(body)) as client:
            mine = Sample(
                tuple(timed(client.orders.list, time.process_time) * 1e3 for _ in range(rounds))
            )
        return [
            Row(
                name=f"2a. decode GET /orders, {orders:,} orders: orders.list vs stock templates",
                unit="ms CPU",
                ours=mine,
                baseline=None,
                figure=float("nan"),
                target=None,
                notes=(f"reference build failed, no comparison: {error}",),
            )
        ]


def run(rounds: int, orders: int, page: int = 1_000) -> list[Row]:
    """One row: CPU milliseconds to decode ``orders`` orders per round, public
    path vs from_dict, as ``orders / page`` bodies of ``page`` orders each,
    alternating between the sides body by body (see the module docstring)."""
    page = min(page, max(1, orders // 10))  # at least ten pages to alternate
    pages = max(1, orders // page)
    body = order_read_body(page)
    call = ops.build_call(OPERATIONS["readOrders"], {}, {}, None, datetime.date.today())
    headers = httpx.Headers()

    def ours(count: int) -> None:
        for _ in range(count):
            core.decode_response(call, 200, headers, body)

    def generated(count: int) -> None:
        for _ in range(count):
            [OrderRead.from_dict(item) for item in json.loads(body)]

    if len(core.decode_response(call, 200, headers, body)) != page:
        raise RuntimeError("decode_response lost orders")
    tallies = [alternate(ours, generated, pages, pages) for _ in range(rounds)]
    mine = Sample(tuple(a.cpu * 1e3 for a, _ in tallies))
    theirs = Sample(tuple(b.cpu * 1e3 for _, b in tallies))
    decoded = page * pages
    per_order = mine.median / decoded * 1e3
    share = theirs.median / mine.median
    target = Target("<=", 1.3)
    notes = [
        f"{pages} bodies of {page:,} orders ({len(body) / 1e6:.1f} MB each) per side and round; "
        f"{per_order:.0f} us per order on the public path, {share:.0%} of it json.loads + the "
        "generated OrderRead.from_dict",
    ]
    if not target.met(ratio(mine, theirs)):
        profile = self_time_by_file(lambda: ours(min(pages, 2)))
        notes.append(f"public path's own time by file (cProfile): {profile}")
    return [
        Row(
            name=f"2b. decode GET /orders, {decoded:,} orders: public path vs own from_dict",
            unit="ms CPU",
            ours=mine,
            baseline=theirs,
            figure=ratio(mine, theirs),
            target=target,
            notes=tuple(notes),
        )
    ]


def json_codec() -> str:
    """Which JSON codec the client uses in this venv: for answers, and for the
    request bodies of models that hold only JSON's own types."""
    try:
        import msgspec
    except ImportError:
        return "the standard library's json (no speedups extra)"
    version = msgspec.__version__
    return (
        f"msgspec {version} (the speedups extra) parses answers and writes plain request "
        "bodies; the standard library's json for what it refuses"
    )


def speedups(rounds: int, orders: int, page: int = 1_000) -> list[Row]:
    """2c (diagnostic): the public decode path with the ``speedups`` extra's
    msgspec decoder vs the same path on the standard library's ``json`` alone."""
    try:
        import msgspec  # noqa: F401
    except ImportError:
        return []
    page = min(page, max(1, orders // 10))
    pages = max(1, orders // page)
    body = order_read_body(page)
    call = ops.build_call(OPERATIONS["readOrders"], {}, {}, None, datetime.date.today())
    headers = httpx.Headers()
    saved: object = None

    def with_extra(count: int) -> None:
        wire._FAST = saved
        for _ in range(count):
            core.decode_response(call, 200, headers, body)

    def without(count: int) -> None:
        wire._FAST = None
        try:
            for _ in range(count):
                core.decode_response(call, 200, headers, body)
        finally:
            wire._FAST = saved

    wire.loads(b"{}")  # msgspec looked up, as at a client's first answer
    saved = wire._FAST
    tallies = [alternate(with_extra, without, pages, pages) for _ in range(rounds)]
    mine = Sample(tuple(a.cpu * 1e3 for a, _ in tallies))
    theirs = Sample(tuple(b.cpu * 1e3 for _, b in tallies))
    decoded = page * pages
    saved_us = (theirs.median - mine.median) / decoded * 1e3
    return [
        Row(
            name=f"2c. decode GET /orders, {decoded:,} orders: speedups extra (msgspec) vs json",
            unit="ms CPU",
            ours=mine,
            baseline=theirs,
            figure=ratio(mine, theirs),
            target=None,
            notes=(
                f"the public path as in 2b, JSON parsed by msgspec vs the standard library: "
                f"{saved_us:.1f} us less per order; every figure above and below is with "
                "the extra when the venv has it (see the header)",
            ),
        )
    ]

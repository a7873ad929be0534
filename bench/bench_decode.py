"""Benchmark 2: decoding a large ``GET /orders`` answer.

The public path is timed without the network: ``_core.decode_response`` with
the very ``Call`` that ``client.orders.list()`` builds, so it includes the JSON
parse, the shape checks and the error mapping around the generated models.
The baseline is the generated code alone: ``json.loads`` plus
``OrderRead.from_dict`` over the parsed list. The ratio is therefore what the
hand-written layer adds on top of the generated models; the models' own cost
is on both sides.

Decoding is pure CPU (no I/O, no sleeping), so it is timed by process CPU
time, and the 10,000 orders are decoded as ten ``GET /orders`` bodies of 1,000
(pages), the two sides alternating page by page: on a shared virtual machine
the CPU's speed drifts over seconds, and one 10 MB body per side (about a
second each) let that drift land on one side; per order the work is the same.
"""

from __future__ import annotations

import json

import httpx

from bench._harness import Row, Sample, Target, alternate, ratio, self_time_by_file
from bench._orders import order_read_body
from komfortkasse import OrderRead
from komfortkasse import _core as core
from komfortkasse import _operations as ops


def run(rounds: int, orders: int, page: int = 1_000) -> list[Row]:
    """One row: CPU milliseconds to decode ``orders`` orders per round, public
    path vs from_dict, as ``orders / page`` bodies of ``page`` orders each,
    alternating between the sides body by body (see the module docstring)."""
    page = min(page, max(1, orders // 10))  # at least ten pages to alternate
    pages = max(1, orders // page)
    body = order_read_body(page)
    call = ops.list_orders(None, None, None, ops.includes(False, False, False, False))
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
            name=f"2. decode GET /orders, {decoded:,} orders, vs from_dict",
            unit="ms CPU",
            ours=mine,
            baseline=theirs,
            figure=ratio(mine, theirs),
            target=target,
            notes=tuple(notes),
        )
    ]

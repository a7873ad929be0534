"""The command line against the fake Komfortkasse, end to end: submit, list, changes,
set-paid, sync, image, invoice, reconcile; a closed output pipe; a refusal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    CSV_ROW,
    write_csv,
    write_json,
)
from tests.conftest import Run
from tests.samples import RECENT, order_body, wire


def test_fake_end_to_end(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    url = fake.url
    orders = [order_body("1001"), order_body("1002", amount=9.99, type="PREPAYMENT")]
    assert (
        run("--base-url", url, "orders", "submit", write_json(tmp_path / "o.json", orders)).code
        == 0
    )
    csv_file = write_csv(tmp_path / "o.csv", [CSV_ROW])
    assert run("--base-url", url, "orders", "submit", csv_file).code == 0
    assert [order.number for order in fake.orders()] == ["1001", "1002", "2001"]
    assert fake.order("2001").data["billing"]["city"] == "Berlin"

    listed = run("--base-url", url, "--json", "orders", "list").json()
    assert sorted(order["number"] for order in listed) == ["1001", "1002", "2001"]
    assert {order["date"] for order in listed} == {wire(RECENT)}

    cursor = tmp_path / "cursor.json"
    assert run("--base-url", url, "orders", "changes", "--cursor-file", cursor).code == 0

    paid = run("--base-url", url, "orders", "set-paid", "1001")
    assert paid.code == 0
    assert "PAID" in paid.out
    assert fake.order("1001").payment_status == "PAID"
    fake.receive_payment("1002", "5.00")

    changed = run("--base-url", url, "--json", "orders", "changes", "--cursor-file", cursor).json()
    assert {order["number"]: order["paymentStatus"] for order in changed} == {
        "1001": "PAID",
        "1002": "PAID_PARTIAL",
    }
    assert (
        run("--base-url", url, "--json", "orders", "changes", "--cursor-file", cursor).json() == []
    )

    # 1002 (PAID_PARTIAL) and 2001 (UNPAID) are open; the list names only 2001.
    open_list = tmp_path / "open.txt"
    open_list.write_text("2001\n", encoding="utf-8")
    preview = run("--base-url", url, "--json", "orders", "sync", open_list, "--dry-run").json()
    assert preview == {"openOrders": 2, "wouldBeLegacy": ["1002"], "unknown": []}
    assert fake.order("1002").payment_status == "PAID_PARTIAL"
    synced = run("--base-url", url, "orders", "sync", open_list)
    assert synced.code == 0
    assert "1 order(s) marked LEGACY" in synced.out
    assert fake.order("1002").payment_status == "LEGACY"

    png = tmp_path / "qr.png"
    assert run("--base-url", url, "image", "save", "2001", png).code == 0
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    invoice = tmp_path / "R-9.pdf"
    invoice.write_bytes(b"%PDF-1.4 fake")
    assert run("--base-url", url, "invoice", "upload", "2001", "R-9", invoice).code == 0
    [upload] = fake.order("2001").invoices
    assert (upload.invoice_number, upload.filename, upload.data) == (
        "R-9",
        "R-9.pdf",
        b"%PDF-1.4 fake",
    )

    posted = run("--base-url", url, "--json", "postings", "reconcile").json()
    assert [order["number"] for entry in posted["assigned"] for order in entry["orders"]] == [
        "1002"
    ]


def test_closed_output_pipe_is_not_an_error(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    orders = [order_body(str(n)) for n in range(1, 60)]
    assert (
        run(
            "--base-url", fake.url, "orders", "submit", write_json(tmp_path / "o.json", orders)
        ).code
        == 0
    )
    command = [sys.executable, "-m", "komfortkasse.cli", "--base-url", fake.url, "orders", "list"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        process.stdout.close()  # the reader is gone before (or while) the table is written
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0
    assert "Traceback" not in err
    assert fake.api_key not in err


def test_fake_refusal_exits_1(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    run(
        "--base-url",
        fake.url,
        "orders",
        "submit",
        write_json(tmp_path / "o.json", order_body("1001")),
    )
    assert run("--base-url", fake.url, "orders", "set-paid", "1001").code == 0
    again = run("--base-url", fake.url, "orders", "set-paid", "1001")
    assert again.code == 1
    assert "already in paymentStatus PAID" in again.err

"""``image save`` and ``invoice upload``: the PNG written (or refused when it is none),
the invoice sent as a file; unwritable or missing files are usage errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from komfortkasse.testing import FakeKomfortkasse
from tests.cli.support import (
    expect,
    one_error_line,
    submit,
)
from tests.conftest import Run
from tests.samples import PNG


def test_image_save_writes_the_png(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    data = base64.b64encode(PNG).decode("ascii")
    expect(
        httpserver, "GET", "/image/1001", query_string={"type": "PAYMENTSLIP"}
    ).respond_with_json({"type": "PAYMENTSLIP", "format": "png", "data": data})
    target = tmp_path / "slip.png"
    result = run("--base-url", api, "image", "save", "1001", target, "--type", "paymentslip")
    assert result.code == 0
    assert target.read_bytes() == PNG
    assert "saved PAYMENTSLIP of order 1001" in result.out


def test_image_save_refuses_what_is_not_a_png(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    data = base64.b64encode(b"GIF89a").decode("ascii")
    expect(httpserver, "GET", "/image/1001").respond_with_json({"data": data})
    target = tmp_path / "qr.png"
    result = run("--base-url", api, "--json", "image", "save", "1001", target)
    assert result.code == 4
    error = result.json()["error"]
    assert "not a PNG" in error["message"]
    assert (error["exitCode"], error["type"]) == (4, "UnexpectedResponseError")
    assert not target.exists()
    assert result.err == ""


def test_invoice_upload(run: Run, api: str, httpserver: HTTPServer, tmp_path: Path) -> None:
    uploads: list[tuple[str, bytes]] = []

    def handler(request: Request) -> Response:
        part = request.files["file"]
        uploads.append((part.filename or "", part.read()))
        return Response("", 200)

    expect(httpserver, "POST", "/order/1001/invoice/R-1").respond_with_handler(handler)
    invoice = tmp_path / "invoice.pdf"
    invoice.write_bytes(b"%PDF-1.4 test")
    result = run(
        "--base-url", api, "invoice", "upload", "1001", "R-1", invoice, "--filename", "R1.pdf"
    )
    assert result.code == 0, result.err
    assert uploads == [("R1.pdf", b"%PDF-1.4 test")]
    assert "uploaded invoice R-1 (R1.pdf, 13 bytes) for order 1001" in result.out


def test_invoice_upload_of_an_empty_file_sends_nothing(
    run: Run, api: str, httpserver: HTTPServer, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = run("--base-url", api, "invoice", "upload", "1001", "R-1", empty)
    assert result.code == 2
    assert "empty" in result.err
    assert httpserver.log == []


def test_image_save_to_an_unwritable_path_exits_2(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    submit(fake, "1001")
    target = tmp_path / "missing-dir" / "qr.png"
    result = run("--base-url", fake.url, "image", "save", "1001", target)
    one_error_line(result, 2, f"cannot write {target}")
    assert not target.parent.exists()


def test_image_save_json_reports_path_type_and_size(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    submit(fake, "1001")
    target = tmp_path / "slip.png"
    result = run("--base-url", fake.url, "--json", "image", "save", "1001", target)
    assert result.code == 0, result.err
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert json.loads(result.out) == {"path": str(target), "type": "QRCODE", "bytes": len(data)}


def test_invoice_upload_of_a_missing_file_sends_nothing(
    run: Run, fake: FakeKomfortkasse, tmp_path: Path
) -> None:
    missing = tmp_path / "nope.pdf"
    result = run("--base-url", fake.url, "invoice", "upload", "1001", "R-1", missing)
    one_error_line(result, 2, f"cannot read {missing}: No such file or directory")
    assert fake.requests == []


def test_invoice_upload_json(run: Run, fake: FakeKomfortkasse, tmp_path: Path) -> None:
    submit(fake, "1001")
    invoice = tmp_path / "R-7.pdf"
    invoice.write_bytes(b"%PDF-1.4 seven")
    result = run("--base-url", fake.url, "--json", "invoice", "upload", "1001", "R-7", invoice)
    assert result.code == 0, result.err
    assert json.loads(result.out) == {
        "number": "1001",
        "invoiceNumber": "R-7",
        "filename": "R-7.pdf",
        "bytes": 14,
    }
    [upload] = fake.order("1001").invoices
    assert (upload.invoice_number, upload.data) == ("R-7", b"%PDF-1.4 seven")

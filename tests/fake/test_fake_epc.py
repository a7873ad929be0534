"""EPC069-12 payloads, IBAN check digits, and the QR code PNG the image operation returns."""

from __future__ import annotations

import base64
import struct
from decimal import Decimal

import httpx
import pytest

from komfortkasse.testing import FakeKomfortkasse, epc_payload
from komfortkasse.testing._epc import PNG_SIGNATURE, qr_png
from komfortkasse.testing._iban import is_valid_iban, make_iban, shop_iban
from tests.fake.support import create

PAYLOAD = {"bic": "FAKEDEF0XXX", "beneficiary": "Fake Shop 1", "iban": "DE02120300000000202051"}


def test_payload_lines_follow_the_standard() -> None:
    payload = epc_payload(**PAYLOAD, amount=Decimal("22.38"), remittance="K100001")
    assert payload.split("\n") == [
        "BCD",  # service tag
        "002",  # version
        "1",  # UTF-8
        "SCT",  # SEPA credit transfer
        "FAKEDEF0XXX",
        "Fake Shop 1",
        "DE02120300000000202051",
        "EUR22.38",
        "",  # purpose code
        "",  # structured (RF) reference: a K-number is not one
        "K100001",  # unstructured remittance
    ]


def test_amount_has_two_decimals_or_is_left_out() -> None:
    whole = epc_payload(**PAYLOAD, amount=Decimal("10"), remittance="K1")
    assert whole.split("\n")[7] == "EUR10.00"
    open_amount = epc_payload(**PAYLOAD, amount=None, remittance="K1")
    assert open_amount.split("\n")[7] == ""


def test_trailing_empty_lines_are_dropped() -> None:
    payload = epc_payload(**PAYLOAD, amount=Decimal("1.00"), remittance="")
    assert payload.endswith("EUR1.00")


@pytest.mark.parametrize(
    "changes",
    [
        {"bic": "SHORT"},
        {"beneficiary": "x" * 71},
        {"iban": "DE-02"},
        {"amount": Decimal("0.001")},
        {"amount": Decimal("0")},
        {"amount": Decimal("1000000000.00")},
        {"remittance": "r" * 141},
    ],
)
def test_invalid_input_is_refused(changes: dict[str, object]) -> None:
    arguments: dict[str, object] = {**PAYLOAD, "amount": Decimal("1.00"), "remittance": "K1"}
    arguments.update(changes)
    with pytest.raises(ValueError, match=r"."):
        epc_payload(**arguments)  # type: ignore[arg-type]


def test_iban_check_digits() -> None:
    assert make_iban("DE", "12030000", "0000202051") == "DE02120300000000202051"
    assert is_valid_iban("DE02 1203 0000 0000 2020 51")
    assert not is_valid_iban("DE03120300000000202051")
    assert not is_valid_iban("DE²²120300000000202051")  # digits to str.isdigit only
    for country in ("DE", "AT", "CH", "FR"):
        assert is_valid_iban(shop_iban(country, 7))
    assert len(shop_iban("DE", 1)) == 22
    assert len(shop_iban("AT", 1)) == 20
    assert len(shop_iban("CH", 1)) == 21


def _png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_qr_png_is_a_square_png() -> None:
    width, height = _png_size(qr_png("BCD\n002", scale=4))
    assert width == height
    assert width >= (21 + 8) * 4  # version 1 plus the quiet zone


def test_image_operation_encodes_the_orders_payload(
    fake: FakeKomfortkasse, http: httpx.Client
) -> None:
    order = create(http, "1001")
    fake.receive_payment("1001", "2.38")
    bank = order["bankAccount"]
    expected = epc_payload(
        bic=bank["bic"],
        beneficiary=bank["remittee"],
        iban=bank["iban"],
        amount=Decimal("20.00"),  # what is still open
        remittance=order["referenceNumber"],
    )
    image = http.get("/image/1001").json()
    assert base64.b64decode(image["data"]) == qr_png(expected)
    _png_size(base64.b64decode(image["data"]))

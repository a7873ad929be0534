"""EPC069-12 payment QR codes ("GiroCode") and the fake's other payment images.

The payload is the EPC's "Quick Response Code: Guidelines to Enable Data Capture
for the Initiation of a SEPA Credit Transfer" (EPC069-12), version 002: twelve
lines, LF separated, UTF-8 (character set 1)::

    1 BCD            service tag
    2 002            version (BIC optional inside the EEA; we always send it)
    3 1              character set: UTF-8
    4 SCT            identification: SEPA credit transfer
    5 BIC            8 or 11 characters
    6 beneficiary    max. 70 characters
    7 IBAN           max. 34 characters
    8 EUR<amount>    0.01 … 999999999.99, at most 2 decimals; may be empty
    9 purpose        4-letter code; empty here
   10 structured     ISO 11649 "RF" creditor reference (max. 35); empty here
   11 unstructured   remittance text (max. 140): the order's reference number
   12 information    beneficiary-to-originator note (max. 70); empty, so omitted

Komfortkasse reference numbers (``K…``) are not ISO 11649 creditor references,
so they go in the unstructured remittance line 11, and line 10 stays empty (a
payload may fill only one of 10 and 11). Trailing empty lines are left out, and
the whole payload must not exceed 331 bytes. The QR code uses error correction
level M, as the guidelines require.
"""

from __future__ import annotations

import io
from decimal import Decimal

import segno

#: The largest amount an EPC QR code may carry.
EPC_MAX_AMOUNT = Decimal("999999999.99")
#: The largest payload the guidelines allow, in bytes.
EPC_MAX_BYTES = 331
#: The first eight bytes of every PNG file.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def epc_payload(
    *,
    bic: str,
    beneficiary: str,
    iban: str,
    amount: Decimal | None,
    remittance: str,
) -> str:
    """The EPC069-12 (version 002) payload for a credit transfer in euro.

    ``amount`` ``None`` leaves the amount for the payer to enter. Raises
    :class:`ValueError` for input the standard does not allow.
    """
    if len(bic) not in (8, 11) or not bic.isalnum():
        raise ValueError(f"BIC must have 8 or 11 letters/digits, got {bic!r}")
    if not 1 <= len(beneficiary) <= 70:
        raise ValueError("beneficiary name must have 1 to 70 characters")
    if not 5 <= len(iban) <= 34 or not iban.isalnum():
        raise ValueError(f"IBAN must have up to 34 letters/digits, got {iban!r}")
    if len(remittance) > 140:
        raise ValueError("unstructured remittance must have at most 140 characters")
    amount_line = ""
    if amount is not None:
        cents = amount.quantize(Decimal("0.01"))
        if cents != amount or not Decimal("0.01") <= cents <= EPC_MAX_AMOUNT:
            raise ValueError(f"amount must be 0.01 … {EPC_MAX_AMOUNT} in cents, got {amount}")
        amount_line = f"EUR{cents}"
    lines = ["BCD", "002", "1", "SCT", bic, beneficiary, iban, amount_line, "", "", remittance]
    while lines[-1] == "":
        lines.pop()
    payload = "\n".join(lines)
    if len(payload.encode("utf-8")) > EPC_MAX_BYTES:
        raise ValueError(f"EPC payload exceeds {EPC_MAX_BYTES} bytes")
    return payload


def qr_png(payload: str, *, scale: int = 4) -> bytes:
    """``payload`` as a PNG QR code (error correction M, never boosted)."""
    code = segno.make_qr(payload, error="m", boost_error=False, encoding="utf-8")
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def payment_slip_text(
    *, beneficiary: str, iban: str, bic: str, amount: Decimal | None, currency: str, reference: str
) -> str:
    """The fields of a bank transfer form, as text.

    The fake's ``PAYMENTSLIP`` and ``PAYMENTSLIPPRINT`` images are QR codes of
    this text: real PNGs a client can store and show, not pictures of a
    printed form (which the fake has no business drawing).
    """
    shown = "" if amount is None else f"{amount.quantize(Decimal('0.01'))} {currency}"
    return "\n".join(
        [
            f"Beneficiary: {beneficiary}",
            f"IBAN: {iban}",
            f"BIC: {bic}",
            f"Amount: {shown}",
            f"Reference: {reference}",
        ]
    )

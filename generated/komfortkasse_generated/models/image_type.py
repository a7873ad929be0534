"""ImageType: generated from the OpenAPI schema by komfortkasse's codegen; do not edit."""

from enum import StrEnum


class ImageType(StrEnum):
    """Image type:
    - `QRCODE` — EPC QR Code (GiroCode)
    - `PAYMENTSLIP` — payment slip (Germany: "Überweisungsträger", Austria: "Zahlschein", Switzerland: "Einzahlungsschein")
    - `PAYMENTSLIPPRINT` — a payment slip that you can print yourself (currently only available for QR Invoice in Switzerland)

    Fields typed with it also accept any other string: a value the server adds
    later arrives as a plain ``str`` instead of failing the whole answer.
    """

    PAYMENTSLIP = "PAYMENTSLIP"
    PAYMENTSLIPPRINT = "PAYMENTSLIPPRINT"
    QRCODE = "QRCODE"

    def __str__(self) -> str:
        return str(self.value)

from enum import StrEnum


class ImageType(StrEnum):
    PAYMENTSLIP = "PAYMENTSLIP"
    PAYMENTSLIPPRINT = "PAYMENTSLIPPRINT"
    QRCODE = "QRCODE"

    def __str__(self) -> str:
        return str(self.value)

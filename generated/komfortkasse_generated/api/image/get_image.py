"""getImage: Get Image (GET /image/{orderNumber}); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="getImage",
    method="GET",
    path="/image/{orderNumber}",
    tag="image",
    summary="Get Image",
    description="Get a payment-related image (QR code, payment slip) for an order.",
    path_params=(Param("orderNumber", "order_number", "str", required=True),),
    query_params=(
        Param(
            "type",
            "type_",
            "enum",
            required=False,
            default=None,
            enum=_models.ImageType,
            description='Image type:\n- `QRCODE` \u2014 EPC QR Code (GiroCode)\n- `PAYMENTSLIP` \u2014 payment slip (Germany: "\u00dcberweisungstr\u00e4ger", Austria: "Zahlschein", Switzerland: "Einzahlungsschein")\n- `PAYMENTSLIPPRINT` \u2014 a payment slip that you can print yourself (currently only available for QR Invoice in Switzerland)',
        ),
    ),
    reply=Reply("model", "Image"),
)

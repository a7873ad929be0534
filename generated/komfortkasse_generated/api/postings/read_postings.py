"""readPostings: Read Postings (GET /postings); generated, do not edit."""

from ... import models as _models
from ..._ops import Operation, Param, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="readPostings",
    method="GET",
    path="/postings",
    tag="postings",
    summary="Read Postings",
    description="Read bank postings (incoming payments) from Komfortkasse.",
    path_params=(),
    query_params=(
        Param(
            "createdMin",
            "created_min",
            "date",
            required=False,
            default=None,
            description="",
        ),
        Param(
            "createdMax",
            "created_max",
            "date",
            required=False,
            default=None,
            description="",
        ),
        Param(
            "includeOrders",
            "include_orders",
            "bool",
            required=False,
            default=False,
            description="",
        ),
        Param(
            "iban",
            "iban",
            "str",
            required=False,
            default=None,
            description="",
        ),
    ),
    reply=Reply("model", "PostingRead", many=True),
)

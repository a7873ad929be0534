"""syncOrders: Sync Orders (POST /ordersync); generated, do not edit."""

from ... import models as _models
from ..._ops import Body, Operation, Reply

__all__ = ["OPERATION"]

# Models are named, not imported: the descriptor loads its model at first use.
_ = _models  # an enum parameter's class is taken from it (enums are light)

OPERATION = Operation(
    operation_id="syncOrders",
    method="POST",
    path="/ordersync",
    tag="bulk_orders",
    summary="Sync Orders",
    description="Send the full list of currently-open order numbers from your shop. Komfortkasse marks any of its open orders for this shop that are NOT in the submitted list as `LEGACY` (i.e. no longer tracked) and updates `lastSeen` for the rest. Returns the number of orders that were marked `LEGACY`. Allow a timeout of at least 10 minutes for this operation.\n\n\u26a0\ufe0f **Warning:** You must always send the **complete** list of currently-open orders in your shop. Any open order not present in the list will be marked `LEGACY` and stop being tracked by Komfortkasse \u2014 including reminder, collection and refund processing. Sending a partial list is destructive.",
    path_params=(),
    query_params=(),
    body=Body("application/json", str, many=True),
    reply=Reply("integer"),
)

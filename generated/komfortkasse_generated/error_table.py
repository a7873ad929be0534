"""The error messages the Komfortkasse API 2.0.0 documents (generated from the
spec's "Common error messages" table; do not edit).

Each row is (HTTP status, message template, meaning); ``{name}`` stands for a
part the server fills in.
"""

ERRORS: tuple[tuple[int, str, str], ...] = (
    (
        401,
        "Authentication header not present",
        "The `X-Komfortkasse-API-Key` header is missing.",
    ),
    (
        401,
        "Invalid authentication header",
        "The API key is unknown or no longer valid.",
    ),
    (
        401,
        "Replace '[your API key]' with the API key from the merchant area",
        "The literal placeholder string was sent instead of a real key.",
    ),
    (400, "API not active, contact support", "API access is disabled for this shop."),
    (
        400,
        "Update not allowed for non-API Shop",
        "Write operation attempted on a shop that only allows reads via the API.",
    ),
    (
        400,
        "Shop not active",
        "The shop is not in an active status (e.g. paused, deleted).",
    ),
    (400, "Missing body", "Request body is empty or could not be parsed."),
    (
        400,
        "Missing parameter {name}",
        "A required field on the request body is missing or empty.",
    ),
    (
        400,
        "Invalid date: {value}, format should be dd-MM-yyyy",
        "A date query parameter does not match the required format.",
    ),
    (
        400,
        "Parameter date is not valid",
        "The order's `date` or `dueDate` could not be parsed.",
    ),
    (
        400,
        "Parameter dueDate is not valid",
        "The order's `date` or `dueDate` could not be parsed.",
    ),
    (
        400,
        "Parameter date must not be in the future",
        "`date` is set to a future timestamp on a new order.",
    ),
    (
        400,
        "Parameter dueDate must not be more than 6 months in the future",
        "`dueDate` is too far ahead.",
    ),
    (
        400,
        "Parameter number and number in object do not match",
        "Path `orderNumber` and body `number` differ.",
    ),
    (
        400,
        "Parameter initialDunningLevel can only be given when creating a new order",
        "`initialDunningLevel` was sent on an update.",
    ),
    (
        400,
        "Could not acquire lock",
        "The same order is being updated concurrently — retry.",
    ),
    (
        400,
        "Could not update order ({reason})",
        "Update was rejected (e.g. status no longer allows changes).",
    ),
    (
        400,
        "Refund already exists: {referenceNumber}",
        "A refund with the same `externalReference` already exists.",
    ),
    (
        400,
        "Planned date must be in the future",
        "`plannedDate` on a refund must be in the future.",
    ),
    (
        400,
        "Invalid JSON, comments not allowed in JSON body",
        "The body contains HTML comments / non-JSON content.",
    ),
    (400, "File missing", "Invoice upload missing or empty."),
    (400, "File size 0", "Invoice upload missing or empty."),
    (
        400,
        "Order already in paymentStatus PAID",
        "`setpaid` called on an already-paid order.",
    ),
    (
        400,
        "Order must have paymentStatus PAID",
        "Preconditions for `setunpaid` not met.",
    ),
    (
        400,
        "Order must have manual paymentStatus",
        "Preconditions for `setunpaid` not met.",
    ),
    (404, "Order '{n}' not found", "Unknown order number for the authenticated shop."),
    (404, "Order not found", "Unknown order number for the authenticated shop."),
)

__all__ = ["ERRORS"]

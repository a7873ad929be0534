"""The operations tagged bulk_orders (generated; do not edit)."""

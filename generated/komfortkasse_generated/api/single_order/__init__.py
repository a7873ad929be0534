"""The operations tagged single_order (generated; do not edit)."""

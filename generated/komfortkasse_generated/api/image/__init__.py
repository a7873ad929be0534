"""The operations tagged image (generated; do not edit)."""

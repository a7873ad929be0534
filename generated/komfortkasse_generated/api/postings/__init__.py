"""The operations tagged postings (generated; do not edit)."""

"""Reads of annual returns: the read models each page and report builds on (no writes here)."""

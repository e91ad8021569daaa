"""Writes of the congress module, one module per concern."""

"""Views of the congress module, one module per area."""

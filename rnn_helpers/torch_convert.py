"""torch_convert (to be written)."""

__all__: list[str] = []

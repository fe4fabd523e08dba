"""seq2seq (to be written)."""

__all__: list[str] = []

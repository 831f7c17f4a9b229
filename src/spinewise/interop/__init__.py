"""spinewise.interop."""

__all__: list[str] = []

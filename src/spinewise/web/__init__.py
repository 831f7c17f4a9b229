"""spinewise.web."""

__all__: list[str] = []

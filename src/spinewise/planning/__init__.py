"""spinewise.planning."""

__all__: list[str] = []

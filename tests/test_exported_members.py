"""Each package's ``__all__`` is sorted and names only what the package has."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import spinewise

PACKAGES = sorted(
    m.name
    for m in pkgutil.walk_packages(spinewise.__path__, "spinewise.")
    if m.ispkg and ".migrations" not in m.name
)


def isort_key(name: str) -> tuple[int, str]:
    """ruff's order (RUF022): CONSTANTS, then Classes, then functions."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


@pytest.mark.parametrize("name", PACKAGES)
def test_package_all_is_sorted_and_real(name: str) -> None:
    package = importlib.import_module(name)
    exported = list(getattr(package, "__all__", []))
    assert exported == sorted(exported, key=isort_key)
    for member in exported:
        assert hasattr(package, member), f"{name}.{member}"

"""Exact decimal arithmetic for scores and changes (docs/clinical-basis.md#mic).

Never binary floats: ``EXACT`` is a decimal context that raises instead of rounding,
so a subtraction like ``35.8 - 25.8`` is ``10.0`` or an error, never ``9.999...``;
rounding happens only where a score asks for it, half away from zero, on exact fractions.
"""

from __future__ import annotations

from decimal import (
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
)
from fractions import Fraction

EXACT = Context(
    prec=28, traps=[Inexact, Rounded, InvalidOperation, DivisionByZero, Overflow]
)
"""A context that refuses to round: use it for every score and change operation."""


def round_half_away_from_zero(value: Fraction, places: int = 1) -> Decimal:
    """``value`` rounded to ``places`` decimals, ties away from zero, computed exactly.

    Works on a ``Fraction`` so that no intermediate result is ever rounded first
    (``Fraction(89, 20)`` is 4.45 exactly and becomes ``Decimal("4.5")``).
    """
    scaled = abs(value) * 10**places
    units = int((scaled * 2 + 1) // 2)  # floor(|x| + 1/2)
    return Decimal(-units if value < 0 else units).scaleb(-places, EXACT)

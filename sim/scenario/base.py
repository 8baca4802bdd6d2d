"""Building blocks of scenario sections: a documented parameter, shares, exact money."""

from __future__ import annotations

import math
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


def parameter(default, unit: str, description: str, **constraints):
    """A scenario field: default, unit and meaning in one place (all three reach the JSON Schema)."""
    return Field(default, description=f"{description} [{unit}]", **constraints)


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


Share = Annotated[float, Field(ge=0.0, le=1.0)]


def check_shares(shares: dict[str, float], what: str) -> dict[str, float]:
    """``shares`` unchanged if they sum to 1; otherwise a ValueError naming ``what``."""
    total = sum(shares.values())
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        raise ValueError(f"{what} must sum to 1, got {total:.6g}")
    return shares


#: Money is kept in integer milli-units (1/1000 of the scenario's currency) so ledgers add up exactly.
MILLI = 1000


def to_milli(amount: float) -> int:
    """A currency amount as integer milli-units."""
    return round(amount * MILLI)


def check_money(amount: float, what: str) -> None:
    """A ValueError naming ``what`` unless ``amount`` is a whole number of milli-units."""
    if abs(amount * MILLI - round(amount * MILLI)) > 1e-6:
        raise ValueError(f"{what} must be a whole number of 1/1000 currency units, got {amount}")

"""Building blocks of scenario sections: a documented parameter, shares, exact money."""

from __future__ import annotations

import difflib
import math
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def parameter(default, unit: str, description: str, **constraints):
    """A scenario field: default, unit and meaning in one place (all three reach the JSON Schema)."""
    return Field(default, description=f"{description} [{unit}]", **constraints)


#: Largest logit coefficient: e^50 already multiplies the odds by 5e21; beyond, numbers overflow.
MAX_COEFFICIENT = 50.0


def coefficient(default: float, unit: str, description: str):
    """A logit coefficient (or intercept): a parameter within +-:data:`MAX_COEFFICIENT`."""
    return parameter(default, unit, description, ge=-MAX_COEFFICIENT, le=MAX_COEFFICIENT)


class Section(BaseModel):
    """Base of every scenario section: unknown keys are errors, values are checked on assignment.

    Numbers must be finite, and values must have their field's type: YAML's ``yes`` is not the
    number 1, and ``"5"`` is not 5 (strict mode; a whole number is still a valid float).
    """

    model_config = ConfigDict(
        extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False, strict=True
    )


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


def _whole_milli(amount: float) -> float:
    """An amount of money unchanged, or a ValueError (the field's path and value are added to it)."""
    if abs(amount * MILLI - round(amount * MILLI)) > 1e-6 or 0 < amount < 1 / MILLI:
        raise ValueError("money must be a whole number of 1/1000 currency units")
    return amount


#: Largest amount of money a scenario may name (a billion currency units): far above any budget,
#: far below where the ledger's integer milli-units would overflow.
MAX_MONEY = 1e9
#: An amount of money: finite, 0 to :data:`MAX_MONEY`, a whole number of 1/1000 currency units.
Money = Annotated[float, Field(ge=0.0, le=MAX_MONEY), AfterValidator(_whole_milli)]


def unknown_key_hint(loc: tuple, model: type[BaseModel]) -> str:
    """For an unknown key at ``loc`` under ``model``: the closest valid key, or the valid keys."""
    for key in loc[:-1]:
        if isinstance(key, int):
            continue
        field = model.model_fields.get(key)
        if field is None:
            break
        inner = getattr(field.annotation, "__args__", (field.annotation,))
        models = [t for t in inner if isinstance(t, type) and issubclass(t, BaseModel)]
        if not models:
            break
        model = models[0]
    known = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    return f"did you mean '{close[0]}'?" if close else f"valid keys: {', '.join(known)}"

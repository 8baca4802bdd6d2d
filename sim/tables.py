"""A growable table of equal-length numpy columns (videos, orders, cohorts).

Rows never move, so a row's index is its id; capacity doubles when full, so appending stays cheap.
"""

from __future__ import annotations

import numpy as np


class Table:
    """A growable table of equal-length numpy columns."""

    def __init__(self, columns: dict[str, type], capacity: int = 64):
        self.size = 0
        self.columns = {name: np.zeros(capacity, dtype) for name, dtype in columns.items()}

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name][: self.size]

    def append(self, **values) -> np.ndarray:
        """Append rows (every value an array of the same length, or a scalar); returns their ids."""
        n = max(np.size(v) for v in values.values())
        capacity = len(next(iter(self.columns.values())))
        if self.size + n > capacity:
            capacity = max(2 * capacity, self.size + n)
            for name, column in self.columns.items():
                grown = np.zeros(capacity, column.dtype)
                grown[: self.size] = column[: self.size]
                self.columns[name] = grown
        ids = np.arange(self.size, self.size + n)
        for name, value in values.items():
            self.columns[name][ids] = value
        self.size += n
        return ids

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


def grouped(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries of equal key brought together, in their given order within each key.

    Returns:
        order: the stable sort of ``keys`` (apply it to every array of the entries);
        sizes: (G,) entries per key, in key order;
        rank: (E,) each sorted entry's position among its key's entries (0 = first given).
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, ordered.size])
    return order, sizes, np.arange(ordered.size) - np.repeat(starts, sizes)

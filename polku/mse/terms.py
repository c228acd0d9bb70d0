"""Hierarchical log-linear models over lists, and their design matrices.

A term is a bitmask of lists (list ``i`` is bit ``i``): 0 is the intercept, single bits are
main effects, and masks with two or more bits are interactions. Cell ``omega`` (also a
bitmask) gets ``log mu_omega = sum of the coefficients of the terms contained in omega``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def term_lists(term: int) -> tuple[int, ...]:
    """Indices of the lists in a term, ascending."""
    return tuple(index for index in range(term.bit_length()) if term >> index & 1)


def term_sort_key(term: int) -> tuple[int, tuple[int, ...]]:
    """Order terms by size, then as (1,2), (1,3), ..., (2,3), ... within a size."""
    return (term.bit_count(), term_lists(term))


def pairs(n_lists: int) -> tuple[int, ...]:
    """Every two-list term in (1,2), (1,3), ..., (t-1,t) order."""
    return tuple((1 << i) | (1 << j) for i, j in combinations(range(n_lists), 2))


def subterms(term: int) -> Iterable[int]:
    """The interactions one list smaller than ``term`` (empty for a pair)."""
    if term.bit_count() <= 2:
        return ()
    return tuple(term & ~(1 << index) for index in term_lists(term))


@dataclass(frozen=True)
class Model:
    """A hierarchical log-linear model: intercept, every main effect, and some interactions."""

    n_lists: int
    interactions: tuple[int, ...] = ()

    @classmethod
    def build(cls, n_lists: int, terms: Iterable[int]) -> Model:
        """The smallest hierarchical model containing ``terms`` (adds implied sub-terms)."""
        closed: set[int] = set()
        pending = [term for term in terms if term.bit_count() >= 2]
        while pending:
            term = pending.pop()
            if term in closed:
                continue
            if term >> n_lists:
                raise ValueError(f"Term {term:b} refers to a list beyond the {n_lists} lists.")
            closed.add(term)
            pending.extend(subterms(term))
        return cls(n_lists, tuple(sorted(closed, key=term_sort_key)))

    def with_term(self, term: int) -> Model:
        return Model.build(self.n_lists, (*self.interactions, term))

    @property
    def columns(self) -> tuple[int, ...]:
        """Terms in design-matrix order: intercept, main effects, interactions."""
        return (0, *(1 << index for index in range(self.n_lists)), *self.interactions)

    @property
    def n_parameters(self) -> int:
        return 1 + self.n_lists + len(self.interactions)

    def names(self, lists: Sequence[str]) -> list[list[str]]:
        """The interactions as lists of list names, e.g. ``[["LA", "NG"]]``."""
        return [[lists[index] for index in term_lists(term)] for term in self.interactions]

    def label(self, lists: Sequence[str]) -> str:
        """A readable name such as ``main + LA:NG + NG:GP``."""
        parts = [":".join(names) for names in self.names(lists)]
        return " + ".join(["main", *parts])


def observable_cells(n_lists: int) -> IntArray:
    """Every history with at least one list, as bitmasks 1 .. 2^t - 1."""
    return np.arange(1, 1 << n_lists, dtype=np.int64)


def design(cells: IntArray, columns: Sequence[int]) -> FloatArray:
    """Rows are cells, columns are terms; an entry is 1 when the term is contained in the cell."""
    terms = np.asarray(columns, dtype=np.int64)
    contained: FloatArray = ((cells[:, None] & terms[None, :]) == terms[None, :]).astype(np.float64)
    return contained

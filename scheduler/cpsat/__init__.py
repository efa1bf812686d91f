"""The CP-SAT formulation: variables, then constraints, then the objective, run by :class:`CPModel`."""

from .cpmodel import CPModel

__all__ = ["CPModel"]

"""Reachability proofs over the model: which traffic gets from where to where, and why.

The evaluator follows AWS's own rules hop by hop (security groups, network ACLs, route tables,
internet and NAT gateways) over exact sets of ports and addresses; every verdict carries its path.

Each name loads its module on first use (PEP 562), so that `check`, which proves intents but
draws no matrix, does not pay for the matrix's modules at start-up.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from awsarch.analysis.cells import Cells
    from awsarch.analysis.endpoints import (
        Endpoint,
        Placement,
        UnknownEndpointError,
        endpoints,
        resolve,
    )
    from awsarch.analysis.hops import Hop
    from awsarch.analysis.intents import (
        Intent,
        IntentError,
        IntentResult,
        parse_intent,
        parse_intents,
        prove,
    )
    from awsarch.analysis.matrix import Matrix, format_matrix, matrix, matrix_of, matrix_to_json
    from awsarch.analysis.network import Network
    from awsarch.analysis.reach import reach, reach_endpoints
    from awsarch.analysis.sets import IntervalSet, Services
    from awsarch.analysis.verdict import PathResult, Verdict, format_text, to_json

_HOME = {
    "Cells": "cells",
    "Endpoint": "endpoints",
    "UnknownEndpointError": "endpoints",
    "Placement": "endpoints",
    "endpoints": "endpoints",
    "resolve": "endpoints",
    "Hop": "hops",
    "Intent": "intents",
    "IntentError": "intents",
    "IntentResult": "intents",
    "parse_intent": "intents",
    "parse_intents": "intents",
    "prove": "intents",
    "Matrix": "matrix",
    "format_matrix": "matrix",
    "matrix": "matrix",
    "matrix_of": "matrix",
    "matrix_to_json": "matrix",
    "Network": "network",
    "reach": "reach",
    "reach_endpoints": "reach",
    "IntervalSet": "sets",
    "Services": "sets",
    "PathResult": "verdict",
    "Verdict": "verdict",
    "format_text": "verdict",
    "to_json": "verdict",
}
"""Each public name → the module of this package that defines it."""


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    globals()[name] = value
    return value


class _Package(types.ModuleType):
    """`matrix` and `endpoints` name both a module and its function: the package keeps the
    function, as the eager imports did, when something loads the module first."""

    def __setattr__(self, name: str, value: object) -> None:
        if not (name in _HOME and isinstance(value, types.ModuleType)):
            super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "Cells",
    "Endpoint",
    "Hop",
    "Intent",
    "IntentError",
    "IntentResult",
    "IntervalSet",
    "Matrix",
    "Network",
    "PathResult",
    "Placement",
    "Services",
    "UnknownEndpointError",
    "Verdict",
    "endpoints",
    "format_matrix",
    "format_text",
    "matrix",
    "matrix_of",
    "matrix_to_json",
    "parse_intent",
    "parse_intents",
    "prove",
    "reach",
    "reach_endpoints",
    "resolve",
    "to_json",
]

"""Reachability proofs over the model: which traffic gets from where to where, and why.

The evaluator follows AWS's own rules hop by hop (security groups, network ACLs, route tables,
internet and NAT gateways) over exact sets of ports and addresses; every verdict carries its path.
"""

from awsarch.analysis.cells import Cells
from awsarch.analysis.endpoints import Endpoint, EndpointError, Placement, endpoints, resolve
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

__all__ = [
    "Cells",
    "Endpoint",
    "EndpointError",
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

"""Event payload contracts: one definition for producers and consumers.

Importing this package registers every service's contracts in ``CATALOGUE``.
"""

from hope_contracts import employment, enrolment, funding, gateway, support, training
from hope_contracts.base import CATALOGUE, Code, EventContract, contract_for

__all__ = [
    "CATALOGUE",
    "Code",
    "EventContract",
    "contract_for",
    "employment",
    "enrolment",
    "funding",
    "gateway",
    "support",
    "training",
]

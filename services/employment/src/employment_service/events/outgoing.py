"""Domain events to the published contracts (hope_contracts.employment): codes, dates and ids only.

Each domain event is published as the contract of the same class name, field for field, enumerations as their
values (the kit's ``ContractMap``); a test checks that the two agree, so a renamed field fails a test, not the
relay.
"""

from hope_contracts import employment
from hopekit.events.mapping import ContractMap

to_contract = ContractMap(employment)

"""The events reporting consumes: none yet. Each consumer group is a ``ConsumerSpec`` listing its subscriptions,
one use case of ``service_layer`` per contract class; the topics come from the contracts, e.g.

    CONSUMERS = [ConsumerSpec(name="enrolment-projection", subscriptions=[on(enrolment.BeneficiaryErased, erase)])]
"""

from collections.abc import Sequence

from hopekit.events.subscriptions import ConsumerSpec

CONSUMERS: Sequence[ConsumerSpec] = ()

"""Other services' events this service consumes: none yet. Add a ``ConsumerSpec`` per consumer group whose
handlers call use cases in ``service_layer``."""

from collections.abc import Sequence

from hopekit.events.subscriptions import ConsumerSpec

CONSUMERS: Sequence[ConsumerSpec] = ()

"""``Idempotency-Key`` on the admin API's creating POSTs: the kit's replay (:mod:`hopekit.api.idempotency`) for an
admin found by the route's own check (a bearer token, or a signed-in admin's session), with the kept answer sealed.

The kit keeps each answer to replay it, and keeps it for good; the admin API's answers hold what the gateway
otherwise never keeps in clear: a client's secret, an invitation's link. So the kept answer is sealed (AES-GCM
under a key of its own, bound to the caller and the key) before it is written, and opened for a replay.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Header, Request

from gateway_service.service_layer.sealing import Sealer
from hopekit.api.idempotency import KEY_DESCRIPTION, honour_key
from hopekit.identity.principal import Principal

_SEALED = "sealed"


@dataclass(frozen=True)
class SealedAnswers:
    """The kit's :class:`~hopekit.api.idempotency.AnswerSeal`: a JSON answer kept as ``{"sealed": base64}``."""

    sealer: Sealer

    def seal(self, document: Any, bound_to: str) -> Any:
        sealed = self.sealer.seal(json.dumps(document, separators=(",", ":")), bound_to)
        return {_SEALED: base64.b64encode(sealed).decode()}

    def open(self, stored: Any, bound_to: str) -> Any:
        return json.loads(self.sealer.open(base64.b64decode(stored[_SEALED]), bound_to))


def idempotent_for(admin: Callable[..., Awaitable[Principal]]) -> Any:
    """A route dependency, ``dependencies=[idempotent_for(admin)]``: ``admin`` is the route's own check of its
    caller, run once for the route and the key alike (FastAPI caches a dependency within a request)."""

    # Defaults rather than Annotated: the annotations are strings, and ``admin`` is not a name of the module.
    async def honoured(
        request: Request,
        principal: Principal = Depends(admin),
        idempotency_key: str | None = Header(default=None, description=KEY_DESCRIPTION),
    ) -> None:
        answers: SealedAnswers = request.app.state.sealed_answers
        await honour_key(request, principal, idempotency_key, answers)

    return Depends(honoured)

"""The gateway's app: ``uvicorn gateway_service.main:create_app --factory``."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

from fastapi import FastAPI
from starlette.routing import Route

from gateway_service.adapters.denial_stores import DenialStoreUnavailable, make_denial_store
from gateway_service.adapters.tables import kit
from gateway_service.adapters.unit_of_work import GatewayUnitOfWork
from gateway_service.api import (
    admin,
    invitation_pages,
    oauth,
    people_admin,
    second_factor_pages,
    sign_in_pages,
)
from gateway_service.api.dashboard import pages as dashboard_pages
from gateway_service.api.idempotency import SealedAnswers
from gateway_service.api.session_calls import SessionCalls
from gateway_service.api.token_throttle import TokenThrottle
from gateway_service.domain.identity import IdentityError
from gateway_service.domain.passwords import PasswordRejected
from gateway_service.domain.people import PersonError
from gateway_service.domain.sign_in_sessions import SessionTimeouts
from gateway_service.http_protocol import HEAD_LIMITS_STATE, HeadLimits
from gateway_service.routing import asyncapi, docs, overview, proxy, redirects
from gateway_service.routing.lane import install_fast_lane
from gateway_service.routing.limits import make_counter, make_rate_limiter
from gateway_service.routing.upstreams import make_service_client
from gateway_service.service_layer.keys import KeyRing
from gateway_service.service_layer.person_sessions import PersonTokens, SessionResolver
from gateway_service.service_layer.revocations import Revocations
from gateway_service.service_layer.sealing import Sealer, derived_key
from gateway_service.service_layer.verification import RevocationAwareVerifier
from gateway_service.settings import GatewaySettings
from hopekit.app import ServiceDefinition, build_service_app

# The training service's /v1/attendance-imports, as callers reach it.
IMPORT_PATH = "/api/training/v1/attendance-imports"

ROUTERS = [
    oauth.router,
    admin.router,
    people_admin.router,
    sign_in_pages.router,
    second_factor_pages.router,
    invitation_pages.router,
    dashboard_pages.router,
    overview.router,
    asyncapi.router,
    docs.router,
]


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    app = build_service_app(
        ServiceDefinition(
            settings=settings,
            title="HOPE platform API",
            description="The single entry point of the HOPE platform: tokens for partner information systems, "
            "every service's API under /api/<service>/v1, and composed reads.",
            kit_tables=kit,
            uow_class=GatewayUnitOfWork,
            routers=ROUTERS,
            # Outside the kit's request transaction, these are answered by their category.
            error_types=[IdentityError, PersonError, PasswordRejected, DenialStoreUnavailable],
            # The gateway sends and receives no events; its /asyncapi is the services' documents merged.
            event_document=False,
            large_body_paths={IMPORT_PATH: settings.import_max_bytes},
        )
    )
    # The merged document replaces FastAPI's own /openapi.json (which serves only the gateway's paths).
    app.router.routes[:] = [
        route
        for route in app.router.routes
        if not (isinstance(route, Route) and route.path == "/openapi.json" and route.endpoint is not docs.openapi)
    ]
    own_paths = [route.path for router in ROUTERS for route in router.routes if isinstance(route, Route)]
    own_paths += [route.path for route in app.router.routes if isinstance(route, Route)]
    lane, catch_all = proxy.proxy_routes(settings.upstreams, own_paths)
    app.router.routes.append(catch_all)
    install_fast_lane(app, lane)
    redirects.install(app.router)
    kit_lifespan = app.router.lifespan_context
    secret = settings.encryption_secret()
    # One key per use, each derived from the key encryption secret (service_layer.sealing.derived_key).
    app.state.csrf_key = derived_key(secret, "csrf")
    app.state.totp_sealer = Sealer(derived_key(secret, "totp"))
    app.state.totp_setup_sealer = Sealer(derived_key(secret, "totp-setup"))
    app.state.sealed_answers = SealedAnswers(Sealer(derived_key(secret, "idempotent-answers")))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        async with kit_lifespan(app):
            key_ring = KeyRing(
                app.state.uow_factory,
                settings.encryption_secret(),
                token_ttl=timedelta(seconds=settings.token_ttl_s),
                leeway=timedelta(seconds=settings.key_leeway_s),
            )
            await key_ring.signer()
            app.state.key_ring = key_ring
            revocations = Revocations(
                make_denial_store(settings.redis_url, app.state.uow_factory),
                token_lifetime_s=settings.token_ttl_s + settings.key_leeway_s,
                refresh_s=settings.revocation_refresh_s,
            )
            await revocations.start()
            app.state.revocations = revocations
            # The gateway trusts its own keys straight from its database, not through its own JWKS URL.
            app.state.verifier = RevocationAwareVerifier(
                key_ring, revocations, issuer=settings.jwt_issuer, audience=settings.jwt_audience
            )
            # One pool of connections to the services, for the proxy and the composed reads alike.
            app.state.upstream = make_service_client(settings)
            app.state.rate_limiter = make_rate_limiter(
                settings.redis_url, settings.rate_limits, settings.rate_limit_window_s
            )
            app.state.token_throttle = TokenThrottle(
                make_counter(settings.redis_url),
                per_client=settings.token_attempts_per_client,
                per_address=settings.token_attempts_per_address,
                window_s=settings.token_attempts_window_s,
            )
            _people_sign_in(app, settings, key_ring)
            try:
                # uvicorn gives the lifespan state to every connection: the gateway's protocol reads its bounds.
                yield {
                    HEAD_LIMITS_STATE: HeadLimits(
                        settings.head_max_bytes, settings.head_max_fields, settings.head_timeout_s
                    )
                }
            finally:
                await app.state.upstream.close()
                await app.state.rate_limiter.close()
                await app.state.token_throttle.close()
                await app.state.sign_in_throttle.close()
                await revocations.stop()

    app.router.lifespan_context = lifespan
    return app


def _people_sign_in(app: FastAPI, settings: GatewaySettings, key_ring: KeyRing) -> None:
    """Sessions, the tokens people's calls carry to the services, and the bound on sign-in attempts."""
    resolver = SessionResolver(
        app.state.uow_factory,
        SessionTimeouts(
            idle=timedelta(seconds=settings.session_idle_timeout_s),
            absolute=timedelta(seconds=settings.session_absolute_timeout_s),
            pending=timedelta(seconds=settings.second_factor_timeout_s),
        ),
    )
    app.state.session_resolver = resolver
    tokens = PersonTokens(
        key_ring,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        ttl=timedelta(seconds=settings.token_ttl_s),
    )
    app.state.person_tokens = tokens
    app.state.person_calls = SessionCalls(resolver, tokens, app.state.csrf_key)
    app.state.sign_in_throttle = TokenThrottle(
        make_counter(settings.redis_url),
        per_client=settings.sign_in_attempts_per_address,
        per_address=settings.sign_in_attempts_per_address,
        window_s=settings.sign_in_attempts_window_s,
        prefix="sign-in",
    )

"""The programme's partner organisations, each registered at the gateway by the operator with its own API
client (the fewest scopes and roles its job needs, as docs/partners.md advises).

The organisations reporting shows figures to (the operator, training and support providers: reporting's
scoping) also get a second client for them, as an operator would give a partner's data team or BI tool: role
``reporting``, scope ``reporting:read``, aggregates only and nothing of anyone's identity. A support provider's
work client reads reporting too: its dropout-risk list is person-level and is served to its own case workers'
system only (a reading role of the provider, not ``reporting``)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from hope_infra.demo.gateway import Credentials, PartnerClient, idempotency_key

READ_WRITE = ("read", "write")


def scopes(*services: str, access: tuple[str, ...] = READ_WRITE) -> list[str]:
    return [f"{service}:{kind}" for service in services for kind in access]


@dataclass(frozen=True)
class PartnerSpec:
    """An organisation and the one client its system uses."""

    name: str
    org_kind: str
    client_name: str
    roles: tuple[str, ...]
    scopes: tuple[str, ...]
    siret: str | None = None
    # Reporting lets this organisation read figures: it gets a figures client (FIGURES) beside its work client.
    reads_figures: bool = False


# The figures client: (name, roles, scopes).
FIGURES = ("reporting", ("reporting",), ("reporting:read",))


def operator_back_office() -> PartnerSpec:
    everything = scopes("enrolment", "training", "support", "funding", "employment")
    return PartnerSpec("AKTO", "programme_operator", "back office", ("writer",), tuple(everything), reads_figures=True)


def immigration_office() -> PartnerSpec:
    return PartnerSpec(
        "OFII", "immigration_office", "registration and step 1", ("writer",), tuple(scopes("enrolment", "training"))
    )


def training_provider(name: str) -> PartnerSpec:
    granted = [*scopes("training"), "enrolment:read", "enrolment:write", "employment:read", "funding:read"]
    return PartnerSpec(
        name, "training_provider", "training management system", ("writer",), tuple(granted), reads_figures=True
    )


def support_provider(name: str) -> PartnerSpec:
    return PartnerSpec(
        name,
        "support_provider",
        "support case management",
        ("writer",),
        (*scopes("enrolment", "support", "employment"), "reporting:read"),
        reads_figures=True,
    )


def employer(name: str, siret: str) -> PartnerSpec:
    return PartnerSpec(name, "employer", "HR system", ("writer",), tuple(scopes("employment")), siret=siret)


@dataclass(frozen=True)
class Partner:
    spec: PartnerSpec
    org_id: str
    client: PartnerClient
    # Its figures client, when reporting lets it read (spec.reads_figures).
    figures: PartnerClient | None = None

    @property
    def name(self) -> str:
        return self.spec.name


class PartnerRegistry:
    """Registers organisations and their clients through the admin API, as the operator's admin.

    A second run finds its organisations by name and its clients by name, and rotates their secrets (a secret is
    shown once and the demo keeps none on disk): nothing is registered twice."""

    def __init__(self, http: httpx.AsyncClient, admin: PartnerClient) -> None:
        self._http = http
        self.admin = admin
        self._organisations: dict[tuple[str, str], str] | None = None

    async def _known(self) -> dict[tuple[str, str], str]:
        if self._organisations is None:
            listed = await self.admin.items("/admin/v1/organisations")
            self._organisations = {(o["name"], o["org_kind"]): str(o["id"]) for o in listed}
        return self._organisations

    async def enrol(self, spec: PartnerSpec) -> Partner:
        org_id = await self._organisation(spec)
        client = await self._client(org_id, spec.client_name, spec.roles, spec.scopes)
        figures = await self._client(org_id, *FIGURES) if spec.reads_figures else None
        return Partner(spec, org_id, client, figures)

    async def _organisation(self, spec: PartnerSpec) -> str:
        known = await self._known()
        org_id = known.get((spec.name, spec.org_kind))
        if org_id is None:
            body: dict[str, object] = {"name": spec.name, "org_kind": spec.org_kind}
            if spec.siret:
                body["siret"] = spec.siret
            key = idempotency_key("organisation", spec.name, spec.org_kind)
            org_id = str((await self.admin.post("/admin/v1/organisations", body, key=key))["id"])
            known[(spec.name, spec.org_kind)] = org_id
        return org_id

    async def _client(self, org_id: str, name: str, roles: tuple[str, ...], scopes: tuple[str, ...]) -> PartnerClient:
        """The organisation's client of that name: made, or found with a new secret (and the roles and scopes
        asked now, should an earlier run have given it others)."""
        clients = await self.admin.get(f"/admin/v1/organisations/{org_id}/clients")
        listed = clients["items"] if isinstance(clients, dict) else clients
        mine = [c for c in listed if c["name"] == name and not c.get("revoked_at")]
        if mine:
            found = mine[0]
            if sorted(found["roles"]) != sorted(roles) or sorted(found["scopes"]) != sorted(scopes):
                change = {"roles": list(roles), "scopes": list(scopes)}
                await self.admin.request("PATCH", f"/admin/v1/clients/{found['client_id']}", json=change)
            made = await self.admin.post(f"/admin/v1/clients/{found['client_id']}/rotate-secret")
        else:
            body = {"name": name, "roles": list(roles), "scopes": list(scopes)}
            # No Idempotency-Key: a key would replay a client revoked since, not make a new one.
            made = await self.admin.post(f"/admin/v1/organisations/{org_id}/clients", body)
        return PartnerClient(self._http, Credentials(str(made["client_id"]), str(made["client_secret"])))

"""The programme's partner organisations, each registered at the gateway by the operator with its own API
client (the fewest scopes and roles its job needs, as docs/partners.md advises)."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from hope_infra.demo.gateway import Credentials, PartnerClient

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


def operator_back_office() -> PartnerSpec:
    everything = scopes("enrolment", "training", "support", "funding", "employment")
    return PartnerSpec("AKTO", "programme_operator", "back office", ("writer",), tuple(everything))


def immigration_office() -> PartnerSpec:
    return PartnerSpec(
        "OFII", "immigration_office", "registration and step 1", ("writer",), tuple(scopes("enrolment", "training"))
    )


def training_provider(name: str) -> PartnerSpec:
    granted = [*scopes("training"), "enrolment:read", "enrolment:write", "employment:read", "funding:read"]
    return PartnerSpec(name, "training_provider", "training management system", ("writer",), tuple(granted))


def support_provider(name: str) -> PartnerSpec:
    return PartnerSpec(
        name,
        "support_provider",
        "support case management",
        ("writer",),
        tuple(scopes("enrolment", "support", "employment")),
    )


def employer(name: str, siret: str) -> PartnerSpec:
    return PartnerSpec(name, "employer", "HR system", ("writer",), tuple(scopes("employment")), siret=siret)


@dataclass(frozen=True)
class Partner:
    spec: PartnerSpec
    org_id: str
    client: PartnerClient

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
        known = await self._known()
        org_id = known.get((spec.name, spec.org_kind))
        if org_id is None:
            body: dict[str, object] = {"name": spec.name, "org_kind": spec.org_kind}
            if spec.siret:
                body["siret"] = spec.siret
            org_id = str((await self.admin.post("/admin/v1/organisations", body))["id"])
            known[(spec.name, spec.org_kind)] = org_id
        clients = await self.admin.get(f"/admin/v1/organisations/{org_id}/clients")
        listed = clients["items"] if isinstance(clients, dict) else clients
        mine = [c for c in listed if c["name"] == spec.client_name and not c.get("revoked_at")]
        if mine:
            made = await self.admin.post(f"/admin/v1/clients/{mine[0]['client_id']}/rotate-secret")
        else:
            body = {"name": spec.client_name, "roles": list(spec.roles), "scopes": list(spec.scopes)}
            made = await self.admin.post(f"/admin/v1/organisations/{org_id}/clients", body)
        credentials = Credentials(str(made["client_id"]), str(made["client_secret"]))
        return Partner(spec, org_id, PartnerClient(self._http, credentials))

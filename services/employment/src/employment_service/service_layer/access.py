"""The caller's token as the domain's `Viewer`, and the two answers to a refusal.

A caller that may not see a record gets 404 (ids of other organisations' records are not confirmed); one that
sees it but lacks the writer role, or whose kind only reads, gets 403.
"""

from __future__ import annotations

from employment_service.domain.access import OrgKind, Viewer
from hopekit.errors import Forbidden, NotFound
from hopekit.identity.principal import Principal


def viewer(principal: Principal) -> Viewer:
    return Viewer(OrgKind(principal.org_kind.value), principal.org_id)


def ensure_visible(principal: Principal, visible: bool, what: str) -> None:
    if not principal.can_read() or not visible:
        raise NotFound(f"no such {what}")


def ensure_writable(principal: Principal, visible: bool, what: str) -> None:
    ensure_visible(principal, visible, what)
    if not principal.can_write():
        raise Forbidden(f"changing a {what} needs the writer or admin role")


def ensure_writer(principal: Principal) -> None:
    if not principal.can_write():
        raise Forbidden("this needs the writer or admin role")


def ensure_reader(principal: Principal) -> None:
    if not principal.can_read():
        raise Forbidden("this needs the reader, writer or admin role")

"""One auth layer for the workspace pages and the JSON API.

A :class:`Principal` is whoever makes a request: a logged-in user (session cookie, this
module) or a system with an API token (``ipsmatch.web.tokens``, issue #16). Both carry a
role; the role checks below are the only place that says what a role may do.

Roles: ``consultant`` sees and edits the team's citizens and employers; ``leader`` also sees
fidelity for the whole team; ``admin`` also manages users. Each role includes the ones
before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ipsmatch.errors import UsageError

Role = Literal["consultant", "leader", "admin"]
Kind = Literal["user", "token"]

ROLES: tuple[Role, ...] = ("consultant", "leader", "admin")
_RANK = {r: i for i, r in enumerate(ROLES)}


@dataclass(frozen=True)
class Principal:
    """Who is asking: ``name`` is the consultant id the access and contact logs use."""

    name: str
    role: Role
    kind: Kind = "user"

    def has_role(self, role: Role) -> bool:
        """True if this principal's role is ``role`` or a higher one."""
        return _RANK[self.role] >= _RANK[role]

    @property
    def is_leader(self) -> bool:
        return self.has_role("leader")

    @property
    def is_admin(self) -> bool:
        return self.has_role("admin")


class Forbidden(Exception):
    """The principal is known but its role may not do this (HTTP 403)."""

    def __init__(self, needed: Role) -> None:
        super().__init__(f"this needs the {needed} role")
        self.needed = needed


def require_role(principal: Principal, role: Role) -> Principal:
    """Return ``principal`` if it has ``role`` (or higher); else raise :class:`Forbidden`."""
    if not principal.has_role(role):
        raise Forbidden(role)
    return principal


def check_role(role: str) -> Role:
    """Validate a role name given on the command line or in a request."""
    if role not in _RANK:
        raise UsageError(code="role.unknown", params={"role": role, "choices": ", ".join(ROLES)})
    return role

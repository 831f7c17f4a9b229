"""Who acts: the ``Actor`` every service takes, roles, interfaces, and role checks."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from spinewise.errors import N_, PermissionDeniedError
from spinewise.store import UserRow


class Role(StrEnum):
    """A user's role in their clinic (patients get questionnaire links later)."""

    ADMIN = "admin"
    PHYSICIAN = "physician"
    THERAPIST = "therapist"


class Interface(StrEnum):
    """Where a request came from; recorded with every audit event."""

    CLI = "cli"
    WEB = "web"
    API = "api"
    CDS = "cds"
    FHIR = "fhir"


@dataclass(frozen=True)
class Actor:
    """The acting user, as an adapter authenticated them: the one notion of "who is
    acting" for the services, the CLI and the web (pages and API alike).

    Services re-check on every call that the user still exists, is active and has this
    clinic and role, so a deactivation or role change takes effect at once.
    ``display_name`` is for showing only, ``client_address`` is where the request
    came from (the web's proxy-aware ``client_address``; None for the CLI); neither
    is compared.
    """

    user_id: int
    clinic_id: int
    role: Role
    username: str
    interface: Interface
    display_name: str = field(default="", compare=False)
    client_address: str | None = field(default=None, compare=False)
    language: str | None = field(default=None, compare=False)  # pages' language

    def via(self, interface: Interface) -> Actor:
        """The same user acting through another interface."""
        return replace(self, interface=interface)

    def from_address(self, address: str | None) -> Actor:
        """The same user, acting from ``address``."""
        return replace(self, client_address=address)


CLINICIANS = frozenset({Role.PHYSICIAN, Role.THERAPIST})
PHYSICIANS = frozenset({Role.PHYSICIAN})
ADMINS = frozenset({Role.ADMIN})
GOVERNANCE = frozenset({Role.ADMIN, Role.PHYSICIAN})


def require(actor: Actor, roles: frozenset[Role], action: str) -> None:
    """Refuse unless the actor's role is one of ``roles``."""
    if actor.role not in roles:
        allowed = " or ".join(sorted(roles))
        raise PermissionDeniedError(
            N_(
                "a {role} may not {action}; this needs the {allowed} role",
                role=actor.role,
                action=action,
                allowed=allowed,
            )
        )


def actor_of(row: UserRow, interface: Interface) -> Actor:
    """The actor a stored user stands for, acting through ``interface``."""
    return Actor(
        row.id,
        row.clinic_id,
        Role(row.role),
        row.username,
        interface,
        display_name=row.display_name,
        language=row.language,
    )

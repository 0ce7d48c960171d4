"""Citizen models: the profile (docs/profile.md), ``citizen list`` rows and what ``citizen forget``
removed."""

from __future__ import annotations

from pydantic import BaseModel

from ipsmatch.web.api.models.base import OutModel


class Travel(OutModel):
    mode: str | None = None
    max_minutes: float | None = None


class Hours(OutModel):
    min: float | None = None
    max: float | None = None
    must: bool | None = None


class NeedItem(OutModel):
    code: str
    must: bool = True


class Profile(OutModel):
    """A citizen profile in the file format of docs/profile.md (``citizen show``)."""

    id: str
    home_postcode: str | None = None
    travel: Travel | None = None
    hours: Hours | None = None
    wishes: list[str] = []
    avoid: list[str] = []
    needs: list[str | NeedItem] = []
    languages: list[str] = []
    fleksjob_approved: bool | None = None
    accept_subsidised: bool | None = None
    consultant: str | None = None
    start_date: str | None = None


class CitizenRow(BaseModel):
    """One row of ``citizen list --format json``."""

    id: str
    home_postcode: str | None
    wishes: str
    needs: str
    consultant: str | None


class Forgotten(BaseModel):
    """What ``citizen forget`` removed (counts)."""

    citizens: int
    suggestion_feedback: int
    job_starts: int
    employer_contacts_unlinked: int
    contact_texts_cleared: int
    access_log_pseudonymised: int

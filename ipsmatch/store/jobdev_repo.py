"""Store methods for job development: the contact log, job starts and feedback composed into
one mixin, and the IPS fidelity figures computed from what is stored.

The records live in :mod:`~ipsmatch.store.contacts_repo` (employer contacts),
:mod:`~ipsmatch.store.job_starts_repo` (job starts and how they ended) and
:mod:`~ipsmatch.store.feedback_repo` (feedback on suggestions); employers are found by
:mod:`~ipsmatch.store.employer_lookup`, and what the writers share is in
:mod:`~ipsmatch.store.records`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from ipsmatch.jobdev.fidelity import FidelityConfig, compute_fidelity
from ipsmatch.jobdev.fidelity_report import FidelityReport
from ipsmatch.jobdev.model import CitizenRecord
from ipsmatch.store.contacts_repo import ContactsMixin
from ipsmatch.store.feedback_repo import FeedbackMixin
from ipsmatch.store.job_starts_repo import JobStartsMixin
from ipsmatch.store.schema import citizens


class JobDevMixin(ContactsMixin, JobStartsMixin, FeedbackMixin):
    # --- fidelity --------------------------------------------------------------------------

    def fidelity(self, period_from: date, period_to: date, *,
                 consultants: Sequence[str] | None = None, today: date | None = None,
                 config: FidelityConfig | None = None) -> FidelityReport:
        """The IPS fidelity figures for [period_from, period_to] from the stored records.

        Contacts before the period are read too: a citizen's first contact may predate it.
        """
        # All job starts up to the period's end: a job that started earlier may end, or
        # grow its hours, in the period (the figures pick the starts in it themselves).
        return compute_fidelity(self.list_contacts(until=period_to),
                                self.list_job_starts(until=period_to),
                                self.citizen_records(), period_from=period_from,
                                period_to=period_to, today=today, consultants=consultants,
                                config=config or FidelityConfig(),
                                education_starts=self.list_education_starts(  # type: ignore
                                    until=period_to),
                                followalong=self.list_followalong(  # type: ignore
                                    until=period_to),
                                job_hours=self.list_job_hours())  # type: ignore[attr-defined]

    # --- citizens as fidelity needs them --------------------------------------------------

    def citizen_records(self) -> list[CitizenRecord]:
        """Every citizen's id, consultant, start date and active flag (no profile content)."""
        q = sa.select(citizens.c.id, citizens.c.consultant, citizens.c.start_date,
                      citizens.c.active).order_by(citizens.c.id)
        with self.engine.connect() as conn:
            return [CitizenRecord(r.id, r.consultant, r.start_date, bool(r.active))
                    for r in conn.execute(q)]

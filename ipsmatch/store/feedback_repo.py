"""Store methods for consultants' feedback on suggestions: a verdict on a vacancy or employer."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ipsmatch.errors import NotFoundError
from ipsmatch.identity import name_key
from ipsmatch.jobdev.model import Feedback, check_free_text
from ipsmatch.store.records import citizen_exists, unknown_citizen
from ipsmatch.store.schema import employers, suggestion_feedback, utc_now, vacancies

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


class FeedbackMixin:
    engine: Engine

    def add_feedback(self, fb: Feedback, *, today: date | None = None,
                     allow_health: bool = False) -> Feedback:
        """Store a verdict on a suggested vacancy or employer; returns it with its id.

        The vacancy (source, external_id) and the citizen must exist. The employer comes from
        the vacancy when not given, so ``not_interested_employer`` needs only the vacancy.
        """
        vacancy_id = employer_id = None
        cvr, name = fb.employer_cvr, fb.employer_name
        with self.engine.connect() as conn:
            if not citizen_exists(conn, fb.citizen_id):
                raise unknown_citizen(fb.citizen_id)
            if fb.vacancy is not None:
                row = conn.execute(
                    sa.select(vacancies.c.id, vacancies.c.employer_id, employers.c.cvr,
                              employers.c.name)
                    .select_from(vacancies.outerjoin(
                        employers, vacancies.c.employer_id == employers.c.id))
                    .where(vacancies.c.source == fb.vacancy[0],
                           vacancies.c.external_id == fb.vacancy[1])).first()
                if row is None:
                    raise NotFoundError(code="vacancy.unknown",
                                        params={"key": ":".join(fb.vacancy)})
                vacancy_id, employer_id = row.id, row.employer_id
                if not (cvr or name):
                    cvr, name = row.cvr, row.name
            elif cvr or name:
                q = sa.select(employers.c.id, employers.c.cvr, employers.c.name)
                q = q.where(employers.c.cvr == cvr) if cvr else \
                    q.where(employers.c.name_key == name_key(name or ""))
                erow = conn.execute(q.order_by(employers.c.id)).first()
                if erow is None:
                    raise NotFoundError(code="employer.unknown", params={"key": cvr or name})
                employer_id, cvr, name = erow.id, erow.cvr, erow.name
        fb = replace(fb, employer_cvr=cvr, employer_name=name)
        fb.validate(today=today)
        if not allow_health:
            check_free_text(fb)
        with self.engine.begin() as conn:
            fid = conn.execute(suggestion_feedback.insert().returning(suggestion_feedback.c.id),
                               {"citizen_id": fb.citizen_id, "verdict": fb.verdict,
                                "vacancy_id": vacancy_id, "employer_id": employer_id,
                                "reason": fb.reason, "consultant": fb.consultant,
                                "feedback_date": fb.date, "created_at": utc_now()}).scalar_one()
        return replace(fb, id=int(fid))

    def feedback_for(self, citizen_id: str) -> list[Feedback]:
        """A citizen's feedback, oldest first, as :class:`~ipsmatch.jobdev.Feedback`."""
        t = suggestion_feedback
        q = (sa.select(t, vacancies.c.source, vacancies.c.external_id,
                       employers.c.cvr.label("e_cvr"), employers.c.name.label("e_name"))
             .select_from(t.outerjoin(vacancies, t.c.vacancy_id == vacancies.c.id)
                          .outerjoin(employers, t.c.employer_id == employers.c.id))
             .where(t.c.citizen_id == citizen_id).order_by(t.c.id))
        out = []
        with self.engine.connect() as conn:
            for r in conn.execute(q).mappings():
                day = r["feedback_date"] or r["created_at"].date()
                vac = (r["source"], r["external_id"]) if r["source"] is not None else None
                out.append(Feedback(citizen_id=r["citizen_id"], verdict=r["verdict"], date=day,
                                    consultant=r["consultant"] or "", vacancy=vac,
                                    employer_cvr=r["e_cvr"], employer_name=r["e_name"],
                                    reason=r["reason"], id=r["id"]))
        return out

"""IPS beyond the job search (issue #17): the career profile, disclosure and the
jobudviklingsark, support after the start, and reports. Pure library code with typed results;
the store, the CLI (and the web pages, once wired) call into it.

    from ipsmatch.ips import jobdev_sheet, citizen_report, funder_rows
    sheet = jobdev_sheet(profile, include=["career.strengths[0]"])   # ConsentError unless yes
    print(sheet.text()); html = sheet.html()

Names are loaded from their modules on first use: :mod:`ipsmatch.domain` imports
:mod:`ipsmatch.ips.career`, and the other modules here import the domain.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    **dict.fromkeys(("CONSENT_STATES", "SHARE_LEVELS", "CareerProfile", "Disclosure",
                     "EducationItem", "WorkItem"), "career"),
    **dict.fromkeys(("FreeText", "JobDevSheet", "check_contact_consent", "contact_consent",
                     "jobdev_sheet", "sheet_free_texts"), "disclosure"),
    **dict.fromkeys(("FollowAlong", "HoursChange", "JobFollowUp", "SupportItem",
                     "SupportPlan", "hours_on", "hours_timeline"), "followalong"),
    "check_free_text": "freetext",
    **dict.fromkeys(("FunderRow", "funder_rows", "months", "to_csv"), "funder"),
    **dict.fromkeys(("CitizenReport", "citizen_report"), "reports"),
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'ipsmatch.ips' has no attribute {name!r}")
    return getattr(importlib.import_module(f"ipsmatch.ips.{_WHERE[name]}"), name)

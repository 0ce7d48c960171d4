"""Job development: the employer-contact log, job starts, feedback on suggestions, and the
IPS fidelity figures (pure library code; the store and CLI call into it).

    from ipsmatch.jobdev import read_contacts_csv, compute_fidelity, render_html
"""

from __future__ import annotations

from ipsmatch.jobdev.attributes import (
    Attribute,
    attributes_by_employer,
    contact_facts,
    derive_attributes,
    job_development_bonus,
    merge_facts,
    recently_contacted,
)
from ipsmatch.jobdev.contacts_csv import ReadResult, read_contacts_csv, read_job_starts_csv
from ipsmatch.jobdev.feedback import (
    FeedbackEffects,
    apply_feedback,
    feedback_effects,
    filter_employers,
    status_label,
)
from ipsmatch.jobdev.fidelity import FidelityConfig, compute_fidelity
from ipsmatch.jobdev.fidelity_report import FidelityReport
from ipsmatch.jobdev.model import (
    CONTACT_KINDS,
    CONTACT_PURPOSES,
    FEEDBACK_VERDICTS,
    LEARNED_KEYS,
    CitizenRecord,
    Contact,
    Feedback,
    JobStart,
    RecordPrivacyError,
)
from ipsmatch.jobdev.report import render_html

__all__ = [
    "CONTACT_KINDS", "CONTACT_PURPOSES", "FEEDBACK_VERDICTS", "LEARNED_KEYS", "Attribute",
    "CitizenRecord", "Contact", "Feedback", "FeedbackEffects", "FidelityConfig",
    "FidelityReport", "JobStart", "ReadResult", "RecordPrivacyError", "apply_feedback",
    "attributes_by_employer", "compute_fidelity", "contact_facts", "derive_attributes",
    "feedback_effects", "filter_employers", "job_development_bonus", "merge_facts",
    "read_contacts_csv", "read_job_starts_csv", "recently_contacted", "render_html",
    "status_label",
]

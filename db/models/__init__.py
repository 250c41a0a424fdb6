"""The tables (DESIGN.md §3), by what they keep: the history (``history``), the dashboard's
(``web``), discovery's (``discovery``), on one declarative base (``base``). Everything is
re-exported here: callers import from ``db.models``."""

from __future__ import annotations

from db.models.base import (
    BROWSER_MODES,
    CONTACT_KINDS,
    METHODS,
    NAMING_CONVENTION,
    RUN_STATUSES,
    TARGET_KINDS,
    Base,
    UTCDateTime,
)
from db.models.discovery import (
    DISCOVERY_ORIGINS,
    DISCOVERY_STATUSES,
    PROPOSAL_STATUSES,
    Discovery,
    Proposal,
)
from db.models.history import (
    AppendOnlyViolation,
    Check,
    Company,
    Contact,
    FieldResult,
    OptionList,
    Run,
    Site,
    Target,
)
from db.models.web import (
    RECHECK_STATUSES,
    REPORT_STATUSES,
    SUBMISSION_STATUSES,
    TALLY_CHANNELS,
    ActionTally,
    AdminUser,
    RateEvent,
    RecheckRequest,
    Submission,
    WrongVerdictReport,
)

__all__ = [
    "BROWSER_MODES", "CONTACT_KINDS", "DISCOVERY_ORIGINS", "DISCOVERY_STATUSES", "METHODS",
    "NAMING_CONVENTION", "PROPOSAL_STATUSES", "RECHECK_STATUSES", "REPORT_STATUSES",
    "RUN_STATUSES", "SUBMISSION_STATUSES", "TALLY_CHANNELS", "TARGET_KINDS", "ActionTally",
    "AdminUser", "AppendOnlyViolation", "Base", "Check", "Company", "Contact", "Discovery",
    "FieldResult", "OptionList", "Proposal", "RateEvent", "RecheckRequest", "Run", "Site",
    "Submission", "Target", "UTCDateTime", "WrongVerdictReport",
]

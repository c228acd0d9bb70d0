"""Writes to guidelines. Each is typed, keyword-only, audited and runs in one transaction.

See polku/guidelines/README.md for the list and the lifecycle.
"""

from polku.guidelines.services.common import GuidelineInput
from polku.guidelines.services.consultations import (
    comment_add,
    comment_answer,
    consultation_close,
    consultation_invite,
    consultation_open,
    report_publish,
    statement_submit,
)
from polku.guidelines.services.guidelines import (
    guideline_approve,
    guideline_create,
    guideline_revise,
    guideline_save_text,
    guideline_subscribe,
    guideline_unsubscribe,
    guideline_update,
    guideline_withdraw,
)
from polku.guidelines.services.publication import guideline_publish, guideline_supersede

__all__ = [
    "GuidelineInput",
    "comment_add",
    "comment_answer",
    "consultation_close",
    "consultation_invite",
    "consultation_open",
    "guideline_approve",
    "guideline_create",
    "guideline_publish",
    "guideline_revise",
    "guideline_save_text",
    "guideline_subscribe",
    "guideline_supersede",
    "guideline_unsubscribe",
    "guideline_update",
    "guideline_withdraw",
    "report_publish",
    "statement_submit",
]

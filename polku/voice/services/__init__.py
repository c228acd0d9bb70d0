"""Writes to challenges. Each is typed, keyword-only, audited and runs in one transaction.

See polku/voice/README.md for the list and the lifecycle.
"""

from polku.voice.services.challenges import (
    challenge_answer,
    challenge_assign_owner,
    challenge_categorise,
    challenge_delete_draft,
    challenge_save_draft,
    challenge_submit,
    challenge_submit_protected,
    challenge_transition,
)
from polku.voice.services.common import (
    ChallengeInput,
    FieldFinding,
    PersonalDataFound,
    check_personal_data,
)
from polku.voice.services.followups import (
    FollowUpLocked,
    followup_open,
    followup_reply,
    protected_audit_seal,
)
from polku.voice.services.outcomes import challenge_record_outcome
from polku.voice.services.participation import (
    challenge_endorse,
    challenge_follow,
    challenge_unfollow,
    challenge_withdraw_endorsement,
    comment_add,
    comment_hide,
)

__all__ = [
    "ChallengeInput",
    "FieldFinding",
    "FollowUpLocked",
    "PersonalDataFound",
    "challenge_answer",
    "challenge_assign_owner",
    "challenge_categorise",
    "challenge_delete_draft",
    "challenge_endorse",
    "challenge_follow",
    "challenge_record_outcome",
    "challenge_save_draft",
    "challenge_submit",
    "challenge_submit_protected",
    "challenge_transition",
    "challenge_unfollow",
    "challenge_withdraw_endorsement",
    "check_personal_data",
    "comment_add",
    "comment_hide",
    "followup_open",
    "followup_reply",
    "protected_audit_seal",
]

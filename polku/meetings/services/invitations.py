"""Inviting people to a meeting one by one, and invitees' answers.

The invitation e-mail (with an iCalendar REQUEST) goes after commit, as for every change
invitees must hear about (see ``services.meetings``).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.models import BodyMember, Membership, Organisation
from polku.audit.services import audit_write, snapshot
from polku.meetings.choices import InvitationKind, InvitationResponse
from polku.meetings.models import Invitation, Meeting
from polku.meetings.permissions import can_manage_meeting
from polku.meetings.selectors_meetings import can_respond
from polku.meetings.services.meetings import (
    lock_meeting,
    mail_invitees_after_commit,
    meeting_start_text,
    refuse_unless_scheduled,
)
from polku.notifications.services import notify


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def invitation_respond(*, actor: User, meeting: Meeting, response: str) -> Invitation:
    """An invitee says whether they are coming, until the meeting ends."""
    _require(can_respond(actor, meeting))
    if response not in (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED):
        raise ValidationError({"response": _("Say whether you are coming.")})
    with transaction.atomic():
        fresh = lock_meeting(meeting)
        refuse_unless_scheduled(fresh)
        if fresh.ends_at <= timezone.now():
            raise ValidationError(_("This meeting is over."))
        invitation = Invitation.objects.select_for_update().get(meeting=fresh, user=actor)
        if invitation.response == response:
            return invitation
        before = snapshot(invitation, ["response"])
        invitation.response = response
        invitation.save(update_fields=["response"])
        audit_write(
            actor=actor,
            action="meetings.invitation.respond",
            target=invitation,
            before=before,
            after=snapshot(invitation, ["response"]),
            detail={"meeting": fresh.pk},
        )
    return invitation


def meeting_invite(
    *, actor: User, meeting: Meeting, user: User, organisation: Organisation
) -> Invitation:
    """Invites one more person, for the organisation they represent; a member of the body
    comes as a member, anyone else as a guest. They are e-mailed the invitation."""
    _require(can_manage_meeting(actor, meeting))
    represents = Membership.objects.filter(
        user=user, organisation=organisation, is_active=True, organisation__is_active=True
    ).exists()
    if not user.is_active or not represents:
        raise ValidationError(
            {"person": _("Choose someone who works for an active organisation in Polku.")}
        )
    with transaction.atomic():
        fresh = lock_meeting(meeting)
        refuse_unless_scheduled(fresh)
        if Invitation.objects.filter(meeting=fresh, user=user).exists():
            raise ValidationError(
                {"person": _("%(person)s is already invited.") % {"person": user}}
            )
        seat = BodyMember.objects.filter(body=fresh.body, user=user).first()
        kind = (
            InvitationKind.MEMBER
            if seat is not None and seat.role != BodyRole.GUEST
            else InvitationKind.GUEST
        )
        invitation = Invitation.objects.create(
            meeting=fresh, user=user, organisation=organisation, kind=kind
        )
        notify(
            recipients=[user],
            kind="meetings.meeting_invitation",
            title=lambda: (
                _("You are invited to %(meeting)s on %(when)s")
                % {"meeting": fresh.title, "when": meeting_start_text(fresh)}
            ),
            url=fresh.get_absolute_url(),
            target=fresh,
            exclude=actor,
            email=False,
        )
        audit_write(
            actor=actor,
            action="meetings.invitation.create",
            target=invitation,
            after=snapshot(invitation),
            detail={"meeting": fresh.pk},
        )
        mail_invitees_after_commit(fresh)
    return invitation


def invitation_claim_send(*, invitation: Invitation, sequence: int) -> int | None:
    """Records that the meeting at revision ``sequence`` is being e-mailed to the invitee,
    unless it already was; returns the revision sent before, or None when nothing was claimed.

    The claim comes before the e-mail, so a task that runs twice mails once.
    """
    with transaction.atomic():
        fresh = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk, sent_sequence__lt=sequence)
            .first()
        )
        if fresh is None:
            return None
        previous = fresh.sent_sequence
        fresh.sent_sequence = sequence
        fresh.save(update_fields=["sent_sequence"])
        audit_write(
            actor=None,
            action="meetings.invitation.send",
            target=fresh,
            before={"sent_sequence": previous},
            after={"sent_sequence": sequence},
            detail={"meeting": fresh.meeting_id},
        )
    return previous


def invitation_release_send(*, invitation: Invitation, sequence: int, previous: int) -> None:
    """Gives back a claim whose e-mail could not be sent, so sending again mails it."""
    with transaction.atomic():
        released = Invitation.objects.filter(pk=invitation.pk, sent_sequence=sequence).update(
            sent_sequence=previous
        )
        if released:
            audit_write(
                actor=None,
                action="meetings.invitation.send_failed",
                target=invitation,
                before={"sent_sequence": sequence},
                after={"sent_sequence": previous},
                detail={"meeting": invitation.meeting_id},
            )

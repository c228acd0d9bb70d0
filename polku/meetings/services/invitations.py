"""Inviting people to a meeting one by one, withdrawing an invitation, invitees' answers,
and recording what each invitee was e-mailed.

The invitation e-mail (with an iCalendar REQUEST) goes after commit, as for every change
invitees must hear about (see ``services.meetings``). A withdrawn invitation is kept for the
record but gives nothing: the person is e-mailed an iCalendar CANCEL for their calendar, and
can be invited again later.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.choices import BodyRole
from polku.actors.models import BodyMember, Membership, Organisation
from polku.audit.services import audit_write, snapshot
from polku.meetings.choices import Attendance, InvitationKind, InvitationResponse
from polku.meetings.models import Invitation, Meeting
from polku.meetings.permissions import MANAGING_SEATS, can_manage_meeting
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
        invitation = (
            Invitation.objects.select_for_update()
            .filter(meeting=fresh, user=actor, withdrawn_at__isnull=True)
            .first()
        )
        if invitation is None:
            raise ValidationError(_("Your invitation to this meeting was withdrawn."))
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
    comes as a member, anyone else as a guest. They are e-mailed the invitation.

    Someone whose invitation was withdrawn is invited again on the same invitation, which
    then starts afresh; the audit log keeps the withdrawal.
    """
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
        earlier = Invitation.objects.select_for_update().filter(meeting=fresh, user=user).first()
        if earlier is not None and earlier.withdrawn_at is None:
            raise ValidationError(
                {"person": _("%(person)s is already invited.") % {"person": user}}
            )
        seat = BodyMember.objects.filter(body=fresh.body, user=user).first()
        kind = (
            InvitationKind.MEMBER
            if seat is not None and seat.role != BodyRole.GUEST
            else InvitationKind.GUEST
        )
        before = None
        if earlier is None:
            invitation = Invitation.objects.create(
                meeting=fresh, user=user, organisation=organisation, kind=kind
            )
        else:
            invitation = earlier
            before = snapshot(invitation)
            invitation.organisation = organisation
            invitation.kind = kind
            invitation.response = InvitationResponse.PENDING
            invitation.attendance = Attendance.UNKNOWN
            invitation.invited_at = timezone.now()
            invitation.withdrawn_at = None
            invitation.withdrawn_by = None
            invitation.renewals += 1
            invitation.save()
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
            before=before,
            after=snapshot(invitation),
            detail={"meeting": fresh.pk, "again": True} if before else {"meeting": fresh.pk},
        )
        mail_invitees_after_commit(fresh)
    return invitation


def _refuse_withdrawal(meeting: Meeting, invitation: Invitation) -> None:
    """The body's chair and secretary stay invited; so does anyone whose attendance is on
    record."""
    person = invitation.user
    if invitation.withdrawn_at is not None:
        raise ValidationError(
            _("The invitation of %(person)s has already been withdrawn.") % {"person": person}
        )
    roles = set(
        BodyMember.objects.filter(
            body=meeting.body, user=person, role__in=MANAGING_SEATS
        ).values_list("role", flat=True)
    )
    names = {"person": person, "body": meeting.body}
    if BodyRole.CHAIR in roles:
        raise ValidationError(
            _(
                "%(person)s is the chair of %(body)s, and the chair cannot be un-invited from "
                "its meetings."
            )
            % names
        )
    if BodyRole.SECRETARY in roles:
        raise ValidationError(
            _(
                "%(person)s is the secretary of %(body)s, and the secretary cannot be "
                "un-invited from its meetings."
            )
            % names
        )
    if invitation.attendance != Attendance.UNKNOWN:
        raise ValidationError(
            _("The attendance of %(person)s is on record, so the invitation stays.") % names
        )


def invitation_withdraw(*, actor: User, invitation: Invitation) -> Invitation:
    """Withdraws an invitation before the meeting ends (whoever may invite).

    The person no longer sees the meeting, its papers or its minutes through the invitation
    (a seat on the body still shows them), is told in Polku, and is e-mailed a short note
    with an iCalendar CANCEL for their calendar. The invitation is kept for the record.
    """
    _require(can_manage_meeting(actor, invitation.meeting))
    with transaction.atomic():
        meeting = lock_meeting(invitation.meeting)
        refuse_unless_scheduled(meeting)
        if meeting.ends_at <= timezone.now():
            raise ValidationError(_("This meeting is over; its invitations stay as they were."))
        fresh = (
            Invitation.objects.select_for_update()
            .select_related("user")
            .get(pk=invitation.pk, meeting=meeting)
        )
        _refuse_withdrawal(meeting, fresh)
        fields = ["withdrawn_at", "withdrawn_by"]
        before = snapshot(fresh, fields)
        fresh.withdrawn_at = timezone.now()
        fresh.withdrawn_by = actor
        fresh.save(update_fields=fields)
        notify(
            recipients=[fresh.user],
            kind="meetings.invitation_withdrawn",
            title=lambda: (
                _("Your invitation to %(meeting)s on %(when)s was withdrawn")
                % {"meeting": meeting.title, "when": meeting_start_text(meeting)}
            ),
            target=meeting,
            exclude=actor,
            email=False,
        )
        audit_write(
            actor=actor,
            action="meetings.invitation.withdraw",
            target=fresh,
            before=before,
            after=snapshot(fresh, fields),
            detail={"meeting": meeting.pk, "person": fresh.user_id},
        )
        invitation_id = fresh.pk

        def enqueue() -> None:
            from polku.meetings.tasks import meeting_mail_withdrawal

            meeting_mail_withdrawal.enqueue(invitation_id=invitation_id)

        transaction.on_commit(enqueue)
    return fresh


def invitation_claim_send(*, invitation: Invitation, sequence: int) -> int | None:
    """Records that the meeting at revision ``sequence`` is being e-mailed to the invitee,
    unless it already was; returns the revision sent before, or None when nothing was claimed.

    The claim comes before the e-mail, so a task that runs twice mails once. ``invitation``
    takes the ``renewals`` of the row as claimed, which the e-mail's SEQUENCE adds.
    """
    with transaction.atomic():
        fresh = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk, sent_sequence__lt=sequence, withdrawn_at__isnull=True)
            .first()
        )
        if fresh is None:
            return None
        previous = fresh.sent_sequence
        fresh.sent_sequence = sequence
        fresh.save(update_fields=["sent_sequence"])
        invitation.renewals = fresh.renewals
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


def invitation_claim_withdrawal_send(*, invitation: Invitation) -> int | None:
    """Records that someone whose invitation was withdrawn is being e-mailed the CANCEL that
    empties their calendar (``sent_sequence`` back to -1); returns the revision it held, or
    None when there is nothing to send: never e-mailed, told already, or invited again.

    ``invitation`` takes the ``renewals`` of the row as claimed: the CANCEL carries them, and
    inviting the person again after this claim adds one, so the new REQUEST outranks it.
    """
    with transaction.atomic():
        fresh = (
            Invitation.objects.select_for_update()
            .filter(pk=invitation.pk, withdrawn_at__isnull=False, sent_sequence__gte=0)
            .first()
        )
        if fresh is None:
            return None
        previous = fresh.sent_sequence
        fresh.sent_sequence = -1
        fresh.save(update_fields=["sent_sequence"])
        invitation.renewals = fresh.renewals
        audit_write(
            actor=None,
            action="meetings.invitation.send",
            target=fresh,
            before={"sent_sequence": previous},
            after={"sent_sequence": -1},
            detail={"meeting": fresh.meeting_id, "withdrawn": True},
        )
    return previous

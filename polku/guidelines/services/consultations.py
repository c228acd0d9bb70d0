"""Consultation rounds: invitations, comments on paragraphs, statements, answers, the report."""

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from polku.accounts.models import User
from polku.actors.models import Membership, Organisation
from polku.audit.services import audit_write
from polku.core.permissions import is_insider
from polku.guidelines.choices import REASON_REQUIRED, EventKind, GuidelineStatus, Response
from polku.guidelines.models import (
    Comment,
    Consultation,
    Guideline,
    GuidelineText,
    Invitation,
    Statement,
)
from polku.guidelines.permissions import (
    can_answer,
    can_comment,
    can_draft,
    can_manage_consultation,
)
from polku.guidelines.services.common import (
    COMMENT_MAX,
    clean_text,
    locked,
    move,
    record_event,
    require_permission,
    tell_subscribers,
)
from polku.notifications.services import notify


def _clean_invitees(
    organisations: Sequence[Organisation], people: Sequence[User]
) -> tuple[list[Organisation], list[User]]:
    errors: dict[str, list[str]] = {}
    for organisation in organisations:
        if not organisation.is_active:
            errors.setdefault("organisations", []).append(
                _("“%(name)s” no longer takes part.") % {"name": organisation}
            )
    for person in people:
        if not is_insider(person):
            errors.setdefault("people", []).append(
                _("%(name)s holds no role in Polku and cannot comment.") % {"name": person}
            )
    if errors:
        raise ValidationError(errors)
    return list(dict.fromkeys(organisations)), list(dict.fromkeys(people))


def _invite(
    *,
    actor: User,
    consultation: Consultation,
    organisations: Sequence[Organisation],
    people: Sequence[User],
) -> list[Invitation]:
    now = timezone.now()
    have_organisations = set(
        consultation.invitations.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    have_people = set(
        consultation.invitations.filter(user__isnull=False).values_list("user_id", flat=True)
    )
    new = [
        Invitation(consultation=consultation, organisation=organisation, invited_by=actor, invited_at=now)
        for organisation in organisations
        if organisation.pk not in have_organisations
    ] + [
        Invitation(consultation=consultation, user=person, invited_by=actor, invited_at=now)
        for person in people
        if person.pk not in have_people
    ]  # fmt: skip
    if not new:
        raise ValidationError(
            {"organisations": _("Choose at least one organisation or person not yet invited.")}
        )
    Invitation.objects.bulk_create(new)
    _tell_invitees(consultation, new, actor=actor)
    return new


def _tell_invitees(
    consultation: Consultation, invitations: list[Invitation], *, actor: User
) -> None:
    people = {invitation.user for invitation in invitations if invitation.user is not None}
    organisation_ids = [i.organisation_id for i in invitations if i.organisation_id is not None]
    members = Membership.objects.filter(
        organisation_id__in=organisation_ids, is_active=True, organisation__is_active=True
    ).select_related("user")
    people.update(membership.user for membership in members)
    title = consultation.guideline.title
    deadline = consultation.deadline

    def text() -> str:
        return _(
            "You are invited to comment on the draft guideline “%(title)s” by %(deadline)s"
        ) % {
            "title": title,
            "deadline": deadline.strftime("%d.%m.%Y"),
        }

    notify(
        recipients=sorted(people, key=lambda person: person.pk),
        kind="guideline_consultation",
        title=text,
        url=consultation.get_absolute_url(),
        target=consultation.guideline,
        exclude=actor,
    )


@transaction.atomic
def consultation_open(
    *,
    actor: User,
    guideline: Guideline,
    deadline: date,
    organisations: Sequence[Organisation] = (),
    people: Sequence[User] = (),
    introduction: str = "",
) -> Consultation:
    """Opens a round on the current version and invites organisations and people to comment."""
    guideline = locked(guideline)
    require_permission(can_draft(actor))
    errors: dict[str, list[str]] = {}
    if deadline < timezone.localdate():
        errors["deadline"] = [_("The deadline cannot be in the past.")]
    if not organisations and not people:
        errors["organisations"] = [_("Invite at least one organisation or person.")]
    if errors:
        raise ValidationError(errors)
    introduction = clean_text(introduction, field_name="introduction", limit=COMMENT_MAX)
    organisations, people = _clean_invitees(organisations, people)
    if guideline.current_version_id is None:
        raise ValidationError(_("Write the text before opening a consultation."))
    from_status = move(
        guideline, GuidelineStatus.CONSULTATION, actor=actor, kind=EventKind.CONSULTATION
    )
    last = guideline.consultations.order_by("-number").values_list("number", flat=True).first()
    consultation = Consultation.objects.create(
        guideline=guideline,
        version_id=guideline.current_version_id,
        number=(last or 0) + 1,
        introduction=introduction,
        deadline=deadline,
        opened_by=actor,
        opened_at=timezone.now(),
    )
    guideline.updated_by = actor
    guideline.save()
    _invite(actor=actor, consultation=consultation, organisations=organisations, people=people)
    audit_write(
        actor=actor,
        action="guidelines.consultation.open",
        target=guideline,
        before={"status": from_status},
        after={
            "status": guideline.status,
            "consultation": consultation.pk,
            "deadline": deadline,
            "organisations": sorted(organisation.pk for organisation in organisations),
            "people": sorted(person.pk for person in people),
        },
    )
    deadline_text = deadline.strftime("%d.%m.%Y")
    title = guideline.title
    tell_subscribers(
        guideline,
        title=lambda: (
            _("The guideline “%(title)s” is open for comments until %(deadline)s")
            % {"title": title, "deadline": deadline_text}
        ),
        actor=actor,
    )
    return consultation


@transaction.atomic
def consultation_invite(
    *,
    actor: User,
    consultation: Consultation,
    organisations: Sequence[Organisation] = (),
    people: Sequence[User] = (),
) -> list[Invitation]:
    """Invites more organisations and people while the round is open."""
    require_permission(can_manage_consultation(actor, consultation))
    organisations, people = _clean_invitees(organisations, people)
    invitations = _invite(
        actor=actor, consultation=consultation, organisations=organisations, people=people
    )
    audit_write(
        actor=actor,
        action="guidelines.consultation.invite",
        target=consultation.guideline,
        detail={
            "consultation": consultation.pk,
            "organisations": sorted(i.organisation_id for i in invitations if i.organisation_id),
            "people": sorted(i.user_id for i in invitations if i.user_id),
        },
    )
    return invitations


@transaction.atomic
def consultation_close(*, actor: User, consultation: Consultation) -> Consultation:
    """Ends the round before its deadline (everyone has answered, or time is short)."""
    require_permission(can_manage_consultation(actor, consultation))
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["closed_at"])
    record_event(consultation.guideline, EventKind.CONSULTATION_CLOSED, actor=actor)
    audit_write(
        actor=actor,
        action="guidelines.consultation.close",
        target=consultation.guideline,
        detail={"consultation": consultation.pk},
    )
    return consultation


def _acting_organisation(actor: User, consultation: Consultation) -> Organisation | None:
    """The organisation the comment is made for: an invited one the actor belongs to first."""
    memberships = list(
        Membership.objects.filter(user=actor, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    invited = set(
        consultation.invitations.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
    )
    for membership in memberships:
        if membership.organisation_id in invited:
            return membership.organisation
    return memberships[0].organisation if memberships else None


@transaction.atomic
def comment_add(
    *,
    actor: User,
    consultation: Consultation,
    body: str,
    language: str,
    paragraph_id: str = "",
    proposed_text: str = "",
) -> Comment:
    """Comments on one paragraph of the consulted version, or on the whole guideline."""
    require_permission(can_comment(actor, consultation))
    body = clean_text(
        body, field_name="body", limit=COMMENT_MAX, required_message=_("Write a comment.")
    )
    proposed_text = clean_text(proposed_text, field_name="proposed_text", limit=COMMENT_MAX)
    text = GuidelineText.objects.filter(
        version_id=consultation.version_id, language=language
    ).first()
    if text is None:
        raise ValidationError(
            {"language": _("The consulted version has no text in this language.")}
        )
    paragraph_text = ""
    position: int | None = None
    if paragraph_id:
        for index, item in enumerate(text.paragraphs):
            if item["id"] == paragraph_id:
                paragraph_text, position = item["text"], index + 1
                break
        else:
            raise ValidationError(
                {"paragraph_id": _("That paragraph is not in the version under consultation.")}
            )
    elif proposed_text:
        raise ValidationError(
            {
                "proposed_text": _(
                    "Propose new text on a paragraph; comment on the whole without it."
                )
            }
        )
    comment = Comment.objects.create(
        consultation=consultation,
        author=actor,
        organisation=_acting_organisation(actor, consultation),
        version_id=consultation.version_id,
        language=language,
        paragraph_id=paragraph_id,
        paragraph_position=position,
        paragraph_text=paragraph_text,
        body=body,
        proposed_text=proposed_text,
        created_at=timezone.now(),
    )
    audit_write(
        actor=actor,
        action="guidelines.comment.add",
        target=comment,
        after={
            "consultation": consultation.pk,
            "language": language,
            "paragraph_id": paragraph_id,
            "organisation": comment.organisation_id,
            "proposes_text": bool(proposed_text),
        },
    )
    return comment


@transaction.atomic
def statement_submit(
    *,
    actor: User,
    consultation: Consultation,
    organisation: Organisation,
    text: str,
    comments: Sequence[Comment],
) -> Statement:
    """Gathers an organisation's comments into its one official statement for the round."""
    require_permission(can_comment(actor, consultation))
    require_permission(
        Membership.objects.filter(
            user=actor, organisation=organisation, is_active=True, organisation__is_active=True
        ).exists()
    )
    text = clean_text(
        text,
        field_name="text",
        limit=COMMENT_MAX,
        required_message=_("Write the statement's covering text."),
    )
    if Statement.objects.filter(consultation=consultation, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s has already given its official statement in this round.")
            % {"organisation": organisation}
        )
    if not comments:
        raise ValidationError({"comments": _("Choose the comments the statement gathers.")})
    for comment in comments:
        if (
            comment.consultation_id != consultation.pk
            or comment.organisation_id != organisation.pk
            or comment.statement_id is not None
        ):
            raise ValidationError(
                {"comments": _("A statement gathers only its organisation's own comments.")}
            )
    statement = Statement.objects.create(
        consultation=consultation,
        organisation=organisation,
        text=text,
        submitted_by=actor,
        submitted_at=timezone.now(),
    )
    Comment.objects.filter(pk__in=[comment.pk for comment in comments]).update(statement=statement)
    audit_write(
        actor=actor,
        action="guidelines.statement.submit",
        target=statement,
        after={
            "consultation": consultation.pk,
            "organisation": organisation.pk,
            "comments": sorted(comment.pk for comment in comments),
        },
    )
    return statement


@transaction.atomic
def comment_answer(*, actor: User, comment: Comment, response: str, reason: str = "") -> Comment:
    """Answers a comment after the round: accepted, partly accepted or not, and why."""
    comment = (
        Comment.objects.select_for_update()
        .select_related("consultation__guideline")
        .get(pk=comment.pk)
    )
    require_permission(can_answer(actor, comment.consultation))
    if response not in Response.values:
        raise ValidationError({"response": _("Choose whether the comment is accepted.")})
    reason = clean_text(
        reason,
        field_name="reason",
        limit=COMMENT_MAX,
        required_message=_("Say why the comment is not accepted in full.")
        if response in REASON_REQUIRED
        else "",
    )
    before = {"response": comment.response, "reason": comment.response_reason}
    comment.response = response
    comment.response_reason = reason
    comment.answered_by = actor
    comment.answered_at = timezone.now()
    comment.save(update_fields=["response", "response_reason", "answered_by", "answered_at"])
    audit_write(
        actor=actor,
        action="guidelines.comment.answer",
        target=comment,
        before=before,
        after={"response": response, "reason": reason},
    )
    return comment


@transaction.atomic
def report_publish(*, actor: User, consultation: Consultation) -> Consultation:
    """Publishes the round's report: public once (or as soon as) the guideline is published."""
    require_permission(can_draft(actor))
    consultation = (
        Consultation.objects.select_for_update().select_related("guideline").get(pk=consultation.pk)
    )
    if consultation.is_open:
        raise ValidationError(_("The report can be published once the round has ended."))
    if consultation.comments.filter(response="").exists():
        raise ValidationError(_("Answer every comment before publishing the report."))
    if consultation.report_published_at is not None:
        raise ValidationError(_("The report is already published."))
    consultation.report_published_at = timezone.now()
    consultation.save(update_fields=["report_published_at"])
    record_event(consultation.guideline, EventKind.REPORT, actor=actor)
    audit_write(
        actor=actor,
        action="guidelines.consultation.publish_report",
        target=consultation.guideline,
        detail={"consultation": consultation.pk},
    )
    return consultation

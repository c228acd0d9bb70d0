"""Writes to organisations, people, memberships and bodies. Each one is audited."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import BodyRole, OrganisationKind
from polku.actors.models import Body, BodyMember, Membership, Organisation
from polku.audit.services import audit_security, audit_write, snapshot

ORGANISATION_FIELDS = (
    "name",
    "name_fi",
    "name_sv",
    "short_name",
    "kind",
    "parent",
    "region",
    "website",
    "email",
    "description",
    "is_active",
)
PERSON_FIELDS = ("username", "first_name", "last_name", "email", "job_title", "phone", "is_active")
BODY_FIELDS = (
    "name",
    "name_fi",
    "name_sv",
    "kind",
    "visibility",
    "mandate",
    "convened_by",
    "is_active",
)


def _assign(instance: Any, data: Mapping[str, Any], allowed: tuple[str, ...]) -> list[str]:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    changed = []
    for field, value in data.items():
        if getattr(instance, field) != value:
            setattr(instance, field, value)
            changed.append(field)
    return changed


def _check_parent(organisation: Organisation) -> None:
    parent = organisation.parent
    seen = set()
    while parent is not None:
        if parent.pk == organisation.pk or parent.pk in seen:
            raise ValidationError(
                {"parent": _("An organisation cannot be part of itself or of its own parts.")}
            )
        seen.add(parent.pk)
        parent = parent.parent


def organisation_create(*, actor: User, data: Mapping[str, Any]) -> Organisation:
    """Adds an organisation to the directory."""
    organisation = Organisation(created_by=actor, updated_by=actor)
    _assign(organisation, data, ORGANISATION_FIELDS)
    organisation.full_clean()
    with transaction.atomic():
        organisation.save()
        audit_write(
            actor=actor,
            action="actors.organisation.create",
            target=organisation,
            after=snapshot(organisation),
        )
    return organisation


def organisation_update(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> Organisation:
    """Changes an organisation's details; retiring one keeps its history."""
    before = snapshot(organisation)
    changed = _assign(organisation, data, ORGANISATION_FIELDS)
    if not changed:
        return organisation
    _check_parent(organisation)
    organisation.full_clean()
    organisation.updated_by = actor
    with transaction.atomic():
        organisation.save()
        after = snapshot(organisation)
        keys = [key for key in after if key in changed or key.removesuffix("_id") in changed]
        audit_write(
            actor=actor,
            action="actors.organisation.update",
            target=organisation,
            before={key: before[key] for key in keys},
            after={key: after[key] for key in keys},
        )
    return organisation


CREDENTIAL_FIELDS = frozenset({"username", "email", "is_active"})


def _check_unique_sign_in(person: User) -> None:
    """User names and e-mail addresses identify one account each, whatever their case."""
    others = User.objects.exclude(pk=person.pk)
    errors = {}
    if others.filter(username__iexact=person.username).exists():
        errors["username"] = _("Another account already has this user name.")
    if person.email and others.filter(email__iexact=person.email).exists():
        errors["email"] = _("Another account already uses this e-mail address.")
    if errors:
        raise ValidationError(errors)


def _tell_old_address(*, person: User, old_email: str) -> None:
    """Warns the previous address, so a hijacked account is noticed by its owner."""
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Your e-mail address in Polku was changed")
        body = _(
            "The e-mail address of your Polku account (%(username)s) was changed by the "
            "coordination. If you did not expect this, contact your Polku administrator."
        ) % {"username": person.username}
    send_mail(subject, body, None, [old_email])


def person_create(*, actor: User, data: Mapping[str, Any]) -> User:
    """Adds a person; they set their own password through the reset e-mail."""
    person = User()
    _assign(person, data, PERSON_FIELDS)
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    _check_unique_sign_in(person)
    with transaction.atomic():
        person.save()
        audit_write(
            actor=actor, action="actors.person.create", target=person, after=snapshot(person)
        )
    return person


def person_update(*, actor: User, person: User, data: Mapping[str, Any]) -> User:
    """Changes a person's details."""
    before = snapshot(person)
    old_email = person.email
    changed = _assign(person, data, PERSON_FIELDS)
    if not changed:
        return person
    if (
        CREDENTIAL_FIELDS.intersection(changed)
        and (person.is_superuser or person.has_role(Role.ADMINISTRATOR))
        and not actor.has_role(Role.ADMINISTRATOR)
    ):
        raise ValidationError(_("Only an administrator can change how an administrator signs in."))
    person.full_clean(exclude=["password"])
    _check_unique_sign_in(person)
    with transaction.atomic():
        person.save(update_fields=changed)
        after = snapshot(person)
        audit_write(
            actor=actor,
            action="actors.person.update",
            target=person,
            before={field: before[field] for field in changed},
            after={field: after[field] for field in changed},
        )
        if "email" in changed:
            audit_security(
                actor=actor, action="actors.person.email_change", detail={"person": person.pk}
            )
            if old_email:
                transaction.on_commit(lambda: _tell_old_address(person=person, old_email=old_email))
    return person


def membership_add(
    *, actor: User, user: User, organisation: Organisation, role: str, title: str = ""
) -> Membership:
    """Gives a person a role through an organisation (or reactivates an ended one)."""
    if not organisation.is_active:
        raise ValidationError(
            _("%(organisation)s is no longer active.") % {"organisation": organisation}
        )
    with transaction.atomic():
        existing = (
            Membership.objects.select_for_update()
            .filter(user=user, organisation=organisation, role=role)
            .first()
        )
        if existing is not None and existing.is_active:
            raise ValidationError(
                _("%(person)s already holds this role in %(organisation)s.")
                % {"person": user, "organisation": organisation}
            )
        membership = existing or Membership(
            user=user, organisation=organisation, role=role, created_by=actor
        )
        before = snapshot(membership) if existing else None
        membership.is_active = True
        membership.title = title
        membership.confirmed_at = timezone.now()
        membership.updated_by = actor
        membership.save()
        audit_write(
            actor=actor,
            action="actors.membership.add",
            target=membership,
            before=before,
            after=snapshot(membership),
        )
    return membership


def membership_end(*, actor: User, membership: Membership) -> Membership:
    """Ends a membership; the row stays so the history of who held which role is kept."""
    if not membership.is_active:
        raise ValidationError(_("This membership has already ended."))
    with transaction.atomic():
        membership.is_active = False
        membership.updated_by = actor
        membership.save(update_fields=["is_active", "updated_by", "updated_at"])
        audit_write(
            actor=actor,
            action="actors.membership.end",
            target=membership,
            before={"is_active": True},
            after={"is_active": False},
        )
    return membership


def membership_confirm(*, actor: User, membership: Membership) -> Membership:
    """Records that someone checked the person still holds the role."""
    if not membership.is_active:
        raise ValidationError(_("An ended membership cannot be confirmed."))
    with transaction.atomic():
        before = {"confirmed_at": membership.confirmed_at}
        membership.confirmed_at = timezone.now()
        membership.updated_by = actor
        membership.save(update_fields=["confirmed_at", "updated_by", "updated_at"])
        audit_write(
            actor=actor,
            action="actors.membership.confirm",
            target=membership,
            before=before,
            after={"confirmed_at": membership.confirmed_at},
        )
    return membership


def body_create(*, actor: User, data: Mapping[str, Any]) -> Body:
    """Sets up a body: the secretariat, a working group or a round table."""
    body = Body(created_by=actor, updated_by=actor)
    _assign(body, data, BODY_FIELDS)
    body.full_clean()
    with transaction.atomic():
        body.save()
        audit_write(actor=actor, action="actors.body.create", target=body, after=snapshot(body))
    return body


def body_update(*, actor: User, body: Body, data: Mapping[str, Any]) -> Body:
    """Changes a body's name, mandate or visibility."""
    before = snapshot(body)
    changed = _assign(body, data, BODY_FIELDS)
    if not changed:
        return body
    body.full_clean()
    body.updated_by = actor
    with transaction.atomic():
        body.save()
        after = snapshot(body)
        keys = [key for key in after if key in changed or key.removesuffix("_id") in changed]
        audit_write(
            actor=actor,
            action="actors.body.update",
            target=body,
            before={key: before[key] for key in keys},
            after={key: after[key] for key in keys},
        )
    return body


def body_member_add(
    *, actor: User, body: Body, user: User, organisation: Organisation, role: str
) -> BodyMember:
    """Seats a person on a body, representing an organisation, in a role."""
    if role in (BodyRole.FOCAL_POINT, BodyRole.DEPUTY_FOCAL_POINT) and (
        organisation.kind != OrganisationKind.MINISTRY
    ):
        raise ValidationError({"role": _("Focal points and their deputies represent a ministry.")})
    if body.members.filter(user=user).exists():
        raise ValidationError(
            {"user": _("%(person)s already sits on this body.") % {"person": user}}
        )
    if role in (BodyRole.CHAIR, BodyRole.SECRETARY) and body.members.filter(role=role).exists():
        raise ValidationError({"role": _("This body already has someone in that role.")})
    if (
        role in (BodyRole.FOCAL_POINT, BodyRole.DEPUTY_FOCAL_POINT)
        and body.members.filter(role=role, organisation=organisation).exists()
    ):
        raise ValidationError(
            {
                "role": _("%(organisation)s already has someone in that role on this body.")
                % {"organisation": organisation}
            }
        )
    member = BodyMember(
        body=body,
        user=user,
        organisation=organisation,
        role=role,
        created_by=actor,
        updated_by=actor,
    )
    try:
        with transaction.atomic():
            member.save()
            audit_write(
                actor=actor, action="actors.body_member.add", target=member, after=snapshot(member)
            )
    except IntegrityError as error:
        # A concurrent request took the seat first; the constraints are the final word.
        raise ValidationError(
            _("That seat was taken a moment ago. Reload and try again.")
        ) from error
    return member


def body_member_remove(*, actor: User, member: BodyMember) -> None:
    """Removes a person's seat on a body."""
    with transaction.atomic():
        before = snapshot(member)
        label = str(member)
        audit_write(
            actor=actor,
            action="actors.body_member.remove",
            target=member,
            before=before,
            detail={"seat": label},
        )
        member.delete()

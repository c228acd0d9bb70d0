"""Pages to browse and keep the directory: organisations, people and bodies."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from polku.accounts.selectors import has_two_step
from polku.accounts.services import mfa_reset
from polku.actors import selectors, services
from polku.actors.forms import (
    BodyFilterForm,
    BodyForm,
    BodyMemberForm,
    MembershipForm,
    MfaResetForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
)
from polku.actors.models import Body
from polku.actors.permissions import can_manage_body, can_manage_directory, person_scope
from polku.audit.services import audit_access
from polku.core.http import show_service_error, signed_in_user
from polku.core.pagination import paginate
from polku.core.permissions import insider_required, require


@insider_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = OrganisationFilterForm(
        request.GET or None, regions=selectors.organisation_regions(user=user)
    )
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = selectors.organisation_list(
        user=user,
        search=filters.get("q", ""),
        kind=filters.get("kind", ""),
        region=filters.get("region", ""),
        include_inactive=filters.get("include_inactive", False),
    )
    return render(
        request,
        "actors/organisation_list.html",
        {
            "form": form,
            "page_obj": paginate(request, organisations),
            "can_manage": can_manage_directory(user),
            "filtered": bool(filters and any(filters.values())),
        },
    )


@insider_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    organisation = selectors.organisation_get(user=user, pk=pk)
    return render(
        request,
        "actors/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": selectors.organisation_memberships(organisation=organisation),
            "children": selectors.organisation_children(user=user, organisation=organisation),
            "seats": selectors.organisation_seats(user=user, organisation=organisation),
            "can_manage": can_manage_directory(user),
        },
    )


@insider_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_manage_directory(user))
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=user, data=form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Organisation added."))
            return redirect(organisation)
    return render(request, "actors/organisation_form.html", {"form": form})


@insider_required
@require_http_methods(["GET", "POST"])
def organisation_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    organisation = selectors.organisation_get(user=user, pk=pk)
    require(can_manage_directory(user))
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=user,
                organisation=selectors.organisation_get(user=user, pk=pk),
                data=form.cleaned_data,
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(organisation)
    return render(
        request, "actors/organisation_form.html", {"form": form, "organisation": organisation}
    )


@insider_required
def person_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PersonFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_list(
        user=user,
        search=filters.get("q", ""),
        organisation=filters.get("organisation", ""),
        role=filters.get("role", ""),
    )
    return render(
        request,
        "actors/person_list.html",
        {
            "form": form,
            "page_obj": paginate(request, people),
            "can_manage": can_manage_directory(user),
            "filtered": bool(filters and any(filters.values())),
        },
    )


@insider_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    person = selectors.person_get(user=user, pk=pk)
    # Contact details are personal data: every view of them is recorded.
    audit_access(actor=user, action="actors.person.view", target=person)
    return render(
        request,
        "actors/person_detail.html",
        {
            "person": person,
            "memberships": selectors.person_memberships(person=person),
            "seats": selectors.person_seats(user=user, person=person),
            "can_manage": can_manage_directory(user),
            "membership_form": MembershipForm(),
            "has_two_step": can_manage_directory(user) and has_two_step(person),
        },
    )


@insider_required
@require_http_methods(["GET", "POST"])
def person_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A directory manager removes someone's lost authenticator, giving the reason."""
    user = signed_in_user(request)
    person = selectors.person_get(user=user, pk=pk)
    require(can_manage_directory(user) and person.pk != user.pk)
    form = MfaResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mfa_reset(actor=user, user=person, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Two-step sign-in reset. %(person)s sets it up again at the next sign-in.")
                % {"person": person},
            )
            return redirect(person)
    return render(request, "actors/person_mfa_reset.html", {"person": person, "form": form})


@insider_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_manage_directory(user))
    form = PersonForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=user, data=form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(
                request,
                _("Person added. They set their password with “I have forgotten my password”."),
            )
            return redirect(person)
    return render(request, "actors/person_form.html", {"form": form})


@insider_required
@require_http_methods(["GET", "POST"])
def person_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    person = selectors.person_get(user=user, pk=pk)
    require(can_manage_directory(user))
    if request.method == "GET":
        audit_access(actor=user, action="actors.person.view", target=person)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=user, person=selectors.person_get(user=user, pk=pk), data=form.cleaned_data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(person)
    return render(request, "actors/person_form.html", {"form": form, "person": person})


@insider_required
@require_POST
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    person = selectors.person_get(user=user, pk=pk)
    require(can_manage_directory(user))
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(
                actor=user,
                user=person,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Role given."))
            return redirect(person)
    audit_access(actor=user, action="actors.person.view", target=person)
    return render(
        request,
        "actors/person_detail.html",
        {
            "person": person,
            "memberships": selectors.person_memberships(person=person),
            "seats": selectors.person_seats(user=user, person=person),
            "can_manage": True,
            "membership_form": form,
        },
    )


@insider_required
@require_POST
def membership_confirm(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    person = selectors.person_get(user=user, pk=pk)
    require(can_manage_directory(user))
    membership = get_object_or_404(person.memberships, pk=membership_pk)
    try:
        services.membership_confirm(actor=user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Membership confirmed."))
    return redirect(person)


@insider_required
@require_http_methods(["GET", "POST"])
def membership_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    person = selectors.person_get(user=user, pk=pk)
    require(can_manage_directory(user))
    membership = get_object_or_404(
        person.memberships.select_related("organisation"), pk=membership_pk
    )
    if request.method == "POST":
        try:
            services.membership_end(actor=user, membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Membership ended."))
        return redirect(person)
    return render(
        request,
        "actors/confirm.html",
        {
            "title": _("End this membership?"),
            "message": _(
                "%(person)s will no longer hold the role “%(role)s” through %(organisation)s. "
                "The record is kept."
            )
            % {
                "person": person,
                "role": membership.get_role_display(),
                "organisation": membership.organisation.display_name,
            },
            "button": _("End membership"),
            "cancel_url": person.get_absolute_url(),
        },
    )


def _body_context(body: Body, *, can_manage: bool, member_form: BodyMemberForm) -> dict[str, Any]:
    members = list(selectors.body_members(body=body))
    return {
        "body": body,
        "members": members,
        "focal_points": selectors.focal_points_by_ministry(members=members),
        "can_manage": can_manage,
        "member_form": member_form,
    }


@insider_required
def body_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = BodyFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    bodies = selectors.body_list(
        user=user, search=filters.get("q", ""), kind=filters.get("kind", "")
    )
    return render(
        request,
        "actors/body_list.html",
        {
            "form": form,
            "page_obj": paginate(request, bodies),
            "can_manage": can_manage_directory(user),
            "filtered": bool(filters and any(filters.values())),
        },
    )


@insider_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    body = selectors.body_get(user=user, pk=pk)
    return render(
        request,
        "actors/body_detail.html",
        _body_context(
            body,
            can_manage=can_manage_body(user, body),
            member_form=BodyMemberForm(people=person_scope(user)),
        ),
    )


@insider_required
@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(can_manage_directory(user))
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(actor=user, data=form.cleaned_data)
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Body set up."))
            return redirect(body)
    return render(request, "actors/body_form.html", {"form": form})


@insider_required
@require_http_methods(["GET", "POST"])
def body_update(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    body = selectors.body_get(user=user, pk=pk)
    require(can_manage_body(user, body))
    form = BodyForm(request.POST or None, instance=body)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(
                actor=user, body=selectors.body_get(user=user, pk=pk), data=form.cleaned_data
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(body)
    return render(request, "actors/body_form.html", {"form": form, "body": body})


@insider_required
@require_POST
def body_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    body = selectors.body_get(user=user, pk=pk)
    require(can_manage_body(user, body))
    form = BodyMemberForm(request.POST, people=person_scope(user))
    if form.is_valid():
        try:
            with transaction.atomic():
                services.body_member_add(
                    actor=user,
                    body=body,
                    user=form.cleaned_data["person"],
                    organisation=form.cleaned_data["organisation"],
                    role=form.cleaned_data["role"],
                )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            messages.success(request, _("Member added."))
            return redirect(body)
    return render(
        request,
        "actors/body_detail.html",
        _body_context(body, can_manage=True, member_form=form),
    )


@insider_required
@require_http_methods(["GET", "POST"])
def body_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    user = signed_in_user(request)
    body = selectors.body_get(user=user, pk=pk)
    require(can_manage_body(user, body))
    member = get_object_or_404(body.members.select_related("user", "organisation"), pk=member_pk)
    if request.method == "POST":
        services.body_member_remove(actor=user, member=member)
        messages.success(request, _("Member removed."))
        return redirect(body)
    return render(
        request,
        "actors/confirm.html",
        {
            "title": _("Remove this member?"),
            "message": _("%(person)s (%(role)s, %(organisation)s) will no longer sit on %(body)s.")
            % {
                "person": member.user,
                "role": member.get_role_display(),
                "organisation": member.organisation.display_name,
                "body": body.display_name,
            },
            "button": _("Remove member"),
            "cancel_url": body.get_absolute_url(),
        },
    )

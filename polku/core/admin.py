"""Admin building blocks: Polku's data changes through its services, never through the admin."""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest, HttpResponse

from polku.accounts.models import User
from polku.audit.services import audit_access, audit_write, snapshot


class ReadOnlyAdminMixin:
    """Shows rows without add, change or delete: writes must go through audited services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AuditedReadAdmin[M: Model](ReadOnlyAdminMixin, admin.ModelAdmin[M]):
    """A read-only admin that records each list and each object viewed as an access event."""

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            audit_access(
                actor=_user(request),
                action=f"{self.model._meta.label_lower}.list",
                detail={"via": "admin", "query": request.GET.urlencode()},
            )
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            audit_access(
                actor=_user(request),
                action=f"{self.model._meta.label_lower}.view",
                detail={"via": "admin", "id": object_id},
            )
        return response


class AuditedWriteAdmin[M: Model](admin.ModelAdmin[M]):
    """An admin for reference data that administrators keep there: every add, change and
    delete, its inlines' included, is an audited write with what it was and what it became.

    Django's admin runs each save in one transaction, so a change and its audit event are
    kept or lost together.
    """

    def save_model(self, request: HttpRequest, obj: M, form: ModelForm[M], change: bool) -> None:
        before = _stored(obj) if change else None
        super().save_model(request, obj, form, change)
        # Many-to-many values are saved after this (save_related); the event is written there.
        request._polku_admin_before = before  # type: ignore[attr-defined]

    def save_related(
        self, request: HttpRequest, form: ModelForm[M], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        _audit_saved(request, form.instance, getattr(request, "_polku_admin_before", None))

    def save_formset(
        self, request: HttpRequest, form: ModelForm[M], formset: BaseFormSet[Any], change: bool
    ) -> None:
        instances = formset.save(commit=False)  # type: ignore[attr-defined]
        for deleted in formset.deleted_objects:  # type: ignore[attr-defined]
            _audit_delete(request, deleted)
            deleted.delete()
        for instance in instances:
            before = _stored(instance) if instance.pk is not None else None
            instance.save()
            _audit_saved(request, instance, before)
        formset.save_m2m()  # type: ignore[attr-defined]

    def delete_model(self, request: HttpRequest, obj: M) -> None:
        _audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[M]) -> None:
        # One event per row, as deleting them one at a time would record.
        for obj in queryset:
            self.delete_model(request, obj)


def _picture(obj: Model) -> dict[str, Any]:
    """The row's fields and its many-to-many values (as sorted ids)."""
    values = snapshot(obj)
    for field in obj._meta.many_to_many:
        values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def _stored(obj: Model) -> dict[str, Any] | None:
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return _picture(stored) if stored is not None else None


def _audit_saved(request: HttpRequest, obj: Model, before: dict[str, Any] | None) -> None:
    after = _picture(obj)
    if before is not None:
        changed = [key for key, value in after.items() if before.get(key) != value]
        if not changed:
            return
        before = {key: before.get(key) for key in changed}
        after = {key: after[key] for key in changed}
    audit_write(
        actor=_user(request),
        action=f"{obj._meta.label_lower}.{'change' if before is not None else 'add'}",
        target=obj,
        before=before,
        after=after,
        detail={"via": "admin"},
    )


def _audit_delete(request: HttpRequest, obj: Model) -> None:
    audit_write(
        actor=_user(request),
        action=f"{obj._meta.label_lower}.delete",
        target=obj,
        before=_picture(obj),
        detail={"via": "admin"},
    )


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None

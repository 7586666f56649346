"""The Django admin, scoped to organisations (issue 18 point 2).

A superuser sees everything. Any other staff user sees and changes only what belongs to
the controllers where their membership role is admin (``administered_by``): those
controllers, their policies, data map, sources, letterheads, mailboxes, webhooks and
suppression list. Django's per-model permissions are not what decides here; the
membership is, as everywhere else in the product. Another controller's objects do not
exist for them: not listed, not offered in a choice, 404 when asked for by address.

Every change made through a scoped admin page (add, change, delete, and rows of its
inlines) writes a ``ControllerEvent`` on the controller with the values before and after,
in the same transaction as the change (the admin wraps each save in one).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from dsar.configuration.access import administered_by
from dsar.configuration.services import record_change
from dsar.models import Controller

CACHE_ATTR = "_administered_controller_ids"
SECRET_FIELDS = {"password", "password_encrypted", "secret", "token"}


def administered_ids(request: HttpRequest) -> set[int]:
    """The ids of the controllers this request's user administers (once per request)."""
    ids = getattr(request, CACHE_ATTR, None)
    if ids is None:
        ids = set(administered_by(request.user).values_list("pk", flat=True))
        setattr(request, CACHE_ATTR, ids)
    return ids


def _follow(obj: Any, path: str) -> Controller | None:
    for part in path.split("__") if path else []:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj if isinstance(obj, Controller) else None


def _value(obj: models.Model, field: models.Field) -> Any:
    if field.name in SECRET_FIELDS:
        return "(hidden)"
    if field.many_to_many:
        return sorted(str(o) for o in getattr(obj, field.name).all()) if obj.pk else []
    value = getattr(obj, field.name)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    return value


def _editable_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and not f.auto_created and f.editable
    ]


def _snapshot(obj: models.Model, names: list[str] | None = None) -> dict[str, Any]:
    fields = {f.name: f for f in _editable_fields(type(obj))}
    wanted = [n for n in (names if names is not None else fields) if n in fields]
    return {name: _value(obj, fields[name]) for name in wanted}


def _changed(form: ModelForm) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after) for what the form changed on its saved object."""
    obj = form.instance
    model_fields = {f.name for f in _editable_fields(type(obj))}
    names = [n for n in form.changed_data if n in model_fields]
    before: dict[str, Any] = {}
    if obj.pk is not None:
        stored = type(obj)._default_manager.filter(pk=obj.pk).first()
        if stored is not None:
            before = _snapshot(stored, names)
    after = _snapshot(obj, [n for n in names if not _is_m2m(obj, n)])
    for name in names:
        if _is_m2m(obj, name):
            after[name] = sorted(str(o) for o in form.cleaned_data.get(name) or [])
    # Form-only fields (a mailbox's new password): say that they changed, never their value.
    for name in form.changed_data:
        if name not in model_fields:
            before[name], after[name] = "(hidden)", "(changed)"
    return before, after


def _is_m2m(obj: models.Model, name: str) -> bool:
    return obj._meta.get_field(name).many_to_many


def _label(obj: models.Model) -> str:
    return f"{obj._meta.verbose_name}: {obj}"[:200]


class _ScopedPermissions:
    """View, change and delete as ``_may`` says (superusers: Django's own rules); the
    choices of foreign keys and many-to-many fields limited as ``_scoped_choices`` says."""

    superuser_only_delete = False  # only superusers delete these rows

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return super().has_view_permission(request, obj)
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return super().has_change_permission(request, obj)
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return super().has_delete_permission(request, obj)
        return not self.superuser_only_delete and self._may(request, obj)

    def _limit(self, db_field: models.Field, request: HttpRequest, kwargs: dict) -> dict:
        if not request.user.is_superuser:
            kwargs["queryset"] = self._scoped_choices(
                request, db_field.related_model, kwargs.get("queryset")
            )
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._limit(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._limit(db_field, request, kwargs)
        )


class ControllerScopedAdmin(_ScopedPermissions, admin.ModelAdmin):
    """A ModelAdmin whose rows belong to a controller reached by ``controller_path``
    (``"controller"``, ``"case__controller"``; ``""`` for the Controller itself)."""

    controller_path = "controller"
    superuser_only_add = False  # only superusers create rows of this model

    # --- whose rows ------------------------------------------------------------------

    def controller_of(self, obj: models.Model) -> Controller | None:
        return obj if isinstance(obj, Controller) else _follow(obj, self.controller_path)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        key = f"{self.controller_path}__in" if self.controller_path else "pk__in"
        return queryset.filter(**{key: administered_ids(request)})

    def _may(self, request: HttpRequest, obj: models.Model | None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        ids = administered_ids(request)
        if obj is None:
            return bool(ids)
        controller = self.controller_of(obj)
        return controller is not None and controller.pk in ids

    def has_module_permission(self, request: HttpRequest) -> bool:
        if request.user.is_superuser:
            return super().has_module_permission(request)
        return self._may(request, None)

    def has_add_permission(self, request: HttpRequest) -> bool:
        if request.user.is_superuser:
            return super().has_add_permission(request)
        return not self.superuser_only_add and self._may(request, None)

    # --- what may be chosen --------------------------------------------------------

    def _scoped_choices(self, request: HttpRequest, model: type[models.Model], queryset: Any):
        if request.user.is_superuser:
            return queryset
        ids = administered_ids(request)
        base = queryset if queryset is not None else model._default_manager.all()
        if model is Controller:
            return base.filter(pk__in=ids)
        names = {f.name for f in model._meta.get_fields()}
        if "controller" in names:
            return base.filter(controller__in=ids)
        if "case" in names:
            return base.filter(case__controller__in=ids)
        return base.none() if model._meta.app_label in {"dsar", "exports", "identity"} else base

    # --- every change an event on the controller ----------------------------------------

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm, change: bool) -> None:
        before, after = _changed(form) if change else ({}, {})
        super().save_model(request, obj, form, change)
        if not change:
            after = _snapshot(obj)
            for name in form.fields:
                if name in after and _is_m2m(obj, name):
                    after[name] = sorted(str(o) for o in form.cleaned_data.get(name) or [])
        if change and not before and not after:
            return
        self._record(request, obj, "changed" if change else "added", before, after)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        before = _snapshot(obj)
        controller = self.controller_of(obj)
        super().delete_model(request, obj)
        if controller is not None and not isinstance(obj, Controller):
            self._record(request, obj, "deleted", before, {}, controller=controller)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request, form, formset: BaseInlineFormSet, change) -> None:
        parent = form.instance
        changes = []
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms:
                if inline_form.instance.pk is not None:
                    changes.append(
                        ("deleted", inline_form.instance, _snapshot(inline_form.instance), {})
                    )
            elif inline_form.has_changed():
                if inline_form.instance.pk is None:
                    changes.append(("added", inline_form.instance, {}, None))
                else:
                    old, new = _changed(inline_form)
                    changes.append(("changed", inline_form.instance, old, new))
        super().save_formset(request, form, formset, change)
        controller = self.controller_of(parent)
        for what, obj, before, after in changes:
            self._record(
                request,
                obj,
                what,
                before,
                _snapshot(obj) if after is None else after,
                controller=controller,
            )

    def _record(
        self,
        request: HttpRequest,
        obj: models.Model,
        what: str,
        before: dict[str, Any],
        after: dict[str, Any],
        *,
        controller: Controller | None = None,
    ) -> None:
        controller = controller or self.controller_of(obj)
        if controller is None:
            return
        record_change(
            controller=controller,
            by=request.user,
            kind=f"admin_{what}",
            target=_label(obj),
            message=f"{obj._meta.verbose_name.capitalize()} {what} in the admin.",
            before=before,
            after=after,
        )


class ScopedInline(_ScopedPermissions, admin.options.InlineModelAdmin):
    """An inline that may be seen and changed exactly when its parent row may."""

    def _parent_admin(self) -> ControllerScopedAdmin:
        return self.admin_site._registry[self.parent_model]

    def _may(self, request: HttpRequest, obj: Any) -> bool:
        return self._parent_admin()._may(request, obj)

    def _scoped_choices(self, request: HttpRequest, model: type[models.Model], queryset: Any):
        return self._parent_admin()._scoped_choices(request, model, queryset)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return super().has_add_permission(request, obj)
        return self._may(request, obj)

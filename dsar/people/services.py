"""Linking and unlinking two cases as the same person: an event on both."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dsar.errors import CaseActionError
from dsar.models import Case
from dsar.services import record_event

from .models import PersonLink


def _pair(case: Case, other: Case) -> tuple[Case, Case]:
    if case.pk == other.pk:
        raise CaseActionError("A case is always the same person as itself.", field="reference")
    first, second = sorted([case, other], key=lambda c: c.pk)
    # Lock both rows in id order, so two officers linking the same pair cannot deadlock.
    locked = {
        c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[first.pk, second.pk])
    }
    return locked[first.pk], locked[second.pk]


@transaction.atomic
def person_link(*, case: Case, other: Case, by: AbstractBaseUser, same_person: bool = True) -> None:
    """Say two cases are (or, with ``same_person=False``, are not) the same person."""
    first, second = _pair(case, other)
    PersonLink.objects.update_or_create(
        case_a=first, case_b=second, defaults={"same_person": same_person, "by": by}
    )
    kind = "person_linked" if same_person else "person_unlinked"
    words = "the same person as" if same_person else "not the same person as"
    for this, that in ((first, second), (second, first)):
        record_event(
            this,
            kind,
            by=by,
            message=f"Marked as {words} {that.reference}.",
            data={"other": that.reference},
        )


def person_unlink(*, case: Case, other: Case, by: AbstractBaseUser) -> None:
    person_link(case=case, other=other, by=by, same_person=False)

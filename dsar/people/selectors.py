"""Read queries about the person behind a case: their other requests, likely duplicates."""

from __future__ import annotations

from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q

from dsar.choices import OPEN_STATUSES
from dsar.models import Case
from dsar.selectors import visible_cases

from . import keys
from .models import PersonKey, PersonLink


class OtherRequest(NamedTuple):
    case: Case
    linked: bool  # an officer said "same person" (otherwise matched on an identifier)
    possible_duplicate: bool  # open, same right: probably the same request twice


def same_person_cases(user: AbstractBaseUser, case: Case) -> list[OtherRequest]:
    """The same person's other requests the user may see, in two queries.

    Matched on the keyed hashes of the normalised identifiers (so erased cases still
    match), plus the cases an officer linked, minus those an officer unlinked.
    """
    links = list(
        PersonLink.objects.filter(Q(case_a=case) | Q(case_b=case)).values_list(
            "case_a_id", "case_b_id", "same_person"
        )
    )
    linked = {a if b == case.pk else b for a, b, same in links if same}
    unlinked = {a if b == case.pk else b for a, b, same in links if not same}
    matched = PersonKey.objects.filter(
        digest__in=PersonKey.objects.filter(case_id=case.pk).values("digest")
    ).values("case_id")
    others = (
        visible_cases(user)
        .filter(Q(pk__in=matched) | Q(pk__in=linked))
        .exclude(pk=case.pk)
        .exclude(pk__in=unlinked)
        .order_by("-received_on", "-id")
    )
    return [
        OtherRequest(
            other,
            other.pk in linked,
            other.status in OPEN_STATUSES and case.is_open and other.right == case.right,
        )
        for other in others
    ]


def likely_duplicates(user: AbstractBaseUser, draft: Case) -> list[Case]:
    """Open cases the user may see for the same person, before ``draft`` is saved."""
    found = keys.digests(keys.identifiers(draft))
    if not found:
        return []
    return list(
        visible_cases(user)
        .filter(
            controller_id=draft.controller_id,
            status__in=sorted(OPEN_STATUSES),
            pk__in=PersonKey.objects.filter(digest__in=found).values("case_id"),
        )
        .order_by("-received_on", "-id")[:10]
    )

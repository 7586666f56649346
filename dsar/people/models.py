"""The person behind cases: keyed hashes of their identifiers, and officers' links."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class PersonKey(models.Model):
    """A keyed hash of one normalised identifier of a case's data subject.

    Added whenever a case holds the identifier and never removed while the case exists,
    so matching survives the erasure of the plain fields.
    """

    case = models.ForeignKey("dsar.Case", on_delete=models.CASCADE, related_name="person_keys")
    kind = models.CharField(max_length=20)
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "digest"], name="personkey_once_per_case")
        ]
        # The person panel and the duplicate warning look cases up by digest.
        indexes = [models.Index(fields=["digest"], name="personkey_digest_idx")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class PersonLink(models.Model):
    """An officer's word on two cases: the same person (linked) or not (unlinked).

    One row per pair (lower case id first); unlinking a matched pair keeps them apart even
    though their identifiers match.
    """

    case_a = models.ForeignKey("dsar.Case", on_delete=models.CASCADE, related_name="+")
    case_b = models.ForeignKey("dsar.Case", on_delete=models.CASCADE, related_name="+")
    same_person = models.BooleanField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case_a", "case_b"], name="personlink_once_per_pair"),
            models.CheckConstraint(
                condition=models.Q(case_a__lt=models.F("case_b")), name="personlink_ordered"
            ),
        ]
        indexes = [models.Index(fields=["case_b"], name="personlink_case_b_idx")]

    def __str__(self) -> str:
        return f"{self.case_a_id}{'=' if self.same_person else '!='}{self.case_b_id}"

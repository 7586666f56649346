"""The actions a second officer approves: what is checked when one is prepared, and how
it is carried out once approved. Registered with ``approvals`` (and the letters' issue
guard) by the app's ``ready()``.
"""

from __future__ import annotations

from typing import Any

from dsar.errors import CaseActionError
from dsar.formats import plural
from dsar.models import Case
from exports.letters import services as letters

from ..models import Approval, ApprovalAction, Collection
from ..selectors import pending_copies
from . import approvals, erasure

RESPONSES = {"access_response", "portability_response"}


def _collection(case: Case, payload: dict[str, Any]) -> Collection:
    found = Collection.objects.filter(case=case, pk=payload.get("collection_id")).first()
    if found is None:
        raise CaseActionError("Choose a search of this case to release.")
    return found


def _check_release(case: Case, payload: dict[str, Any]) -> str:
    from .collection import release_check

    collection = _collection(case, payload)
    results, _failed = release_check(collection, payload.get("note", ""))
    total = sum(r.record_count for r in results)
    withheld = collection.withholdings.count()
    return f"{plural(total, 'record')} found" + (
        f", {withheld} withholding decision{'s' if withheld != 1 else ''}." if withheld else "."
    )


def _release(case: Case, payload: dict[str, Any], by, approval: Approval) -> Any:
    from .collection import collection_release

    return collection_release(
        collection=_collection(case, payload),
        by=by,
        note=payload.get("note", ""),
        approval=approval,
    )


def _check_letter(kind: str):
    def check(case: Case, payload: dict[str, Any]) -> str:

        if case.right not in ({"access"} if kind == "access_response" else {"portability"}):
            raise CaseActionError("This response is for another kind of request.")
        letter = letters.get_kind(kind)
        refusal = letter.refuse_issue(case, case.controller.today())
        if refusal:
            raise CaseActionError(refusal)
        waiting = pending_copies(case)
        if waiting:
            raise CaseActionError(
                f"Make the redacted copy of {', '.join(waiting)} before the response is sent."
            )
        preview = letters.letter_preview(
            case=case,
            kind=kind,
            fields=payload.get("fields") or {},
            delivery=payload.get("delivery", ""),
        )
        if preview.missing:
            names = "; ".join(f.label for f in preview.missing)
            raise CaseActionError(f"Complete every required part before preparing it: {names}.")
        return f"{letter.title}, {preview.delivery or 'delivery to choose'}."

    return check


def _issue(kind: str):
    def perform(case: Case, payload: dict[str, Any], by, approval: Approval) -> Any:

        return letters.letter_issue(
            case=case,
            kind=kind,
            by=by,
            fields=payload.get("fields") or {},
            delivery=payload.get("delivery", ""),
            approval=approval,
        )

    return perform


def _check_erasure(case: Case, payload: dict[str, Any]) -> str:
    if case.right != "erasure":
        raise CaseActionError("Only an erasure request runs an erasure.")
    erasure.check_search(case)
    erasure.check_confirmation(case, payload.get("confirmation", ""))
    rows = erasure.preview(case)
    total = sum(r.rows or 0 for r in rows)
    return f"Erasure of {case.data_subject_name}'s data: {plural(total, 'row')} " \
        f"in {len({r.source for r in rows})} source(s) by the preview."  # fmt: skip


def _erase(case: Case, payload: dict[str, Any], by, approval: Approval) -> Any:
    from .actions import action_run_start

    return action_run_start(
        case=case,
        by=by,
        recipients_to_tell=payload.get("recipients_to_tell", ""),
        confirmation=payload.get("confirmation", ""),
        approval=approval,
    )


def letter_guard(case: Case, kind: str, approval: object) -> None:
    """Access and portability responses wait for a second officer where asked."""
    if kind in RESPONSES:
        approvals.require_approval(case, kind, approval if isinstance(approval, Approval) else None)


def release_or_prepare(*, collection: Collection, by, note: str = "") -> Approval | None:
    """Release now, or (where a second officer must approve) prepare the release."""
    from .collection import collection_release

    case = collection.case
    if approvals.needs_approval(case.controller, ApprovalAction.RELEASE):
        return approvals.approval_prepare(
            case=case,
            action=ApprovalAction.RELEASE,
            by=by,
            payload={"collection_id": collection.pk, "note": note},
        )
    collection_release(collection=collection, by=by, note=note)
    return None


def prepare_letter(*, case: Case, kind: str, by, fields: dict, delivery: str) -> str | None:
    """An access or portability response waiting for a second officer, or None."""
    if kind not in RESPONSES or not approvals.needs_approval(case.controller, kind):
        return None
    approvals.approval_prepare(
        case=case, action=kind, by=by, payload={"fields": fields, "delivery": delivery}
    )
    return (
        f"{ApprovalAction(kind).label.replace('Issuing', 'The')} is prepared: another officer "
        "approves it, and it is issued then."
    )


def register() -> None:
    from exports.letters import register_issue_guard, register_issue_preparer

    approvals.register(ApprovalAction.RELEASE, _check_release, _release)
    for kind in RESPONSES:
        approvals.register(kind, _check_letter(kind), _issue(kind))
    approvals.register(ApprovalAction.ERASURE, _check_erasure, _erase)
    register_issue_guard(letter_guard)
    register_issue_preparer(prepare_letter)

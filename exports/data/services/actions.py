"""Carrying out erasure, rectification and restriction across the sources, with a record.

``action_run_start`` makes one step per configured action of the case's right: a
statement (run in the configured order by one Celery task per run, each statement in
its own transaction on the source), a
manual task the officer ticks off, or ``exempt`` where the officer recorded an exemption
for that category (legal obligation, legal claims...). When every step has finished the
run records rows affected per source and the recipients to tell (Art 19, from the data
map unless the officer wrote them). After an erasure the collected copies of the data are
deleted and the case keeps the subject's identifiers only as keyed hashes and masked
forms: enough to prove what was erased, not enough to find the person again.

A statement commits on the source database before its result is recorded here; if
recording fails the step stays "running" and the officer sees it, rather than the
statement running twice.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dsar.errors import CaseActionError
from dsar.formats import plural
from dsar.jobs import queue_after_commit
from dsar.models import Case
from dsar.services import lock_case, record_event

from .. import sql
from ..identifiers import case_identifiers, keyed_hash, mask
from ..models import (
    ActionRight,
    ActionRun,
    ActionStep,
    Approval,
    ApprovalAction,
    DataCategory,
    Exemption,
    ExemptionReason,
    SourceAction,
)
from . import erasure
from .approvals import require_approval
from .collection import SEARCHABLE_STATUSES, forget_collected

log = logging.getLogger(__name__)
User = AbstractBaseUser

VERBS = {
    ActionRight.ERASURE: "Erasure",
    ActionRight.RECTIFICATION: "Rectification",
    ActionRight.RESTRICTION: "Restriction",
}


# --- exemptions --------------------------------------------------------------------------


@transaction.atomic
def exemption_add(
    *, case: Case, category: DataCategory, reason: str, detail: str, by: User | None
) -> Exemption:
    """Keep (or withhold) a category on this case, with the reason the letters will give."""
    case = lock_case(case)
    if not case.is_open:
        raise CaseActionError("Exemptions are recorded while the case is open.")
    if category.controller_id != case.controller_id:
        raise CaseActionError("Choose a category of this controller's data map.", field="category")
    if reason not in ExemptionReason.values:
        raise CaseActionError("Choose the reason.", field="reason")
    detail = (detail or "").strip()
    if not detail:
        raise CaseActionError("Say what the exemption rests on.", field="detail")
    if Exemption.objects.filter(case=case, category=category).exists():
        raise CaseActionError(f"{category} already has an exemption on this case.")
    exemption = Exemption.objects.create(
        case=case, category=category, reason=reason, detail=detail, created_by=by
    )
    record_event(
        case,
        "exemption_recorded",
        by=by,
        message=f"{category}: {exemption.get_reason_display()}. {detail}",
        data={"category": category.name, "reason": reason},
    )
    return exemption


@transaction.atomic
def exemption_remove(*, exemption: Exemption, by: User | None) -> None:
    case = lock_case(exemption.case)
    if not case.is_open:
        raise CaseActionError("Exemptions are changed while the case is open.")
    name = exemption.category.name
    exemption.delete()
    record_event(
        case,
        "exemption_removed",
        by=by,
        message=f"Exemption for {name} removed.",
        data={"category": name},
    )


# --- runs --------------------------------------------------------------------------------


def _check_values(actions: list[SourceAction], values: Mapping[str, Any]) -> dict[str, Any]:
    needed = sorted(
        {
            column
            for action in actions
            if action.operation == SourceAction.Operation.UPDATE
            for column in action.input_columns or []
        }
    )
    missing = [c for c in needed if str(values.get(c, "") or "").strip() == ""]
    if missing:
        raise CaseActionError(
            f"Give the corrected value for: {', '.join(missing)}.", field="values"
        )
    return {column: str(values[column]).strip() for column in needed}


@transaction.atomic
def action_run_start(
    *,
    case: Case,
    by: User | None,
    values: Mapping[str, Any] | None = None,
    recipients_to_tell: str = "",
    confirmation: str = "",
    approval: Approval | None = None,
) -> ActionRun:
    """Carry out the case's erasure, rectification or restriction in every source.

    An erasure needs a completed search, the subject's name typed as confirmation and,
    where the controller asks for it, a second officer's approval (``erasure``)."""
    case = lock_case(case)
    if case.right == ActionRight.ERASURE:
        erasure.check_search(case)
        erasure.check_confirmation(case, confirmation)
        require_approval(case, ApprovalAction.ERASURE, approval)
    if case.right not in ActionRight.values:
        raise CaseActionError("Only erasure, rectification and restriction requests are run.")
    if case.status not in SEARCHABLE_STATUSES:
        raise CaseActionError(
            "Confirm the request and the requester's identity before changing their data."
        )
    if case.action_runs.filter(status=ActionRun.Status.RUNNING).exists():
        raise CaseActionError("This is already being carried out: finish the open steps first.")
    identifiers = case_identifiers(case)
    if not identifiers:
        raise CaseActionError(
            "The case has no identifiers to find the data with: add the subject's email, "
            "phone or customer number first."
        )
    actions = list(
        SourceAction.objects.filter(
            source__controller=case.controller, source__is_active=True, right=case.right
        ).select_related("source", "category")
    )
    if not actions:
        raise CaseActionError(
            f"{case.controller} has no {case.get_right_display().split(' (')[0].lower()} "
            "steps configured for its data sources: add them in the admin."
        )
    clean_values = _check_values(actions, values or {})
    exempt = {e.category_id: e for e in case.exemptions.select_related("category")}
    run = ActionRun.objects.create(
        case=case,
        right=case.right,
        values=clean_values,
        recipients_to_tell=(recipients_to_tell or "").strip(),
        identifier_proof=[
            {"kind": i.kind, "hmac": keyed_hash(i.kind, i.value, purpose="erasure-proof")}
            for i in identifiers
        ],
        started_by=by,
    )
    steps = []
    for action in actions:
        step = ActionStep(
            run=run,
            action=action,
            source_name=action.source.name,
            category_name=action.category.name,
            operation=action.operation,
            instructions=action.instructions,
        )
        if action.category_id in exempt:
            exemption = exempt[action.category_id]
            step.status = ActionStep.Status.EXEMPT
            step.note = f"{exemption.get_reason_display()}: {exemption.detail}"
            step.done_at = timezone.now()
        elif action.is_manual:
            step.status = ActionStep.Status.MANUAL
        steps.append(step)
    ActionStep.objects.bulk_create(steps)
    record_event(
        case,
        f"{case.right}_started",
        by=by,
        message=f"{VERBS[case.right]} started: {plural(len(steps), 'step')}"
        f" in {len({a.source_id for a in actions})} source(s)"
        + (f"; {len(exempt)} categor{'ies' if len(exempt) != 1 else 'y'} kept" if exempt else "")
        + ".",
        data={"run_id": run.pk, "values": sorted(clean_values)},
    )
    if run.steps.filter(status=ActionStep.Status.PENDING).exists():
        queue_after_commit("exports.data.tasks.run_action_steps", run.pk)
    else:
        _maybe_finish(run, by=by)
    return run


def action_run_execute(*, run_id: int) -> int:
    """Run a run's pending statements one after another, in the configured order (a step
    may need rows a later one changes, e.g. contact details matched on before they are
    blanked). A failed step is recorded and the others still run. Returns steps run."""
    ran = 0
    step_ids = ActionStep.objects.filter(run_id=run_id, status=ActionStep.Status.PENDING).order_by(
        "action__order", "id"
    )
    for step_id in list(step_ids.values_list("pk", flat=True)):
        if action_step_execute(step_id=step_id).status != ActionStep.Status.PENDING:
            ran += 1
    return ran


def action_step_execute(*, step_id: int) -> ActionStep:
    """Run one step's statement. Claimed first (pending -> running): at most once."""
    claimed = ActionStep.objects.filter(pk=step_id, status=ActionStep.Status.PENDING).update(
        status=ActionStep.Status.RUNNING
    )
    step = ActionStep.objects.select_related("run__case__controller", "action__source").get(
        pk=step_id
    )
    if not claimed:
        return step
    run = step.run
    fields: dict[str, Any] = {"done_at": timezone.now()}
    try:
        if step.action is None:
            raise sql.SourceConfigError("The configured action was deleted.")
        rows = sql.run_change(
            step.action.source.database_alias,
            step.action,
            case_identifiers(run.case),
            run.values,
        )
    except Exception as exc:
        log.warning("Action step %s failed: %s", step_id, type(exc).__name__)
        fields.update(status=ActionStep.Status.FAILED, error=erasure.describe_error(exc)[:1000])
    else:
        fields.update(status=ActionStep.Status.DONE, rows_affected=rows, error="")
    with transaction.atomic():
        lock_case(run.case)
        ActionStep.objects.filter(pk=step_id).update(**fields)
        step.refresh_from_db()
        if step.status == ActionStep.Status.DONE:
            message = (
                f"{step.source_name} / {step.category_name}: "
                f"{step.get_operation_display().split(' (')[0].lower()}, "
                f"{plural(step.rows_affected, 'row')} affected."
            )
        else:
            message = f"{step.source_name} / {step.category_name}: failed. {step.error}"
        record_event(
            run.case,
            f"{run.right}_step",
            message=message,
            data={"run_id": run.pk, "step_id": step.pk, "rows": step.rows_affected},
        )
        _maybe_finish(run, by=None)
    return step


@transaction.atomic
def action_step_complete(
    *, step: ActionStep, by: User, note: str = "", rows_affected: int | None = None
) -> ActionStep:
    """The officer did a manual task (or dealt with a failed step by hand)."""
    case = lock_case(step.run.case)
    step = ActionStep.objects.select_for_update().get(pk=step.pk)
    if step.status not in {ActionStep.Status.MANUAL, ActionStep.Status.FAILED}:
        raise CaseActionError("Only a manual task or a failed step can be ticked off.")
    note = (note or "").strip()
    if not note:
        raise CaseActionError("Say what you did.", field="note")
    step.status = ActionStep.Status.DONE
    step.note, step.rows_affected = note, rows_affected
    step.done_by, step.done_at = by, timezone.now()
    step.save(update_fields=["status", "note", "rows_affected", "done_by", "done_at"])
    record_event(
        case,
        f"{step.run.right}_step",
        by=by,
        message=f"{step.source_name} / {step.category_name}: done by hand. {note}",
        data={"run_id": step.run_id, "step_id": step.pk, "rows": rows_affected},
    )
    _maybe_finish(step.run, by=by)
    return step


def recipients_from_map(run: ActionRun) -> str:
    """Art 19: the recipients of every category that was changed (not the kept ones)."""
    names = {s.category_name for s in run.steps.all() if s.status == ActionStep.Status.DONE}
    lines: dict[str, None] = {}
    for category in DataCategory.objects.filter(controller=run.case.controller, name__in=names):
        for line in category.recipient_lines():
            lines.setdefault(line, None)
    return "\n".join(lines)


def _maybe_finish(run: ActionRun, *, by: User | None) -> None:
    """When every step has finished: the summary, Art 19 recipients and, after a complete
    erasure, the identifiers reduced to proof. Call inside a transaction."""
    run = ActionRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ActionRun.Status.RUNNING:
        return
    steps = list(run.steps.all())
    if not all(s.finished for s in steps):
        return
    failed = [s for s in steps if s.status == ActionStep.Status.FAILED]
    run.status = ActionRun.Status.INCOMPLETE if failed else ActionRun.Status.DONE
    run.finished_at = timezone.now()
    if not run.recipients_to_tell:
        run.recipients_to_tell = recipients_from_map(run)
    run.save(update_fields=["status", "finished_at", "recipients_to_tell"])
    per_source: dict[str, int] = {}
    for s in steps:
        if s.status == ActionStep.Status.DONE:
            per_source[s.source_name] = per_source.get(s.source_name, 0) + (s.rows_affected or 0)
    kept = {s.category_name: s.note for s in steps if s.status == ActionStep.Status.EXEMPT}
    summary = "; ".join(f"{name}: {plural(n, 'row')}" for name, n in per_source.items())
    record_event(
        run.case,
        f"{run.right}_done" if not failed else f"{run.right}_incomplete",
        by=by,
        message=f"{VERBS[run.right]} "
        + ("finished" if not failed else f"finished with {len(failed)} failed step(s)")
        + (f". {summary}" if summary else "")
        + (f". Kept: {', '.join(kept)}" if kept else "")
        + ".",
        data={
            "run_id": run.pk,
            "rows_per_source": per_source,
            "kept": kept,
            "recipients_to_tell": run.recipients_to_tell.splitlines(),
        },
    )
    if run.right == ActionRight.ERASURE and not failed:
        _reduce_identifiers(run, by=by)


def _reduce_identifiers(run: ActionRun, *, by: User | None) -> None:
    """After erasure keep only proof: keyed hashes and masked identifiers on the case, and
    no collected copy of the data."""
    case = run.case
    identifiers = case_identifiers(case)
    kept = [
        {
            "kind": i.kind,
            "value": mask(i),
            "erased": True,
            "hmac": keyed_hash(i.kind, i.value, purpose="erasure-proof"),
        }
        for i in identifiers
        if not (i.kind == "email" and i.value.lower() == (case.requester_email or "").lower())
    ]
    Case.objects.filter(pk=case.pk).update(subject_identifiers=kept, version=F("version") + 1)
    removed = forget_collected(case)
    record_event(
        case,
        "identifiers_reduced",
        by=by,
        message="The subject's identifiers are kept only as keyed hashes, to prove the "
        "erasure; collected copies of their data were deleted"
        + (f" ({plural(removed, 'file')})." if removed else "."),
        data={"run_id": run.pk, "kinds": [i.kind for i in identifiers]},
    )

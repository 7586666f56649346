"""The case actions: one table, read by the case page, the API's ``actions`` field and the
API's action endpoints, so the three can never disagree on what an officer may do.

Each entry names the service that performs the action, the form (page) and serializer
(API) that shape its input, who may take it and when the case's state allows it. The
table decides what is offered; the service checks every rule again when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from . import clock, clock_services, hooks, selectors, services
from .api import action_serializers as s
from .choices import OPEN_STATUSES, Status
from .forms import actions as forms
from .models import Case
from .transitions import can_transition

User = AbstractBaseUser | AnonymousUser


def may_change(user: User, case: Case) -> bool:
    """Officers and admins of the case's controller; auditors only read."""
    return selectors.can_act(user, case.controller)


@dataclass(frozen=True)
class CaseAction:
    """``POST`` to ``<case>/actions/<slug>/`` (page) or ``cases/<reference>/<slug>/`` (API).

    The form's or serializer's cleaned fields are the service's keyword arguments, with
    ``case``, ``by`` and ``expected_version``.
    """

    slug: str
    summary: str  # the API operation's summary
    service: Callable[..., Case]
    form: type[forms.CaseActionForm]
    serializer: type[s.ActionSerializer]
    available: Callable[[Case], bool]  # the case's state allows it now
    may: Callable[[User, Case], bool] = may_change


# --- when each action is available ---------------------------------------------------


def _to(status: Status) -> Callable[[Case], bool]:
    def allowed(case: Case) -> bool:
        return can_transition(case.status, status)

    return allowed


def _open(case: Case) -> bool:
    return case.is_open


def _can_pause(case: Case) -> bool:
    """Art 12A: only access requests, only before the deadline has passed."""
    return (
        can_transition(case.status, Status.AWAITING_REQUESTER)
        and case.right in clock.pausable_rights()
        and case.controller.today() <= case.due_date
    )


def _paused(case: Case) -> bool:
    return case.status == Status.AWAITING_REQUESTER and any(
        p.ended_on is None
        for p in case.pauses.all()  # prefetched by the case page and the API
    )


def _can_extend(case: Case) -> bool:
    """Once, and only within the original period (Art 12(3))."""
    today = case.controller.today()
    return (
        case.status in OPEN_STATUSES - {Status.UNCONFIRMED}
        and not case.extended
        and today <= clock.last_day_to_extend(services.deadline_input(case), as_of=today)
    )


def _awaiting_fee(case: Case) -> bool:
    return case.status == Status.AWAITING_REQUESTER and clock_services.awaiting_fee(case)


def _awaiting_identity(case: Case) -> bool:
    return case.status == Status.AWAITING_IDENTITY


def _in_review(case: Case) -> bool:
    return case.status == Status.READY_FOR_REVIEW


# --- the table, in the order the case page offers the actions -------------------------

ACTIONS: dict[str, CaseAction] = {
    action.slug: action
    for action in (
        CaseAction(
            "assign",
            "Assign or unassign",
            services.case_assign,
            forms.AssignForm,
            s.AssignActionSerializer,
            _open,
        ),
        CaseAction(
            "pause",
            "Ask the requester to clarify (access only): sends the question, stops the clock",
            services.case_pause,
            forms.PauseForm,
            s.PauseActionSerializer,
            _can_pause,
        ),
        CaseAction(
            "resume",
            "Record the requester's answer: the clock runs again from that day",
            services.case_resume,
            forms.ResumeForm,
            s.ResumeActionSerializer,
            _paused,
        ),
        CaseAction(
            "extend",
            "Extend the deadline (once, within the original period): sends the notice",
            services.case_extend,
            forms.ExtendForm,
            s.ExtendActionSerializer,
            _can_extend,
        ),
        CaseAction(
            "request-fee",
            "Ask for a fee (Art 12(5), 15(3)): sends the fee letter and stops the clock",
            services.case_request_fee,
            forms.RequestFeeForm,
            s.RequestFeeActionSerializer,
            _to(Status.AWAITING_REQUESTER),
        ),
        CaseAction(
            "fee-received",
            "Fee received: the clock runs again from that day",
            services.case_fee_received,
            forms.FeeReceivedForm,
            s.FeeReceivedActionSerializer,
            _awaiting_fee,
        ),
        CaseAction(
            "request-identity",
            "Ask for identity evidence",
            services.case_request_identity,
            forms.RequestIdentityForm,
            s.RequestIdentityActionSerializer,
            _to(Status.AWAITING_IDENTITY),
        ),
        CaseAction(
            "identity-received",
            "Identity evidence received: the clock restarts from that day",
            services.case_identity_received,
            forms.IdentityReceivedForm,
            s.IdentityReceivedActionSerializer,
            _awaiting_identity,
        ),
        CaseAction(
            "submit-for-review",
            "Submit for review",
            services.case_submit_for_review,
            forms.SubmitForReviewForm,
            s.SubmitForReviewActionSerializer,
            _to(Status.READY_FOR_REVIEW),
        ),
        CaseAction(
            "return-for-work",
            "Send back for more work",
            services.case_reopen_work,
            forms.ReturnForWorkForm,
            s.ReturnForWorkActionSerializer,
            _in_review,
        ),
        CaseAction(
            "close",
            "Close with an outcome",
            services.case_close,
            forms.CloseForm,
            s.CloseActionSerializer,
            _to(Status.CLOSED),
        ),
        CaseAction(
            "refuse",
            "Refuse, with reasons",
            services.case_refuse,
            forms.RefuseForm,
            s.RefuseActionSerializer,
            _to(Status.REFUSED),
        ),
        CaseAction(
            "withdraw",
            "Record that the requester withdrew",
            services.case_withdraw,
            forms.WithdrawForm,
            s.WithdrawActionSerializer,
            _to(Status.WITHDRAWN),
        ),
    )
}


def installed() -> dict[str, CaseAction]:
    """The actions pages and API accept: the table, less those a satellite app replaced
    (with the identity app installed, its verification steps replace "request-identity"
    and "identity-received")."""
    return {slug: a for slug, a in ACTIONS.items() if slug not in hooks.replaced_actions}


def offered(user: User, case: Case) -> list[CaseAction]:
    """What this user may do to this case now, in the table's order (each distinct "who
    may" rule is asked once: most cost a query)."""
    allowed: dict[Callable[[User, Case], bool], bool] = {}
    result = []
    for action in installed().values():
        if action.may not in allowed:
            allowed[action.may] = action.may(user, case)
        if allowed[action.may] and action.available(case):
            result.append(action)
    return result

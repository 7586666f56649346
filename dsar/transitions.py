"""The one table of allowed status moves. Services check it; nothing else changes status."""

from .choices import Status

TERMINAL = frozenset({Status.CLOSED, Status.WITHDRAWN, Status.REFUSED})
_ANY_OPEN = frozenset({Status.WITHDRAWN, Status.REFUSED})

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.UNCONFIRMED: frozenset({Status.AWAITING_IDENTITY, Status.IN_PROGRESS}) | _ANY_OPEN,
    Status.AWAITING_IDENTITY: frozenset({Status.IN_PROGRESS}) | _ANY_OPEN,
    Status.IN_PROGRESS: frozenset(
        {Status.AWAITING_REQUESTER, Status.AWAITING_IDENTITY, Status.READY_FOR_REVIEW}
    )
    | _ANY_OPEN,
    Status.AWAITING_REQUESTER: frozenset({Status.IN_PROGRESS}) | _ANY_OPEN,
    Status.READY_FOR_REVIEW: frozenset({Status.CLOSED, Status.IN_PROGRESS}) | _ANY_OPEN,
    Status.CLOSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.REFUSED: frozenset(),
}


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())

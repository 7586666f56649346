"""Small registries through which the case core sets off work in satellite apps.

The core imports neither `identity` nor `exports`; those apps register here in their
`AppConfig.ready()`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Case

# Each router may return the status a newly confirmed case should move to (for example
# awaiting_identity when verification steps are needed); the first answer wins.
ConfirmationRouter = Callable[["Case"], str | None]
confirmation_routers: list[ConfirmationRouter] = []


def register_confirmation_router(router: ConfirmationRouter) -> ConfirmationRouter:
    if router not in confirmation_routers:
        confirmation_routers.append(router)
    return router


# Case actions a satellite app does better (identity's steps replace the core's bare
# "request identity" and "identity received"): pages and API neither offer nor accept them.
replaced_actions: set[str] = set()


def replace_case_actions(*slugs: str) -> None:
    replaced_actions.update(slugs)

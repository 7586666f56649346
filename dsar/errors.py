"""Domain errors: views and the API turn these into clear messages, never a 500."""


class CaseActionError(Exception):
    """An action that the case's state or the rules do not allow."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionError(CaseActionError):
    pass


class ConflictError(CaseActionError):
    """Someone else changed the case since the form was opened."""

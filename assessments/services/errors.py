"""What the services refuse, each with a Chinese message the page can show as is."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # checking reads models and values, which the services' callers import first
    from ..selectors.checking import ReturnCheck


class ReturnActionError(Exception):
    """An action on a return that is not allowed now (wrong state, wrong user, stale page)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(ReturnActionError):
    """The workflow does not lead from the current status by this action, or not for this user."""


class ReturnNotEditable(ReturnActionError):
    """The return (or this indicator of it) is not open to the user for changes."""


class IndicatorNotInReturn(ReturnNotEditable):
    """The indicator has no row in this return (another framework, or not for this department's type)."""


class StaleReturn(ReturnActionError):
    """The return changed since the page was loaded (another tab, another user)."""


class SubmissionBlocked(ReturnActionError):
    """Error-level checks fail, required values or evidence are missing, or warnings lack an explanation."""

    def __init__(self, message: str, check: "ReturnCheck"):
        super().__init__(message)
        self.check = check


class DeadlinePassed(ReturnActionError):
    """The submission deadline (and any extension) has passed."""

"""What the review services refuse, each with a Chinese message the page can show as is."""

from assessments.services.errors import ReturnActionError


class ReviewError(ReturnActionError):
    """A review or scoring action that is not allowed now (wrong state, wrong user, bad input)."""


class ScoresLocked(ReviewError):
    """The scores are final (published results or a locked score sheet); only a 复核 decision changes them."""

# The department home is built on a return: the same small framework and return as the entry tests.
from tests.assessments.conftest import evidence_codes, framework, return_a  # noqa: F401

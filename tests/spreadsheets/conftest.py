import pytest

from .corpus import CORPUS


@pytest.fixture(scope="session")
def hostile_corpus() -> dict[str, bytes]:
    """Each class of issue 18's corpus, built once per session (a few seconds in all)."""
    return {name: case.build() for name, case in CORPUS.items()}

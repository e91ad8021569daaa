"""files.storage: a file written for a row does not outlive a row that failed to save."""

import pytest

from assessments.models import AnnualReturn, Evidence
from files.storage import files_kept_only_if_saved


class RowFailed(Exception):
    pass


def _evidence() -> Evidence:
    return Evidence(annual_return=AnnualReturn(year=2025))


def test_files_stay_when_the_block_succeeds():
    evidence = _evidence()
    with files_kept_only_if_saved() as stored:
        stored.save(evidence.file, "evidence.pdf", b"%PDF-1.7")
    try:
        assert evidence.file.storage.exists(evidence.file.name)
    finally:
        evidence.file.storage.delete(evidence.file.name)


def test_every_file_written_is_deleted_when_the_block_fails():
    first, second = _evidence(), _evidence()
    with pytest.raises(RowFailed), files_kept_only_if_saved() as stored:
        stored.save(first.file, "evidence.pdf", b"%PDF-1.7")
        stored.save(second.file, "evidence.png", b"\x89PNG")
        raise RowFailed

    assert first.file.name and second.file.name
    assert not first.file.storage.exists(first.file.name)
    assert not second.file.storage.exists(second.file.name)


def test_files_are_deleted_when_the_block_is_interrupted():
    evidence = _evidence()
    with pytest.raises(KeyboardInterrupt), files_kept_only_if_saved() as stored:
        stored.save(evidence.file, "evidence.pdf", b"%PDF-1.7")
        raise KeyboardInterrupt

    assert not evidence.file.storage.exists(evidence.file.name)

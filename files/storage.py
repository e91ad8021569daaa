"""A file written to storage for a row must not outlive the row.

Storage is not transactional: when the row's save (or anything after it in the same transaction)
fails, the database rolls back but the written file stays, unreferenced, for ever. Every place that
stores a file for a row does it inside `files_kept_only_if_saved()`.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile


class StoredFiles:
    """The files written so far in one `files_kept_only_if_saved` block."""

    def __init__(self) -> None:
        self._written: list[tuple[Storage, str]] = []

    def save(self, field_file: FieldFile, name: str, content: bytes) -> None:
        """Write `content` through the field (its upload_to makes the real name from `name`) without
        saving the row: the caller saves it inside the block."""
        field_file.save(name, ContentFile(content), save=False)
        if field_file.name:  # the name the storage chose; set by a save that returned
            self._written.append((field_file.storage, field_file.name))

    def discard(self) -> None:
        for storage, name in self._written:
            storage.delete(name)
        self._written.clear()


@contextmanager
def files_kept_only_if_saved() -> Iterator[StoredFiles]:
    """Write files with `stored.save(...)` and save their row inside the block; if anything in the
    block raises (a timeout included, hence BaseException), the written files are deleted and the
    error goes on."""
    stored = StoredFiles()
    try:
        yield stored
    except BaseException:
        stored.discard()
        raise

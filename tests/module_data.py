"""Rows built once for all the tests of a module (Django's ``setUpTestData``), through the same
services and builders as a test's own fixtures.

``built_once`` opens a transaction that is rolled back when the module is done and builds the
rows in it; each test then runs in a savepoint of it (the ``db`` fixture) and reads fresh
instances by primary key, so what one test changes is gone for the next.  Files, identity keys
and signature keys made while building live in the module's folder, which the directory's
conftest hands to each test (its override of ``files_folder``).  Not for modules with
transactional tests (a live server, a flush)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from django.db import transaction
from django.test import override_settings

T = TypeVar("T")


def folder_settings(folder: Path) -> dict[str, Any]:
    """The settings that put a test's files, identity keys and signature keys in ``folder``."""
    return {
        "MEDIA_ROOT": str(folder / "files"),
        "IDENTITY_KEYS": [],
        "IDENTITY_KEY_FILE": folder / "keys" / "identity.key",
        "VAR_DIR": folder / "var",
        "SIGNATURE_TRUST_ROOTS": [str(folder / "var" / "keys" / "trust")],
    }


@contextmanager
def built_once(django_db_blocker: Any, folder: Path, build: Callable[[], T]) -> Iterator[T]:
    """What ``build()`` returns, its rows committed to nothing: rolled back on exit.  Jobs run
    inline; after-commit callbacks do not run unless ``build`` runs them (with
    ``TestCase.captureOnCommitCallbacks(execute=True)``), as in a test."""
    from huey.contrib.djhuey import HUEY

    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(PASSWORD_HASHERS=hashers, **folder_settings(folder)):
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
        try:
            with django_db_blocker.unblock():
                previous, HUEY.immediate = HUEY.immediate, True
                try:
                    built = build()
                finally:
                    HUEY.immediate = previous
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

"""Reading private files through Django's storage API, wherever they live: local files (the
embedded default) or an S3-compatible bucket (``STORAGE_S3_BUCKET``).

A byte range of a bucket object is fetched with one ranged GET instead of downloading the whole
object first (django-storages' file object spools the whole object on its first read), so a
player seeking in a two-hour recording costs only the bytes it asks for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.core.files.storage import Storage, default_storage

CHUNK = 1 << 20


def _bucket_object(storage: Storage, name: str):  # noqa: ANN202 - a boto3 resource
    """The boto3 ``Object`` of ``name`` when ``storage`` is django-storages' S3 storage."""
    try:
        from storages.backends.s3 import S3Storage
        from storages.utils import clean_name
    except ImportError:  # django-storages not installed: local files only
        return None
    if not isinstance(storage, S3Storage):
        return None
    return storage.bucket.Object(storage._normalize_name(clean_name(name)))


def chunks(name: str, start: int = 0, length: int | None = None, *,
           storage: Storage | None = None) -> Iterator[bytes]:
    """The stored file's bytes from ``start`` (``length`` of them, or to the end)."""
    storage = default_storage if storage is None else storage
    if length is not None and length <= 0:
        return
    obj = _bucket_object(storage, name)
    if obj is not None:
        wanted = f"bytes={start}-{'' if length is None else start + length - 1}"
        body = obj.get(Range=wanted)["Body"] if (start or length is not None) else obj.get()["Body"]
        try:
            yield from body.iter_chunks(CHUNK)
        finally:
            body.close()
        return
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        left = length
        while left is None or left > 0:
            chunk = handle.read(CHUNK if left is None else min(CHUNK, left))
            if not chunk:
                return
            if left is not None:
                left -= len(chunk)
            yield chunk


def sha256(name: str, *, storage: Storage | None = None) -> str:
    """The SHA-256 of what is stored under ``name`` (in the bucket, when it is one)."""
    digest = hashlib.sha256()
    for chunk in chunks(name, storage=storage):
        digest.update(chunk)
    return digest.hexdigest()

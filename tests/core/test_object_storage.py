"""With S3-compatible object storage configured (a real SeaweedFS here), registration uploads
and issued documents live in the bucket, nowhere on the local disk, and are still served
only through the permission-checked, audited views."""

from __future__ import annotations

import hashlib
import io
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import samples
from tests.documents.conftest import ISSUED_ON, SIGNER, invitation_values
from tests.factories import staff_user
from tests.seaweedfs import s3_bucket, seaweedfs  # noqa: F401  (fixtures)
from tiepdan.core import backup, restore
from tiepdan.core.models import PersonalDataAccess, Role
from tiepdan.documents.models import DocType
from tiepdan.documents.services import issue_document
from tiepdan.intake.models import Matter

pytestmark = pytest.mark.django_db


def _local_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _keys(seaweedfs, bucket: str) -> list[str]:  # noqa: F811
    listed = seaweedfs.client().list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listed.get("Contents", [])]


@pytest.fixture
def registered(client, an_lao, form_data, s3_bucket) -> Matter:  # noqa: F811
    content = samples.pdf_bytes(pages=2)
    data = {**form_data, "attachments": [SimpleUploadedFile("don.pdf", content, "application/pdf")]}
    response = client.post(reverse("intake:register", args=[an_lao.ward_code]), data)
    assert response.status_code == 302
    client.logout()
    return Matter.objects.get(commune=an_lao)


def test_a_registration_upload_is_stored_in_the_bucket(registered, seaweedfs, s3_bucket):  # noqa: F811
    attachment = registered.attachments.get()
    assert attachment.file.name in _keys(seaweedfs, s3_bucket)
    assert _local_files() == []
    stored = seaweedfs.client().get_object(Bucket=s3_bucket, Key=attachment.file.name)
    assert stored["Body"].read().startswith(b"%PDF-")


def test_staff_download_the_upload_from_the_bucket(client, login_staff, an_lao, registered,
                                                   seaweedfs, s3_bucket):  # noqa: F811
    attachment = registered.attachments.get()
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=an_lao))
    response = client.get(reverse("intake:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    in_bucket = seaweedfs.client().get_object(Bucket=s3_bucket, Key=attachment.file.name)
    assert body == in_bucket["Body"].read() and body.startswith(b"%PDF-")
    assert PersonalDataAccess.objects.filter(
        type="intake.attachment.downloaded", object_id=str(attachment.pk),
        data={"tracking_code": registered.tracking_code}).exists()


def test_another_commune_cannot_download_it(client, login_staff, lac_phuong, registered):
    login_staff(client, staff_user(Role.OFFICE_OFFICER, commune=lac_phuong))
    response = client.get(reverse("intake:attachment", args=[registered.attachments.get().pk]))
    assert response.status_code == 404


def test_an_issued_document_pdf_is_in_the_bucket_and_downloads(client, login_staff, an_lao,
                                                               seaweedfs, s3_bucket):  # noqa: F811
    officer = staff_user(Role.OFFICE_OFFICER, commune=an_lao)
    document = issue_document(an_lao, DocType.INVITATION, invitation_values(), actor=officer,
                              signer=SIGNER, issued_on=ISSUED_ON)
    keys = _keys(seaweedfs, s3_bucket)
    assert document.pdf_file.name in keys and document.docx_file.name in keys
    assert _local_files() == []
    pdf = seaweedfs.client().get_object(Bucket=s3_bucket, Key=document.pdf_file.name)
    assert hashlib.sha256(pdf["Body"].read()).hexdigest() == document.pdf_sha256
    login_staff(client, officer)
    response = client.get(reverse("documents:download", args=[document.pk, "pdf"]))
    assert response.status_code == 200
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == document.pdf_sha256


def test_objects_are_private(registered, seaweedfs, s3_bucket):  # noqa: F811
    import urllib.error
    import urllib.request

    name = registered.attachments.get().file.name
    assert "?" not in default_storage.url(name)  # no signed link is ever handed out
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{seaweedfs.endpoint_url}/{s3_bucket}/{name}", timeout=10)  # noqa: S310
    assert refused.value.code == 403


def test_a_backup_takes_the_files_from_the_bucket_and_a_restore_puts_them_back(
        registered, seaweedfs, s3_bucket, settings, tmp_path):  # noqa: F811
    name = registered.attachments.get().file.name
    original = seaweedfs.client().get_object(Bucket=s3_bucket, Key=name)["Body"].read()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:") as tar:
        writer = backup._Writer(tar)
        assert writer.add_stored("files") == 1
    assert writer.members == [{"name": f"files/{name}", "size": len(original),
                               "sha256": hashlib.sha256(original).hexdigest()}]
    buffer.seek(0)
    with tarfile.open(fileobj=buffer, mode="r:") as tar:
        tar.extractall(tmp_path / "staging", filter="data")
    assert "the S3 bucket has files" in "; ".join(restore.target_problems())

    empty = f"tiepdan-{uuid.uuid4().hex[:12]}"
    seaweedfs.client().create_bucket(Bucket=empty)
    settings.STORAGE_S3_BUCKET = empty
    settings.STORAGES = {**settings.STORAGES, "default": {
        **settings.STORAGES["default"],
        "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": empty}}}
    assert not [p for p in restore.target_problems() if "S3" in p]
    assert restore.upload_tree(tmp_path / "staging" / "files") == 1
    assert seaweedfs.client().get_object(Bucket=empty, Key=name)["Body"].read() == original


def test_readiness_checks_the_bucket(seaweedfs, s3_bucket, settings):  # noqa: F811
    from botocore.exceptions import ClientError

    from tiepdan.ops.health import check_storage

    check_storage()
    assert _keys(seaweedfs, s3_bucket) == []  # the probe cleans up after itself
    settings.STORAGES = {**settings.STORAGES, "default": {
        **settings.STORAGES["default"],
        "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "secret_key": "not-the-secret"}}}
    with pytest.raises(ClientError):
        check_storage()

"""``tiepdan backup`` on a deployment whose files are in an S3 bucket, then ``tiepdan restore``
by the real command on a fresh machine configured with another, empty bucket: the objects come
back under the same names, byte for byte, and the restored documents' hashes still match."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command

from tests.core.test_backup_restore import PASSPHRASE, _clean_env, _tiepdan, fresh_database  # noqa: F401
from tests.documents.conftest import ISSUED_ON, SIGNER, invitation_values
from tests.factories import CommuneFactory, staff_user
from tests.seaweedfs import ACCESS_KEY, REGION, SECRET_KEY, s3_bucket, seaweedfs  # noqa: F401
from tiepdan.core.models import Role
from tiepdan.documents.models import DocType
from tiepdan.documents.services import issue_document

pytestmark = pytest.mark.faults


def _keys(client, bucket: str) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
            for item in listed}


def test_a_bucket_is_backed_up_and_restored_into_another_bucket(
        transactional_db, seaweedfs, s3_bucket, settings, tmp_path, fresh_database):  # noqa: F811
    settings.VAR_DIR = tmp_path / "source"
    commune = CommuneFactory(ward_code=11629, name="Xã An Lão")
    document = issue_document(commune, DocType.INVITATION, invitation_values(),
                              actor=staff_user(Role.OFFICE_OFFICER, commune=commune),
                              signer=SIGNER, issued_on=ISSUED_ON)
    client = seaweedfs.client()
    before = _keys(client, s3_bucket)
    assert document.pdf_file.name in before
    passphrase = tmp_path / "passphrase"
    passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
    archive = tmp_path / "backup.tar"
    call_command("backup", output=str(archive), passphrase_file=str(passphrase))

    target, bucket = tmp_path / "target", f"tiepdan-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    env = _clean_env(target, fresh_database(tmp_path))
    env.update(STORAGE_S3_BUCKET=bucket, STORAGE_S3_ENDPOINT_URL=seaweedfs.endpoint_url,
               STORAGE_S3_REGION=REGION, STORAGE_S3_ACCESS_KEY_ID=ACCESS_KEY,
               STORAGE_S3_SECRET_ACCESS_KEY=SECRET_KEY, TIEPDAN_BACKUP_PASSPHRASE=PASSPHRASE)
    assert _tiepdan(env, "init").returncode == 0  # the new machine is installed first
    done = _tiepdan(env, "restore", str(archive))
    assert done.returncode == 0, done.stderr
    assert _keys(client, bucket) == before
    assert not (target / "files").exists()  # nothing went to local files

    again = _tiepdan(env, "restore", str(archive))  # the bucket now has files
    assert again.returncode != 0 and "the S3 bucket has files" in again.stderr

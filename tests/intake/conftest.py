import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "files")


@pytest.fixture(autouse=True)
def _jobs_run_inline():
    from huey.contrib.djhuey import HUEY

    previous, HUEY.immediate = HUEY.immediate, True
    yield
    HUEY.immediate = previous


@pytest.fixture(autouse=True)
def _fresh_throttles():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def api_payload():
    """The registration body of the issue, verbatim apart from the content."""
    return {
        "full_name": "Nguyễn Văn A", "id_type": "cccd", "id_number": "031090001234",
        "date_of_birth": "1990-05-01", "phone": "0912345678", "email": None,
        "address": "Thôn Hàm Hy", "kind": "kien_nghi",
        "summary": "Kiến nghị lắp đèn đường", "content": "Đoạn đường thôn chưa có đèn chiếu sáng.",
        "wants_online": True, "online_reason": "far_away", "consent": True,
    }


@pytest.fixture
def form_data(an_lao):
    """A valid POST of the public registration form."""
    return {
        "full_name": "Trần Thị Bình", "id_type": "cccd", "id_number": "031185000101",
        "gender": "female", "date_of_birth": "1985-03-12", "province": "31",
        "ward": str(an_lao.ward_code), "address": "Thôn Hàm Hy", "phone": "0912 000 101",
        "email": "", "kind": "kien_nghi", "summary": "Kiến nghị sửa đường",
        "content": "Đường liên thôn bị sạt lở.", "wants_online": "on",
        "online_reason": "far_away", "join_point": "commune_hall", "consent": "on",
    }

import pytest

from tiepdan.notify.sms_text import SmsEncoding, cost, unaccented


@pytest.mark.parametrize(("text", "encoding", "segments"), [
    pytest.param("a" * 160, SmsEncoding.GSM7, 1, id="160-gsm7-is-one-segment"),
    pytest.param("a" * 161, SmsEncoding.GSM7, 2, id="161-gsm7-is-two"),
    pytest.param("a" * 306, SmsEncoding.GSM7, 2, id="concatenated-gsm7-parts-hold-153"),
    pytest.param("a" * 307, SmsEncoding.GSM7, 3, id="307-gsm7-is-three"),
    pytest.param("[" * 80, SmsEncoding.GSM7, 1, id="extension-characters-count-twice"),
    pytest.param("[" * 81, SmsEncoding.GSM7, 2, id="81-extension-characters-overflow"),
    pytest.param("ờ" * 70, SmsEncoding.UCS2, 1, id="70-ucs2-is-one-segment"),
    pytest.param("ờ" * 71, SmsEncoding.UCS2, 2, id="71-ucs2-is-two"),
    pytest.param("a" * 150 + "ờ", SmsEncoding.UCS2, 3, id="one-accent-forces-ucs2-for-all"),
    pytest.param("Moi du buoi tiep cong dan 08 giờ 00", SmsEncoding.UCS2, 1, id="mixed-is-ucs2"),
])
def test_it_counts_segments_like_the_network(text, encoding, segments):
    assert (cost(text).encoding, cost(text).segments) == (encoding, segments)


def test_unaccented_vietnamese_is_gsm7():
    text = unaccented("Đơn của Ông/Bà Nguyễn Thị Hoa đã được UBND xã An Lão thụ lý")
    assert text == "Don cua Ong/Ba Nguyen Thi Hoa da duoc UBND xa An Lao thu ly"
    assert cost(text).encoding == SmsEncoding.GSM7

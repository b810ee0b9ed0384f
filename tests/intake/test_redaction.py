"""Exact occurrences of the denouncer's identity are removed from free text; the rest stays."""

import pytest

from tiepdan.intake.identity.redaction import TEXT_MASK, identity_pattern, redact

PATTERN = identity_pattern(names=["Trần Thị Bình"], numbers=["031185000101"],
                           phones=["+84912000101"], emails=["binh@example.test"])


@pytest.mark.parametrize("text", [
    "Tôi là Trần Thị Bình.",
    "Tôi là TRẦN THỊ BÌNH.",
    "Tôi là Trần  Thị\nBình.",
    "CCCD 031185000101.",
    "CCCD 0311 8500 0101.",
    "CCCD 031.185.000.101.",
    "Gọi 0912000101.",
    "Gọi 0912 000 101.",
    "Gọi 0912.000.101.",
    "Gọi +84912000101.",
    "Gọi +84 912 000 101.",
    "Thư binh@EXAMPLE.test.",
], ids=lambda t: t)
def test_it_removes_each_form_of_the_identity(text):
    result = redact(text, PATTERN)
    assert TEXT_MASK in result
    assert not any(part in result for part in ("Bình", "BÌNH", "0101", "101.", "binh@"))


@pytest.mark.parametrize("text", [
    "Ông Trần Thị Bìnhh không liên quan.",  # another word
    "Số hợp đồng 90912000101999.",  # digits inside a longer number
    "Bà Bình ở thôn Đông.",  # a given name alone is not an exact occurrence
], ids=["longer-word", "longer-number", "given-name-only"])
def test_it_leaves_other_text_alone(text):
    assert redact(text, PATTERN) == text


def test_nothing_to_look_for_changes_nothing():
    assert identity_pattern(names=[""], numbers=[""], phones=[""], emails=[""]) is None
    assert redact("Nội dung.", None) == "Nội dung."

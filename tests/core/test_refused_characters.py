"""The search for refused characters (``has_refused``, one regular expression run on every text
of every request) refuses exactly what the rule (``is_refused``) refuses, for every code point."""

import pytest

from tiepdan.core.text import has_refused, is_refused


@pytest.mark.parametrize("multiline", [False, True])
def test_every_code_point_is_judged_as_the_rule_judges_it(multiline):
    disagree = [hex(code) for code in range(0x110000)
                if has_refused(chr(code), multiline=multiline)
                != is_refused(chr(code), multiline=multiline)]
    assert disagree == []


def test_one_refused_character_anywhere_in_a_text_is_found():
    name = "Nguyễn Thị Hồng Nhung"
    assert not has_refused(name)
    assert has_refused(name + "\u202e")  # a bidi override at the end
    assert has_refused("\x1b" + name)  # an ESC at the start
    assert has_refused("dòng một\ndòng hai")
    assert not has_refused("dòng một\ndòng hai", multiline=True)
    assert has_refused("dòng một\n\x00", multiline=True)

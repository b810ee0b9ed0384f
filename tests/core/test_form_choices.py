"""Fixed choices (core.form_choices) are shared by every copy of a form, not copied into each,
and still decide what a field accepts."""

import copy

from django import forms

from tiepdan.core.form_choices import FixedChoiceField, FixedChoices, FixedTypedChoiceField
from tiepdan.intake.registration.forms import RegistrationForm


class _Form(forms.Form):
    colour = FixedChoiceField(choices=FixedChoices([("", "—"), ("do", "Đỏ"), ("xanh", "Xanh")]),
                              error_messages={"invalid_choice": "Màu không hợp lệ."})
    number = FixedTypedChoiceField(choices=FixedChoices([(1, "Một"), (2, "Hai")]), coerce=int)


def test_a_known_value_is_taken_and_an_unknown_one_refused_with_the_fields_message():
    ok = _Form(data={"colour": "xanh", "number": "2"})
    assert ok.is_valid(), ok.errors
    assert ok.cleaned_data == {"colour": "xanh", "number": 2}
    bad = _Form(data={"colour": "tím", "number": "3"})
    assert not bad.is_valid()
    assert bad.errors["colour"] == ["Màu không hợp lệ."]
    assert "number" in bad.errors


def test_every_form_shares_the_choices_and_renders_them():
    one, two = _Form(), _Form()
    assert one.fields["colour"].choices is two.fields["colour"].choices
    assert copy.deepcopy(one.fields["colour"]).choices is one.fields["colour"].choices
    html = str(one["colour"])
    assert '<option value="do">Đỏ</option>' in html and '<option value="xanh">Xanh</option>' in html


def test_the_registration_form_offers_the_wards_of_the_chosen_province_only():
    form = RegistrationForm(data={"province": "31", "ward": "11629"})
    wards = dict(form.fields["ward"].choices)
    assert wards[11629] == "Xã An Lão"
    assert len(wards) > 100  # the wards of Hải Phòng, not of the whole country
    form.is_valid()
    assert "ward" not in form.errors
    elsewhere = RegistrationForm(data={"province": "1", "ward": "11629"})  # Hà Nội
    elsewhere.is_valid()
    assert "ward" in elsewhere.errors

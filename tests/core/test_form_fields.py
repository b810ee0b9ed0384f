"""``{% form_field %}``: a field's hint and error are tied to its control, so a screen reader
reads them with the field (WCAG 1.3.1, 3.3.1)."""

from __future__ import annotations

import re

from django import forms
from django.template import Context, Template

from tiepdan.intake.registration.forms import RegistrationForm


def _render(field, **options: str) -> str:
    args = " ".join(f"{name}={value}" for name, value in options.items())
    template = Template("{% load form_fields %}{% form_field field " + args + " %}")
    return template.render(Context({"field": field}))


def _attr(html: str, element_id: str, name: str) -> str | None:
    tag = re.search(rf'<[^>]*\bid="{element_id}"[^>]*>', html)
    assert tag, f"no element #{element_id} in {html}"
    value = re.search(rf'\b{name}="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def test_it_ties_the_hint_to_the_field():
    html = _render(RegistrationForm()["id_number"])
    assert 'id="id_id_number_helptext"' in html and "Căn cước: 12 chữ số" in html
    assert _attr(html, "id_id_number", "aria-describedby") == "id_id_number_helptext"
    assert _attr(html, "id_id_number", "aria-invalid") is None


def test_it_ties_the_hint_and_the_error_to_a_field_in_error():
    form = RegistrationForm(data={})
    form.is_valid()
    html = _render(form["id_number"])
    assert _attr(html, "id_id_number", "aria-describedby") == (
        "id_id_number_helptext id_id_number_error")
    assert _attr(html, "id_id_number", "aria-invalid") == "true"
    # One message, not a list item outside a list under role=alert (axe "listitem").
    assert re.search(r'<p class="errorlist" id="id_id_number_error">.*Vui lòng điền', html)
    assert "<li>" not in html


def test_it_describes_a_group_of_choices_on_its_fieldset():
    form = RegistrationForm(data={})
    form.is_valid()
    html = _render(form["kind"], radio="True")
    assert re.search(r'<fieldset class="radio-group" aria-describedby="id_kind_error"><legend>'
                     r"Loại đơn", html)


def test_it_keeps_the_widgets_own_description_first():
    class Form(forms.Form):
        note = forms.CharField(help_text="Gợi ý", widget=forms.Textarea(
            attrs={"aria-describedby": "rules"}))

    html = _render(Form()["note"])
    assert _attr(html, "id_note", "aria-describedby") == "rules id_note_helptext"


def test_it_marks_required_fields_unless_told_not_to():
    field = RegistrationForm()["full_name"]
    assert "(bắt buộc)" in _render(field)
    assert "(bắt buộc)" not in _render(field, mark_required="False")

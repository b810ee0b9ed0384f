"""Every form of the product (pages and admin) takes text in NFC and refuses control
characters, lone surrogates and bidi overrides in every text field; tab and line breaks only
in multi-line fields.  The forms are discovered, so a new one without the cleaning fails here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import unicodedata
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

import tiepdan
from tests.builders import make_hearing
from tests.factories import TOTPDeviceFactory, staff_user
from tests.hostile_text import NFC_NAME, NFD_NAME, REFUSED
from tiepdan.core.models import Role
from tiepdan.core.text_forms import CleanTextMixin, is_multiline, is_text_field
from tiepdan.intake.models import Matter

pytestmark = pytest.mark.django_db

_SKIP_MODULES = ("tiepdan.asgi", "tiepdan.wsgi", "tiepdan.settings", "tiepdan.cli")


def _project_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(tiepdan.__path__, "tiepdan."):
        if ".migrations" in module.name or module.name.startswith(_SKIP_MODULES):
            continue
        importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            # Bases (core.text_forms, the admin's model-less ones) are tested through the forms
            # built on them.
            meta = getattr(sub, "_meta", None)
            if (
                sub.__module__.startswith("tiepdan.")
                and sub.__module__ != "tiepdan.core.text_forms"
                and (meta is None or meta.model is not None)
            ):
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


PAGE_FORMS = _project_form_classes()


def _admin_forms(request) -> list[tuple[str, type[forms.BaseForm]]]:
    out = []
    for model, model_admin in admin.site._registry.items():
        writable = model_admin.has_add_permission(request) or model_admin.has_change_permission(
            request
        )
        if not writable:
            continue
        out.append((f"admin:{model._meta.label}", model_admin.get_form(request)))
        for inline in model_admin.get_inline_instances(request):
            out.append(
                (
                    f"admin:{model._meta.label}:{type(inline).__name__}",
                    inline.get_formset(request).form,
                )
            )
    return out


@pytest.fixture
def superuser_request():
    user = get_user_model().objects.create_superuser("quantri", "qt@example.org", "x" * 16)
    request = RequestFactory().get("/quan-tri/")
    request.user = user
    return request


@pytest.fixture
def make_form(an_lao):
    """An instance of any form class with ``data``; the arguments some forms need."""
    chair = staff_user(Role.CHAIRMAN, commune=an_lao)
    hearing = make_hearing(an_lao, "draft", matters=[], chairman=chair,
                           title="Tiếp công dân định kỳ")
    extra = {
        "commune": an_lao,
        "matters": Matter.objects.none(),
        "hearing": hearing,
        "attachments": [],
        "candidates": [],
    }

    def make(cls: type[forms.BaseForm], data: dict[str, Any]) -> forms.BaseForm:
        parameters = inspect.signature(cls.__init__).parameters
        kwargs = {
            name: extra[name]
            for name, p in parameters.items()
            if p.kind is p.KEYWORD_ONLY and p.default is p.empty
        }
        if "device" in parameters:
            return cls(TOTPDeviceFactory(user=chair), data=data, **kwargs)
        return cls(data=data, **kwargs)

    return make


def _text_fields(form: forms.BaseForm) -> dict[str, forms.Field]:
    return {name: field for name, field in form.fields.items() if is_text_field(field)}


def _codes(form: forms.BaseForm, name: str) -> set[str]:
    return {error.code for error in form.errors.as_data().get(name, [])}


def _check_form(form_for) -> None:
    """``form_for(data)`` → a bound form; every text field refuses, normalises, allows."""
    fields = _text_fields(form_for({}))
    for name, field in fields.items():
        key = form_for({}).add_prefix(name)
        for label, value in REFUSED.items():
            form = form_for({key: value})
            assert "control_characters" in _codes(form, name), (name, label)
            assert "ký tự điều khiển" in str(form.errors[name])
        form = form_for({key: NFD_NAME})
        form.full_clean()
        assert form[name].data == NFC_NAME, name
        assert "control_characters" not in _codes(form, name)
        # Tab and line breaks: in multi-line fields only.
        codes = _codes(form_for({key: "Dòng một\nDòng\thai"}), name)
        assert ("control_characters" in codes) is not is_multiline(field), name


def test_every_form_of_the_product_cleans_its_text():
    missing = [
        f"{c.__module__}.{c.__qualname__}" for c in PAGE_FORMS if not issubclass(c, CleanTextMixin)
    ]
    assert PAGE_FORMS and missing == []


@pytest.mark.parametrize(
    "form_class", PAGE_FORMS, ids=[f"{c.__module__}.{c.__qualname__}" for c in PAGE_FORMS]
)
def test_the_text_fields_of_a_page_form(form_class, make_form):
    _check_form(lambda data: make_form(form_class, data))


def test_every_admin_form_cleans_its_text(superuser_request):
    found = _admin_forms(superuser_request)
    assert len(found) > 5
    assert [label for label, cls in found if not issubclass(cls, CleanTextMixin)] == []


def test_the_text_fields_of_the_admin_forms(superuser_request):
    for _label, form_class in _admin_forms(superuser_request):
        _check_form(lambda data, cls=form_class: cls(data=data))


def test_a_registration_with_a_control_character_is_refused_with_a_message(
    client, an_lao, form_data
):
    from django.urls import reverse

    response = client.post(
        reverse("intake:register", args=[an_lao.ward_code]),
        {**form_data, "full_name": "Trần Thị\x1b Bình"},
    )
    assert response.status_code == 422
    assert "Trường này chứa ký tự điều khiển không hợp lệ." in response.content.decode()
    assert not Matter.objects.exists()


def test_a_decomposed_name_is_stored_composed(client, an_lao, form_data):
    from django.urls import reverse

    client.post(
        reverse("intake:register", args=[an_lao.ward_code]),
        {**form_data, "full_name": unicodedata.normalize("NFD", "Trần Thị Bình")},
    )
    assert Matter.objects.get().full_name == "Trần Thị Bình"

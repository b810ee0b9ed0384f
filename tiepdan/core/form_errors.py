"""Turn a domain error into form errors at the edge (pages)."""

from __future__ import annotations

from django import forms

from .errors import DomainError


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    placed = False
    for field, items in exc.field_errors.items():
        for item in items:
            if field in form.fields:
                form.add_error(field, item["message"])
                placed = True
    if not placed:
        form.add_error(None, str(exc.message))

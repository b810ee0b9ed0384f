"""Permission-checked reads of issued documents: the only way the download view loads them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.http import Http404

from tiepdan.core.access import READ_DOCUMENTS, communes_with_perm

from .models import IssuedDocument


def visible_documents(user: User | AnonymousUser) -> QuerySet[IssuedDocument]:
    """The documents of the communes where ``user`` holds ``access.READ_DOCUMENTS``."""
    perms = sorted(READ_DOCUMENTS)
    communes = communes_with_perm(user, perms[0])
    for perm in perms[1:]:
        communes = communes | communes_with_perm(user, perm)
    return IssuedDocument.objects.filter(commune__in=communes.values("id"))


def issued_document_get_for_user(
    user: User | AnonymousUser, pk: int
) -> IssuedDocument:
    """The document, or 404: one of another commune is indistinguishable from none."""
    document = visible_documents(user).select_related("commune").filter(pk=pk).first()
    if document is None:
        raise Http404
    return document

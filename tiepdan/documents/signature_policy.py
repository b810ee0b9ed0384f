"""Which signatures each document type needs (issue 15 §1): the one place this is decided.

The default follows NĐ 30/2020 Phụ lục I for electronic documents: a document the Chairman
(or a Vice-Chairman for him) signs carries his personal digital signature, then the People's
Committee's over it; a Biên bản carries the personal signatures of those who sign it; an
automatic receipt carries the organisation's only.  ``SIGNATURE_POLICY`` (JSON, e.g.
``{"GM": ["personal", "seal"], "PC": ["seal"]}``; a key may be ``"TB:refusal_01_tcd"``)
overrides it per type.
"""

from __future__ import annotations

from django.conf import settings

from .models import DocType, SignatureKind

PERSONAL_THEN_SEAL = (SignatureKind.PERSONAL, SignatureKind.SEAL)

DEFAULT_POLICY: dict[str, tuple[SignatureKind, ...]] = {
    DocType.INVITATION: PERSONAL_THEN_SEAL,
    DocType.NOTICE: PERSONAL_THEN_SEAL,
    DocType.REPORT: PERSONAL_THEN_SEAL,
    DocType.PLAN: PERSONAL_THEN_SEAL,
    DocType.DECISION: PERSONAL_THEN_SEAL,
    DocType.MINUTES: (SignatureKind.PERSONAL,),
    DocType.FORWARDING_SLIP: (SignatureKind.SEAL,),
}


def required_signatures(doc_type: str, template_key: str = "") -> tuple[SignatureKind, ...]:
    """The signatures a document of ``doc_type`` (and ``template_key``) needs, in order."""
    overrides: dict[str, list[str]] = getattr(settings, "SIGNATURE_POLICY", {}) or {}
    for key in (f"{doc_type}:{template_key}" if template_key else None, str(doc_type)):
        if key and key in overrides:
            return tuple(SignatureKind(kind) for kind in overrides[key])
    return DEFAULT_POLICY.get(doc_type, PERSONAL_THEN_SEAL)


def next_signature(doc_type: str, template_key: str, present: set[str]) -> SignatureKind | None:
    """The signature a document still waits for, given the kinds it has (None: complete)."""
    for kind in required_signatures(doc_type, template_key):
        if kind not in present:
            return kind
    return None

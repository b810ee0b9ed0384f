"""Full-text search of the inbox: one normalised, diacritic-free ``Matter.search_text`` per
matter ("nguyen van" finds "Nguyễn Văn"; đ/Đ folds to d), kept by ``Matter.save`` and by
sealing, searched with ``LIKE`` (a pg_trgm GIN index serves it on PostgreSQL; see migration
0006).

A sealed denunciation's columns hold masks (``intake.identity.sealing``) and its search text is
built from those columns only: the denouncer is never findable by name, number or phone.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Concat

#: Characters NFD does not decompose into a base letter and marks.
_EXTRA_FOLDS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d"})
_SPACES = re.compile(r"\s+")
_PHONE_LIKE = re.compile(r"\+?[\d\s.\-]{6,}")
#: Search text beyond this is cut (the content of a petition can be long; the start of it
#: is what an officer remembers).
MAX_CONTENT = 2000


def fold(text: str) -> str:
    """Lower case, without diacritics, đ → d, single spaces: "Nguyễn  Văn Đức" → "nguyen van
    duc"."""
    text = (text or "").translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", plain.lower()).strip()


def phone_forms(phone: str) -> list[str]:
    """A phone as officers type it: "+84912345678" also as "0912345678"."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    if not digits:
        return []
    forms = [digits]
    if digits.startswith("84") and len(digits) >= 11:
        forms.append("0" + digits[2:])
    return forms


def search_text_for(*, tracking_code: str, full_name: str, phone: str, summary: str,
                    content: str) -> str:
    """The search text of a matter from its columns (for a sealed matter: its masks)."""
    code = (tracking_code or "").lower()
    parts = [code, code.replace("-", ""), fold(full_name), *phone_forms(phone), fold(summary),
             fold((content or "")[:MAX_CONTENT])]
    return " ".join(p for p in parts if p)


def matter_search_text(matter) -> str:
    return search_text_for(tracking_code=matter.tracking_code, full_name=matter.full_name,
                           phone=matter.phone, summary=matter.summary, content=matter.content)


def query_terms(query: str) -> list[str]:
    """The terms every result must contain: a phone number typed with spaces or dots is one
    term ("0912 345 678" → "0912345678"), a leading +84 becomes 0."""
    query = (query or "").strip()
    if _PHONE_LIKE.fullmatch(query):
        forms = phone_forms(query)
        return [forms[-1]] if forms else []
    return [term for term in fold(query).split(" ") if term][:8]


def _selectivity(term: str) -> tuple[bool, int]:
    """Terms with digits (a phone, a code, a house number) and long terms match fewest rows."""
    return any(c.isdigit() for c in term), len(term)


def apply_search(matters: QuerySet, query: str) -> QuerySet:
    """Every term must occur.  Only the most selective term is given to the trigram index: a
    common one ("nguyen", "van") has a posting list of most of the table, and ANDing it in
    costs far more (measured: 220 ms on 1,000,000 matters) than checking the few rows the
    selective term found (4 ms); the other terms are checked on those rows, through an
    expression the index does not serve."""
    terms = sorted(query_terms(query), key=_selectivity, reverse=True)
    if not terms:
        return matters
    matters = matters.filter(search_text__contains=terms[0])
    if len(terms) > 1:
        matters = matters.alias(search_rows=Concat(F("search_text"), Value(""),
                                                   output_field=TextField()))
        for term in terms[1:]:
            matters = matters.filter(search_rows__contains=term)
    return matters

"""Wording of document texts assembled from templates and data (Django-free).

Templates add a label before a value ("Điểm cầu " + name, "Buổi tiếp công dân trực tuyến: " +
title); when the value already starts with the same words the label is dropped, so a document
never reads "Điểm cầu Điểm cầu …".  ``repeated_phrases`` finds what slipped through.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _starts_with_words(text: str, prefix: str) -> bool:
    head, words = _words(text), _words(prefix)
    return bool(words) and head[:len(words)] == words


def labelled(label: str, value: str, separator: str = " ") -> str:
    """``label`` + ``separator`` + ``value``, or ``value`` alone when it already begins with
    the label's words ("Điểm cầu" + "Điểm cầu thôn Đông" → "Điểm cầu thôn Đông")."""
    value = " ".join(value.split())
    if _starts_with_words(value, label):
        return value
    return f"{label}{separator}{value}"


def without_leading(value: str, *labels: str) -> str:
    """``value`` without a leading label it repeats ("Tiếp công dân trực tuyến: X" → "X")."""
    value = " ".join(value.split())
    for label in labels:
        if _starts_with_words(value, label):
            rest = value[len(label):] if value.casefold().startswith(label.casefold()) else value
            return rest.lstrip(" :–-,") or value
    return value


def repeated_phrases(text: str, longest: int = 6) -> list[str]:
    """Phrases written twice in a row: of 2 to ``longest`` words across punctuation
    ("trực tuyến: Tiếp công dân trực tuyến", "Điểm cầu Điểm cầu"), and single words with only
    a space between ("xã Xã An Lão") — a name before its title ("Vũ Văn Chủ, Chủ tịch") is
    not a repetition."""
    matches = list(_WORD.finditer(text))
    words = [m.group().casefold() for m in matches]
    found = []
    for size in range(1, longest + 1):
        for start in range(len(words) - 2 * size + 1):
            first = words[start:start + size]
            if first != words[start + size:start + 2 * size] or all(w.isdigit() for w in first):
                continue
            gap = text[matches[start + size - 1].end():matches[start + size].start()]
            if size == 1 and gap.strip():
                continue
            found.append(" ".join(first))
    return found

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
    """Phrases of 1 to ``longest`` words written twice in a row ("điểm cầu điểm cầu"),
    across punctuation ("trực tuyến: Tiếp công dân trực tuyến")."""
    words = _words(text)
    found = []
    for size in range(1, longest + 1):
        for start in range(len(words) - 2 * size + 1):
            first = words[start:start + size]
            if first == words[start + size:start + 2 * size] and not all(
                    w.isdigit() for w in first):
                found.append(" ".join(first))
    return found

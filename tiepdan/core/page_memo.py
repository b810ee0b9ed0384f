"""Rows one page reads in several places, read once.

The matter page's parts — its "what next" steps from each app and the apps' panels — all start
from the same ``Matter`` instance, fetched for this one request.  What several of them read
about it (its register entry, its hearings, its follow-up tasks …) is kept on that instance the
first time, so the page reads each once.  Only for reading: a view that changes those rows
fetches the matter again (or redirects) before showing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_ATTRIBUTE = "_tiepdan_page_memo"


def once(obj: Any, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``key`` is asked of ``obj``, the same value afterwards."""
    memo = obj.__dict__.setdefault(_ATTRIBUTE, {})
    if key not in memo:
        memo[key] = compute()
    return memo[key]

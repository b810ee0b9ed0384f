"""The assets a media page loads: its stylesheets and scripts, and every ES module those scripts
import (followed to the end), each as the URL the browser asks for."""

from __future__ import annotations

import posixpath
import re

from django.test import Client

_IN_PAGE = re.compile(r'(?:src|href)="([^"#]+\.(?:js|css))"')
_IMPORTS = re.compile(r'^\s*import\s[^"\']*["\']([^"\']+)["\']', re.MULTILINE)


def page_assets(client: Client, html: str) -> list[str]:
    """Every asset of ``html``, modules imported included; each must be served (asserted)."""
    found = _IN_PAGE.findall(html)
    todo = [url for url in found if url.endswith(".js")]
    while todo:
        url = todo.pop()
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for target in _IMPORTS.findall(body.decode()):
            assert target.startswith("."), f"{url} imports {target}: not a file of the product"
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(url), target))
            if resolved not in found:
                found.append(resolved)
                todo.append(resolved)
    return found

"""Works offline: every script and style sheet a page uses is served by the product itself."""

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PAGES = ["/", "/xa/11629/", "/xa/11629/dang-ky/", "/tra-cuu/", "/can-bo/dang-nhap/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_only_local_assets_and_they_are_served(client: Client, an_lao, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"#]+\.(?:js|css|woff2?|ttf|png|svg))"', html)
    assert assets, "a page without its style sheet"
    for url in assets:
        assert url.startswith("/static/"), f"external or unexpected asset {url}"
        served = client.get(url)
        assert served.status_code == 200, url
    assert "http://" not in re.sub(r'xmlns(:\w+)?="[^"]+"', "", html).replace(
        "http://testserver", "")
    assert "https://" not in html

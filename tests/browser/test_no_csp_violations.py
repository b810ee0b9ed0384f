"""Real pages in Chromium under the Content-Security-Policy: no script blocked, no violation
reported, and what the scripts do still works (language selector, htmx, Swagger UI)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def _watch(page: Page) -> list[str]:
    problems: list[str] = []

    def on_console(message) -> None:
        # Chromium reports a blocked script, style or eval as a console error naming the policy.
        if message.type == "error" and (
            "Content Security Policy" in message.text or "CSP violation" in message.text
        ):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('CSP violation: ' + e.violatedDirective));"
    )
    return problems


def test_public_pages_run_without_csp_violations(page: Page, live_server, an_lao):
    problems = _watch(page)
    page.goto(f"{live_server.url}/xa/{an_lao.ward_code}/dang-ky/", timeout=60_000)  # cold start
    # htmx: choosing a province reloads the commune list (an htmx request).
    with page.expect_response(re.compile(r"/dia-gioi/xa/\?province=\d+")):
        page.select_option("#id_province", index=1)
    page.goto(f"{live_server.url}/tra-cuu/")
    # The language switcher: a button naming the language in itself.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert problems == []


def test_swagger_ui_renders_offline_under_the_policy(page: Page, live_server, db):
    problems = _watch(page)
    page.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost)"), lambda route: route.abort())
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Tiếp Dân API")
    assert problems == []

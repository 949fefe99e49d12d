"""Issue 12, item 3 in a real browser: the Banten verifier vina opens the review of a submitted
dossier, picks scores on a tatanan tab, sends a comment without pressing "Simpan nilai", and finds
her scores still there when the page comes back (and in the database); an empty comment comes
back with everything typed. On a 1280-wide desktop, a 390×844 phone, and without JavaScript
(the comment boxes belong to the scores form, so nothing depends on the script)."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PHONE, browser_login, fail_on_csp_violations, watch_csp
from dossiers.models import DossierComment
from dossiers.tests.workflow_fixtures import ready, submitted  # noqa: F401
from indicators.models import IndicatorEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots-H")


@pytest.fixture(params=["desktop", "phone", "nojs"])
def screen(request, browser, live_server):
    """A fresh page and the name of its kind of screen."""
    options = {
        "desktop": {"viewport": {"width": 1280, "height": 900}},
        "phone": PHONE,
        "nojs": {"viewport": {"width": 1280, "height": 900}, "java_script_enabled": False},
    }[request.param]
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **options)
    context.set_default_timeout(15000)
    violations = watch_csp(context)
    yield context.new_page(), request.param
    context.close()
    fail_on_csp_violations(violations)


def shot(page, kind, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{kind}.png"), full_page=True)


def test_a_comment_never_loses_the_scores_typed(screen, submitted, vina):
    page, kind = screen
    assessment = submitted.assessment
    entries = assessment.indicator_entries.select_related("indicator").filter(indicator__tatanan__code="PSR")
    first, second = entries.get(indicator__number="1"), entries.get(indicator__number="2")
    option1 = first.indicator.scale_options.get(value=50)
    option2 = second.indicator.scale_options.get(value=75)
    browser_login(page, "vina")
    page.goto(f"/dossier/{assessment.pk}/verifikasi/")
    with page.expect_navigation():
        page.click("#review-open-button")
    with page.expect_navigation():
        page.click("#tatanan-tabs a[data-tatanan='PSR']")
    approve = page.locator("#approve-button")
    assert approve.is_disabled()
    assert "0 dari 4 indikator sudah dinilai." in page.locator("#approve-progress").inner_text()
    shot(page, kind, "1-before")

    # Scores picked, not saved; then a comment on PSR 1.
    page.select_option(f"#id_score-{first.pk}", str(option1.pk))
    page.select_option(f"#id_score-{second.pk}", str(option2.pk))
    page.fill(f"#id_note-{first.pk}", "Bukti 2024 buram.")
    card = page.locator(f"#indikator-{first.pk}")
    card.locator(".new-thread-form textarea").fill("Unggah laporan inspeksi 2024 yang terbaca.")
    with page.expect_navigation():
        card.locator(".new-thread-form button").click()
    assert page.locator(f"#id_score-{first.pk}").input_value() == str(option1.pk)
    assert page.locator(f"#id_score-{second.pk}").input_value() == str(option2.pk)
    assert page.locator(f"#id_note-{first.pk}").input_value() == "Bukti 2024 buram."
    assert "Unggah laporan inspeksi 2024 yang terbaca." in page.locator(f"#indikator-{first.pk}").inner_text()
    assert "2 dari 4 indikator sudah dinilai." in page.locator("#approve-progress").inner_text()
    first.refresh_from_db()
    assert (first.provincial_score_id, first.provincial_note) == (option1.pk, "Bukti 2024 buram.")
    assert IndicatorEntry.objects.get(pk=second.pk).provincial_score_id == option2.pk
    thread = DossierComment.objects.get()
    shot(page, kind, "2-after-comment")

    # An empty reply: refused, the new score and the other box's text come back.
    option3 = second.indicator.scale_options.get(value=25)
    page.select_option(f"#id_score-{second.pk}", str(option3.pk))
    page.locator(f"#indikator-{second.pk} .new-thread-form textarea").fill("Draf komentar PSR 2.")
    with page.expect_navigation():
        page.locator(f"#komentar-{thread.pk} .reply-form button").click()
    assert "Komentar tidak boleh kosong." in page.locator(f"#komentar-{thread.pk}").inner_text()
    assert page.locator(f"#id_score-{second.pk}").input_value() == str(option3.pk)
    assert page.locator(f"#indikator-{second.pk} .new-thread-form textarea").input_value() == "Draf komentar PSR 2."
    assert IndicatorEntry.objects.get(pk=second.pk).provincial_score_id == option2.pk  # nothing saved
    shot(page, kind, "3-empty-reply")

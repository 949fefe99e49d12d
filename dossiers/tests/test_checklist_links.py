"""The submission checklist can be acted on: every missing item links to the page that fixes it
(and that page opens for Bappeda), long lists show a few and fold the rest in a native
``<details>``, names are never cut inside a word; a returned dossier's reason sits at the top
of the dossier page, and the checklist and submit button come before the history."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from dossiers.tests.workflow_fixtures import finished_version, in_review, ready, submitted  # noqa: F401
from dossiers.workflow.services import SHOWN_ON_PAGE, dossier_return, submission_checklist
from forums.models import Body
from indicators.models import IndicatorEntry
from tatanan.models import EvidenceRequirement, KelembagaanItem

pytestmark = pytest.mark.django_db

LONG_NAME = (
    "Persentase pasar rakyat yang memenuhi syarat kesehatan lingkungan menurut hasil inspeksi "
    "kesehatan lingkungan oleh puskesmas setempat"
)


def check_html(page: str, code: str) -> str:
    """The checklist's item ``code``: up to the next item, or the end of the list."""
    checklist = page[page.index('id="submit-checklist"') : page.index('id="submit-form"')]
    start = checklist.index(f'data-check="{code}"')
    following = checklist.find("data-check=", start + 1)
    return checklist[start : following if following != -1 else None]


@pytest.fixture
def many_gaps(serang_2025):
    """Gaps of every kind: a long-named indicator without self score and second year, six more
    evidence requirements (seven items missing), a kelembagaan requirement."""
    cycle = serang_2025.cycle
    entry = serang_2025.indicator_entries.select_related("indicator").get(
        indicator__tatanan__code="KSM", indicator__number="2"
    )
    entry.indicator.name = LONG_NAME
    entry.indicator.save()
    IndicatorEntry.objects.filter(pk=entry.pk).update(self_score=None, value_year2="")
    psr1 = serang_2025.indicator_entries.get(indicator__tatanan__code="PSR", indicator__number="1").indicator
    for n in range(3):
        EvidenceRequirement.objects.create(indicator=psr1, description=f"Foto pasar sisi {n + 1}", year_scope="each")
    item = KelembagaanItem.objects.get(cycle=cycle, component="tim_pembina", item="sk")
    EvidenceRequirement.objects.create(kelembagaan_item=item, description="Salinan SK Tim Pembina", year_scope="each")
    return serang_2025, entry


def test_every_missing_item_links_to_the_page_that_fixes_it(many_gaps, rina, wilayah, client_for):
    assessment, entry = many_gaps
    checklist = submission_checklist(assessment)
    failed = {check.code: check for check in checklist.failed}
    assert set(failed) == {
        "version",
        "self_scores",
        "data_years",
        "evidence",
        "kelembagaan_scores",
        "kelembagaan_bodies",
        "kelembagaan_evidence",
        "odf",
    }
    entry_form = reverse("indicators:entry_edit", args=[assessment.pk, entry.pk])
    assert [item.url for item in failed["self_scores"].missing] == [entry_form]
    assert [item.url for item in failed["data_years"].missing] == [entry_form]
    # Evidence: the upload page of the very requirement and year.
    psr_requirement = EvidenceRequirement.objects.get(description="Laporan inspeksi pasar")
    first = failed["evidence"].missing[0]
    assert first.text == "PSR 1: Laporan inspeksi pasar (2024): 0 dari 1 berkas."
    assert first.url == reverse("evidence:requirement_files", args=[assessment.pk, psr_requirement.pk, 2024])
    assert len(failed["evidence"].missing) == 7
    kelembagaan = EvidenceRequirement.objects.get(description="Salinan SK Tim Pembina")
    assert [item.url for item in failed["kelembagaan_evidence"].missing] == [
        reverse("evidence:requirement_files", args=[assessment.pk, kelembagaan.pk, year]) for year in (2023, 2024)
    ]
    assert failed["kelembagaan_scores"].missing[0].url == reverse("indicators:kelembagaan_edit", args=[assessment.pk])
    # Bodies: the Tim Pembina lacks an SK (its SK page), the Forum is not formed (the body list forms it).
    tim = Body.objects.get(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=assessment.kabupaten)
    assert [item.url for item in failed["kelembagaan_bodies"].missing] == [
        reverse("forums:decree_list", args=[tim.pk]),
        reverse("forums:body_list"),
    ]
    assert failed["odf"].missing[0].url == reverse("indicators:odf_edit", args=[assessment.pk, wilayah["binuang"].code])
    assert failed["version"].missing[0].url == reverse("dossiers:detail", args=[assessment.pk]) + "#compile-card"
    # The API and the refusal still read plain text.
    assert "Status ODF dilaporkan untuk setiap kecamatan: Kecamatan Binuang" in checklist.messages()

    # The page: every missing item is a link, and each opens for Bappeda.
    client = client_for(rina)
    page = client.get(reverse("dossiers:detail", args=[assessment.pk])).content.decode()
    links = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)" class="missing-link"', page)]
    assert sorted(links) == sorted(item.url for check in checklist.failed for item in check.missing)
    for url in set(links):
        assert client.get(url.split("#")[0]).status_code == 200, url


def test_long_lists_fold_and_names_are_cut_between_words(many_gaps, rina, client_for):
    assessment, _entry = many_gaps
    page = client_for(rina).get(reverse("dossiers:detail", args=[assessment.pk])).content.decode()
    evidence = check_html(page, "evidence")
    shown, folded = evidence.split("<details", 1)
    assert shown.count('class="missing-link"') == SHOWN_ON_PAGE
    assert "dan 2 lainnya</summary>" in folded
    assert folded.count('class="missing-link"') == 2
    # A check with few items has nothing to fold.
    assert "<details" not in check_html(page, "odf")
    # The long name ends at a whole word, marked with an ellipsis.
    (label,) = submission_checklist(assessment).get("self_scores").missing
    assert label == "KSM 2. Persentase pasar rakyat yang memenuhi syarat kesehatan lingkungan menurut hasil…"
    assert LONG_NAME.startswith(label.removeprefix("KSM 2. ").removesuffix("…") + " ")


def test_a_returned_dossier_shows_why_at_the_top(in_review, rina, vina, client_for):
    reason = "Bukti pasar 2024 belum terbaca, mohon unggah ulang."
    dossier_return(dossier=in_review, actor=vina, reason=reason)
    url = reverse("dossiers:detail", args=[in_review.assessment.pk])
    page = client_for(rina).get(url).content.decode()
    alert = re.search(
        r'<div class="alert alert-warning" role="alert" id="returned-reason">.*?</div>\s*</div>', page, re.S
    )
    assert alert, "no returned alert"
    assert reason in alert.group(0)
    assert vina.get_full_name() in alert.group(0)
    assert reverse("dossiers:review", args=[in_review.assessment.pk]) in alert.group(0)
    # The reason first, then the compile button, the checklist and the submit button, the history last.
    order = [
        page.index('id="returned-reason"'),
        page.index('id="compile-card"'),
        page.index('id="submit-checklist"'),
        page.index('id="submit-button"'),
        page.index('id="workflow-history"'),
    ]
    assert order == sorted(order)
    # The verifier reads the reason in the history; the alert is Bappeda's.
    assert 'id="returned-reason"' not in client_for(vina).get(url).content.decode()

"""The readiness pages: Bappeda's kabupaten figure, kecamatan drill-down, per tatanan and per OPD;
the assessment's indicator evidence per requirement × year; who sees what."""

import datetime
import re

import pytest
from django.urls import reverse

from evidence.tests import readiness_world
from evidence.tests.readiness_world import (
    YEARS,
    activity,
    attach,
    attach_requirement,
    complete_activity,
    requirement,
)
from forums.models import Body
from indicators.models import IndicatorEntry
from regions.tests import factories as rf

pytestmark = pytest.mark.django_db

bodies = readiness_world.bodies
evidence_cycle = readiness_world.evidence_cycle
evidence_assessment = readiness_world.evidence_assessment


def text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)<', html, re.S)
    assert match, f"#{element_id} not on the page"
    return match.group(1).strip()


def row_of(html: str, table_id: str, attr: str, value: str) -> str:
    table = html[html.index(f'id="{table_id}"') :]
    start = table.index(f'{attr}="{value}"')
    return table[start : table.index("</tr>", start)]


def entry_of(assessment, code, number):
    return IndicatorEntry.objects.get(assessment=assessment, indicator__tatanan__code=code, indicator__number=number)


# --- The kabupaten page ------------------------------------------------------------------------


def test_bappeda_sees_the_kabupaten_figure_and_what_is_missing(client_for, rina, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["forum_carenang"], year)
        complete_activity(bodies["pokja_carenang"], year)
    activity(bodies["forum_binuang"], date=datetime.date(2020, 3, 1), kinds=("undangan",), title="Rapat pleno")
    attach_requirement(evidence_assessment, requirement(evidence_assessment.cycle, "PSR", "2"), None)

    response = client_for(rina).get(reverse("evidence:readiness", args=[evidence_assessment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert text_of(html, "bodies-ready") == "2/6"  # Forum Kecamatan and Pokja of Carenang
    assert text_of(html, "activities-complete") == "4/5"
    assert text_of(html, "indicators-complete") == "2/4"  # PSR 2 and PDD 2 (no requirement)
    assert text_of(html, "kelembagaan-complete") == "0/1"
    carenang = row_of(html, "kecamatan-table", "data-code", "36.04.17")
    assert "1/2" in carenang
    assert "Pokja belum siap: Pamanuk." in carenang
    binuang = row_of(html, "kecamatan-table", "data-code", "36.04.18")
    assert "Forum Kecamatan: belum ada kegiatan lengkap tahun 2020, 2021." in binuang
    assert "1/2 · 50" in row_of(html, "tatanan-table", "data-code", "PSR")
    dinkes = row_of(html, "opd-table", "data-opd", str(entry_of(evidence_assessment, "PSR", "1").assigned_opd_id))
    assert "Tangkapan layar aplikasi (2021): 0 dari 2 berkas." in dinkes
    drill = reverse(
        "evidence:indicator_evidence", args=[evidence_assessment.pk, entry_of(evidence_assessment, "PSR", "1").pk]
    )
    assert f'href="{drill}"' in dinkes


def test_the_figure_changes_when_a_pokja_completes_its_activity(client_for, rina, evidence_assessment, bodies):
    url = reverse("evidence:readiness", args=[evidence_assessment.pk])
    complete_activity(bodies["pokja_binuang"], 2020)
    meeting = activity(
        bodies["pokja_binuang"], date=datetime.date(2021, 4, 4), kinds=("undangan", "daftar_hadir", "notulen")
    )
    client = client_for(rina)
    assert text_of(client.get(url).content.decode(), "bodies-ready") == "0/6"
    attach(kind="foto", region=bodies["pokja_binuang"].region, activity=meeting)
    html = client.get(url).content.decode()
    assert text_of(html, "bodies-ready") == "1/6"
    assert text_of(html, "activities-complete") == "2/2"


def test_only_lacking_kecamatan(client_for, rina, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["forum_binuang"], year)
        complete_activity(bodies["pokja_binuang"], year)
    html = (
        client_for(rina)
        .get(reverse("evidence:readiness", args=[evidence_assessment.pk]) + "?kurang=1")
        .content.decode()
    )
    table = html[html.index('id="kecamatan-table"') : html.index("</table>", html.index('id="kecamatan-table"'))]
    assert 'data-code="36.04.17"' in table
    assert 'data-code="36.04.18"' not in table


def test_readers_of_the_assessment_see_the_page_others_get_404(
    client, evidence_assessment, oscar, vina, wawan, sari, tono, dewi, nadia
):
    url = reverse("evidence:readiness", args=[evidence_assessment.pk])
    for user, expected in (
        (oscar, 200),
        (vina, 200),
        (nadia, 200),
        (wawan, 404),
        (sari, 404),
        (tono, 404),
        (dewi, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected, user.username
    client.logout()
    assert client.get(url).status_code == 302


def test_an_opd_operator_sees_the_figures_of_their_own_indicators(client_for, oscar, evidence_assessment):
    html = client_for(oscar).get(reverse("evidence:readiness", args=[evidence_assessment.pk])).content.decode()
    assert text_of(html, "indicators-complete") == "0/2"  # PSR 1 and PSR 2, Dinkes's
    assert 'id="kelembagaan-complete"' not in html
    assert 'data-code="PDD"' not in html


def test_the_page_costs_the_same_few_queries_for_many_desa(
    client_for, rina, evidence_assessment, bodies, django_assert_max_num_queries
):
    client = client_for(rina)
    url = reverse("evidence:readiness", args=[evidence_assessment.pk])
    client.get(url)
    for n in range(30):
        desa = rf.region((f"36.04.18.{2100 + n}", f"Desa {n:02d}"))
        complete_activity(Body.objects.create(kind=Body.Kind.POKJA_DESA, region=desa), 2020)
    # session, user, roles, assessment, three for the bodies, four for the indicators, one for the
    # kinds of the kabupaten's villages (its words, regions/words.py)
    with django_assert_max_num_queries(13):
        assert client.get(url).status_code == 200


# --- The kecamatan drill-down --------------------------------------------------------------------


def test_the_kecamatan_page_lists_each_desa(client_for, rina, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["pokja_carenang"], year)
    html = (
        client_for(rina)
        .get(reverse("evidence:readiness_kecamatan", args=[evidence_assessment.pk, "36.04.17"]))
        .content.decode()
    )
    assert "siap" in row_of(html, "desa-table", "data-code", "36.04.17.2001")
    assert "Pokja belum dibentuk di portal." in row_of(html, "desa-table", "data-code", "36.04.17.2002")
    assert "Belum ada kegiatan yang buktinya lengkap pada tahun 2020." in html  # the forum's


def test_a_kecamatan_secretary_sees_their_own_kecamatan_only(
    client, evidence_assessment, bodies, sari, tono, dewi, wawan
):
    carenang = reverse("evidence:readiness_kecamatan", args=[evidence_assessment.pk, "36.04.17"])
    binuang = reverse("evidence:readiness_kecamatan", args=[evidence_assessment.pk, "36.04.18"])
    for user, ok in ((tono, binuang), (sari, carenang)):
        client.force_login(user)
        assert client.get(ok).status_code == 200
        other = carenang if ok == binuang else binuang
        assert client.get(other).status_code == 404
    for user in (dewi, wawan):
        client.force_login(user)
        assert client.get(carenang).status_code == 404
    client.force_login(tono)
    # A kecamatan named under another kabupaten's assessment does not exist.
    assert (
        client.get(reverse("evidence:readiness_kecamatan", args=[evidence_assessment.pk, "32.01.01"])).status_code
        == 404
    )
    assert (
        client.get(reverse("evidence:readiness_kecamatan", args=[evidence_assessment.pk, "36.04"])).status_code == 404
    )


# --- The assessment's indicator evidence ----------------------------------------------------------


def test_bappeda_sees_every_requirement_by_year_and_the_kelembagaan(client_for, rina, evidence_assessment):
    attach_requirement(evidence_assessment, requirement(evidence_assessment.cycle, "PSR", "1"), 2020)
    html = client_for(rina).get(reverse("evidence:assessment_evidence", args=[evidence_assessment.pk])).content.decode()
    psr1 = row_of(html, "tatanan-PSR", "data-entry", str(entry_of(evidence_assessment, "PSR", "1").pk))
    assert "2020: 1/1" in psr1
    assert "2021: 0/1" in psr1
    assert "2021: 0/2" in psr1
    assert 'id="tatanan-PDD"' in html
    assert 'id="kelembagaan"' in html
    assert "SK Tim Pembina" in html
    assert "upload-link" in html[html.index('id="kelembagaan"') :]
    only_pdd = client_for(rina).get(
        reverse("evidence:assessment_evidence", args=[evidence_assessment.pk]) + "?tatanan=pdd"
    )
    assert 'id="tatanan-PSR"' not in only_pdd.content.decode()


def test_an_opd_operator_sees_and_uploads_for_their_indicators_only(client_for, oscar, evidence_assessment):
    client = client_for(oscar)
    html = client.get(reverse("evidence:assessment_evidence", args=[evidence_assessment.pk])).content.decode()
    assert 'id="tatanan-PSR"' in html
    assert 'id="tatanan-PDD"' not in html
    assert 'id="kelembagaan"' not in html
    psr1 = entry_of(evidence_assessment, "PSR", "1")
    page = client.get(reverse("evidence:indicator_evidence", args=[evidence_assessment.pk, psr1.pk]))
    assert page.status_code == 200
    assert "upload-link" in page.content.decode()
    pdd1 = entry_of(evidence_assessment, "PDD", "1")
    assert client.get(reverse("evidence:indicator_evidence", args=[evidence_assessment.pk, pdd1.pk])).status_code == 404


def test_the_indicator_page_lists_live_files_per_year(client_for, rina, vina, evidence_assessment):
    report = requirement(evidence_assessment.cycle, "PSR", "1")
    attach_requirement(evidence_assessment, report, 2020, title="Laporan 2020")
    gone = attach_requirement(evidence_assessment, report, 2021)
    gone.deleted_at = gone.uploaded_at
    gone.save()
    psr1 = entry_of(evidence_assessment, "PSR", "1")
    url = reverse("evidence:indicator_evidence", args=[evidence_assessment.pk, psr1.pk])
    html = client_for(rina).get(url).content.decode()
    year_2028 = html[html.index(f'id="req-{report.pk}-2020"') : html.index(f'id="req-{report.pk}-2021"')]
    assert "Laporan 2020" in year_2028
    year_2029 = html[html.index(f'id="req-{report.pk}-2021"') :]
    assert "Belum ada berkas." in year_2029[: year_2029.index("</ul>")]
    # The provincial verifier reads, and is not offered an upload.
    page = client_for(vina).get(url).content.decode()
    assert "Laporan 2020" in page
    assert "upload-link" not in page


def test_evidence_pages_answer_404_outside_the_assessment(
    client_for, wawan, rina, evidence_assessment, wilayah, root_user
):
    from indicators.services import assessment_open

    psr1 = entry_of(evidence_assessment, "PSR", "1")
    client = client_for(wawan)
    assert client.get(reverse("evidence:assessment_evidence", args=[evidence_assessment.pk])).status_code == 404
    assert client.get(reverse("evidence:indicator_evidence", args=[evidence_assessment.pk, psr1.pk])).status_code == 404
    bogor = assessment_open(kabupaten=wilayah["bogor"], cycle=evidence_assessment.cycle, actor=root_user)
    client = client_for(root_user)
    # An entry named under another assessment does not exist there.
    assert client.get(reverse("evidence:indicator_evidence", args=[bogor.pk, psr1.pk])).status_code == 404


# --- The dashboard cards ------------------------------------------------------------------------------


def _stats(user) -> dict[str, tuple[str, str]]:
    from kks_portal.dashboard import cards_for

    return {stat.label: (str(stat.value), stat.url) for card in cards_for(user) for stat in card.stats}


def test_bappeda_s_card_shows_the_readiness_of_the_open_assessment(rina, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["forum_carenang"], year)
    attach_requirement(evidence_assessment, requirement(evidence_assessment.cycle, "PSR", "2"), None)
    stats = _stats(rina)
    url = reverse("evidence:readiness", args=[evidence_assessment.pk])
    assert stats["Lembaga siap (bukti kegiatan) 2022"] == ("1/6", url)
    assert stats["Indikator dengan bukti lengkap 2022"] == ("2/4", url)


def test_an_opd_operator_s_card_counts_their_own_indicators(oscar, evidence_assessment):
    stats = _stats(oscar)
    assert stats["Indikator dengan bukti lengkap 2022"] == (
        "0/2",
        reverse("evidence:assessment_evidence", args=[evidence_assessment.pk]),
    )
    assert "Lembaga siap (bukti kegiatan) 2022" not in stats


def test_a_kecamatan_secretary_s_card_counts_the_pokja_of_the_kecamatan(sari, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["pokja_carenang"], year)
    assert _stats(sari)["Pokja siap (bukti kegiatan) 2022"] == (
        "1/2",
        reverse("evidence:readiness_kecamatan", args=[evidence_assessment.pk, "36.04.17"]),
    )


def test_the_dashboard_stays_a_handful_of_queries_with_an_open_assessment(
    client_for, rina, evidence_assessment, bodies, django_assert_max_num_queries
):
    client = client_for(rina)
    # The home also shows Bappeda's round (kks_portal/dashboard.py): its submission checklist and
    # data requests add a fixed number of queries, none per indicator or body (one of them: the
    # kinds of the kabupaten's villages, for its words, regions/words.py).
    with django_assert_max_num_queries(37):
        page = client.get(reverse("dashboard"))
    assert reverse("evidence:readiness", args=[evidence_assessment.pk]) in page.content.decode()


def test_the_catalogue_s_readiness_dashboard_shows_the_evidence_figures(client_for, rina, evidence_assessment, bodies):
    for year in YEARS:
        complete_activity(bodies["forum_carenang"], year)
    html = (
        client_for(rina).get(reverse("indicators:assessment_dashboard", args=[evidence_assessment.pk])).content.decode()
    )
    panel = html[html.index('id="evidence-readiness-panel"') :]
    assert text_of(panel, "panel-bodies-ready") == "1/6"
    assert text_of(panel, "panel-indicators-complete") == "1/4"  # PDD 2 asks for nothing
    assert f'href="{reverse("evidence:readiness", args=[evidence_assessment.pk])}"' in panel

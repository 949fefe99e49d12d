"""Provincial and national figures nobody has scored yet read "–" in the dossier, never "0 %".

Checked on the chapter context and its HTML (the summary page of the front matter and a tatanan
chapter), without compiling a PDF."""

import re
from decimal import Decimal

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from dossiers.berita_acara import berita_acara_content
from dossiers.renderer.chapters import chapter_context, chapter_plan, summary_context
from dossiers.tests.factories import DossierFactory, DossierVersionFactory
from indicators.models import IndicatorEntry

D = Decimal


def front_html(assessment) -> str:
    with translation.override("id"):
        return render_to_string(
            "dossiers/pdf/front.html",
            {"entries": [], "summary": summary_context(assessment), "generated_at": timezone.now()},
        )


def summary_rows(html: str) -> list[list[str]]:
    section = html[html.index('id="ringkasan"') :]
    table = section[: section.index("</table>")]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def score_provincial(assessment, code, number, value):
    entry = IndicatorEntry.objects.get(assessment=assessment, indicator__tatanan__code=code, indicator__number=number)
    entry.provincial_score = entry.indicator.scale_options.get(value=value)
    entry.save()


def test_the_summary_shows_a_dash_for_the_layers_nobody_scored(serang_2025):
    # Self: KSM (100 + 75) / 2 = 87,5 %, PSR (75 + 75) / 2 = 75 %; provinsi and pusat: nothing yet.
    summary = summary_context(serang_2025)
    assert [(r["code"], r["self"], r["provincial"], r["national"]) for r in summary["tatanan"]] == [
        ("KSM", D("87.50"), None, None),
        ("PSR", D("75.00"), None, None),
    ]
    assert summary["overall"] == {"self": D("81.25"), "provincial": None, "national": None}
    assert summary["minimum"] == {"self": D("75.00"), "provincial": None, "national": None}

    rows = summary_rows(front_html(serang_2025))
    assert rows[1:] == [
        ["KSM – Kehidupan Masyarakat Sehat Mandiri", "87,5 %", "–", "–"],
        ["PSR – Pasar", "75 %", "–", "–"],
        ["Rata-rata", "81,25 %", "–", "–"],
        ["Terendah", "75 %", "–", "–"],
    ]


def test_once_the_province_scores_unscored_indicators_count_as_zero(serang_2025):
    score_provincial(serang_2025, "PSR", "1", 50)  # PSR (50 + nothing) / 2 = 25 %; KSM not yet scored
    summary = summary_context(serang_2025)
    assert [(r["code"], r["provincial"], r["national"]) for r in summary["tatanan"]] == [
        ("KSM", None, None),
        ("PSR", D("25.00"), None),
    ]
    # The average counts the unscored KSM as 0 % (the scoring rule), the layer being under way.
    assert summary["overall"]["provincial"] == D("12.50")
    assert summary["minimum"]["provincial"] == D("0.00")
    assert summary["overall"]["national"] is None


def test_a_tatanan_chapter_shows_a_dash_for_the_layers_nobody_scored(serang_2025):
    spec = next(spec for spec in chapter_plan(serang_2025) if spec.key == "tatanan-PSR")
    data = chapter_context(serang_2025, spec)
    assert data.context["percent"] == {"self": D("75.00"), "provincial": None, "national": None}
    with translation.override("id"):
        html = render_to_string(data.template, data.context)
    line = html[html.index("Capaian tatanan") :]
    line = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", line[: line.index("</p>")]))
    assert line == "Capaian tatanan: mandiri 75 % · provinsi – · pusat –"

    score_provincial(serang_2025, "PSR", "2", 100)
    assert chapter_context(serang_2025, spec).context["percent"]["provincial"] == D("50.00")


def test_the_assessment_page_shows_a_dash_for_a_layer_nobody_scored(serang_2025, client_for, rina):
    """Issue 12: the Provinsi and Pusat tabs read "–", not "0,00 %", before the verifiers score."""
    client = client_for(rina)
    url = reverse("indicators:assessment_detail", args=[serang_2025.pk])

    def summary_and_rows(layer):
        html = client.get(url, {"lapisan": layer}).content.decode()
        overall = re.search(r'id="overall">(.*?)</div>', html).group(1)
        tier = re.search(r'id="tier">(.*?)</div>', html).group(1)
        table = html[html.index('id="tatanan-scores"') : html.index("</table>", html.index('id="tatanan-scores"'))]
        return overall, tier, table

    overall, tier, table = summary_and_rows("provincial")
    assert (overall, tier) == ("–", "–")
    assert "0,00 %" not in table
    assert "0.00 %" not in table
    assert table.count("tatanan-unscored") == 2

    overall, tier, table = summary_and_rows("self")
    assert overall == "81,25 %"
    assert "tatanan-unscored" not in table

    score_provincial(serang_2025, "PSR", "1", 50)
    overall, tier, table = summary_and_rows("provincial")
    assert overall == "12,50 %"
    assert table.count("tatanan-unscored") == 1  # KSM still waits for the province


def test_the_berita_acara_shows_a_dash_for_a_tatanan_the_province_did_not_score(serang_2025, vina):
    score_provincial(serang_2025, "PSR", "1", 50)
    dossier = DossierFactory(assessment=serang_2025)
    dossier.submitted_version = DossierVersionFactory(dossier=dossier, submitted=True)
    dossier.save()
    content = berita_acara_content(dossier, actor=vina, when=timezone.now())
    assert [(t["code"], t["provincial"]) for t in content["tatanan"]] == [("KSM", None), ("PSR", "25.00")]

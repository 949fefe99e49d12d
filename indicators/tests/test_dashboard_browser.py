"""The readiness chart drawn by Chart.js in a real browser, from our own static files."""

from decimal import Decimal

import pytest

from conftest import browser_login
from tatanan.models import TierRule

from .conftest import set_scores

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_readiness_chart_is_drawn_from_the_page_data(desktop, rina, assessment, live_server):
    set_scores(assessment, {"PSR1": 100, "PSR2": 75, "PDD1": 75, "PDD2": 50})
    errors, requested = [], []
    desktop.on("pageerror", lambda error: errors.append(str(error)))
    desktop.on("request", lambda request: requested.append(request.url))
    browser_login(desktop, "rina")
    desktop.goto(f"/penilaian/{assessment.pk}/dasbor/")
    desktop.wait_for_load_state("networkidle")
    drawn = desktop.evaluate(
        """() => {
            const chart = Chart.getChart("readiness-chart");
            return chart ? {labels: chart.data.labels, data: chart.data.datasets[0].data, axis: chart.options.indexAxis}
                         : null;
        }"""
    )
    assert errors == []
    assert drawn == {"labels": ["PSR – Pasar Sehat", "PDD – Pendidikan"], "data": [87.5, 62.5], "axis": "y"}
    assert desktop.locator("#readiness-chart").bounding_box()["height"] >= 150
    assert [url for url in requested if not url.startswith((live_server.url, "data:", "blob:"))] == []


LABELS_AND_COLOURS = """() => {
    const chart = Chart.getChart("readiness-chart");
    return {
        width: chart.width,
        labels: chart.$tierLabels.map((l) => ({text: l.text, x: l.x, y: l.y, w: l.width, h: l.height})),
        colours: chart.data.datasets[0].backgroundColor,
        legend: [...document.querySelectorAll("#readiness-legend li")].map(
            (li) => ({text: li.textContent, colour: li.dataset.colour})),
    };
}"""


def _overlap(a, b):
    return (
        a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]
    )


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_tier_labels_never_overlap_and_bars_take_their_tier_colour(device, request, rina, assessment, tmp_path):
    # Wistara Paripurna shares Wistara's 91 %: one band, one label, as in the 2025 round.
    TierRule.objects.update_or_create(
        cycle=assessment.cycle,
        tier="wistara_paripurna",
        defaults={"rank": 4, "score_min": Decimal(91), "odf_min_percent": Decimal(100)},
    )
    set_scores(assessment, {"PSR1": 100, "PSR2": 75, "PDD1": 75, "PDD2": 50})  # 87,5 % and 62,5 %
    page = request.getfixturevalue(device)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    browser_login(page, "rina")
    page.goto(f"/penilaian/{assessment.pk}/dasbor/")
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate(LABELS_AND_COLOURS)
    assert errors == []
    labels = drawn["labels"]
    assert [label["text"] for label in labels] == ["Padapa", "Wiwerda", "Wistara / Wistara Paripurna"]
    for label in labels:
        assert label["x"] >= 0
        assert label["x"] + label["w"] <= drawn["width"]  # never cut at the right edge
        assert label["y"] >= 0
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not _overlap(a, b), (a, b)
    # PSR 87,5 % is in Wiwerda's band, PDD 62,5 % below Padapa; the legend says which is which.
    assert drawn["colours"] == ["#20c997", "#ffc107"]
    assert [item["text"] for item in drawn["legend"]] == [
        "Belum mencapai strata (< 71 %)",
        "Padapa (≥ 71 %)",
        "Wiwerda (≥ 81 %)",
        "Wistara / Wistara Paripurna (≥ 91 %)",
    ]
    assert [item["colour"] for item in drawn["legend"]][1:3] == ["#a3cfbb", "#20c997"]
    # For a look by eye (pytest --basetemp=DIR keeps them).
    page.locator("figure").first.screenshot(path=str(tmp_path / f"chart-{device}.png"))
    page.screenshot(path=str(tmp_path / f"dashboard-{device}.png"), full_page=True)

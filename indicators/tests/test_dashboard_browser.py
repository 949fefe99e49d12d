"""The readiness chart drawn by Chart.js in a real browser, from our own static files."""

import pytest

from conftest import browser_login

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

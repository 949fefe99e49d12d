"""The assessment page links to its evidence, readiness, dossier and photo reference point: every
link shown to a reader opens for them."""

import re

import pytest
from django.urls import reverse

from evidence.tests import readiness_world

pytestmark = pytest.mark.django_db

evidence_cycle = readiness_world.evidence_cycle
evidence_assessment = readiness_world.evidence_assessment


def round_links(html: str) -> list[str]:
    block = html[html.index('id="round-links"') :]
    block = block[: block.index("</div>")]
    return re.findall(r'href="([^"]+)"', block)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("rina", 4),  # evidence, readiness, dossier, reference point
        ("oscar", 2),  # an OPD operator: evidence and readiness of their indicators
        ("vina", 3),  # the province's verifier reads the dossier too
        ("nadia", 3),
    ],
)
def test_every_round_link_opens_for_who_sees_it(request, client_for, evidence_assessment, persona, expected):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(reverse("indicators:assessment_detail", args=[evidence_assessment.pk]))
    assert page.status_code == 200

    links = round_links(page.content.decode())

    assert len(links) == expected, links
    for link in links:
        assert client.get(link).status_code == 200, link

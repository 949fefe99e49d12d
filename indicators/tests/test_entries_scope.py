"""Who reads which indicator entries (``entries_visible_to``), written as one filter on the
entries' own rows (docs/PERFORMANCE.md, "Fixed causes"): exactly the rows of the rule "every
entry of the assessments in scope of the user's roles other than OPD operator, plus the entries
assigned to the OPD(s) they operate for", for every persona and for a user holding both kinds of
role.
"""

import pytest
from django.core.exceptions import EmptyResultSet
from django.db.models import Q

from accounts.access import ALL_ENTRIES_ROLES, opd_ids_operated_by
from accounts.models import Role
from accounts.selectors import scope_filter
from accounts.tests.factories import OpdFactory, RoleAssignmentFactory, UserFactory
from indicators.models import IndicatorEntry
from indicators.selectors import entries_of, entries_visible_to
from indicators.services import assessment_open
from indicators.tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db


def _by_the_rule(user) -> set[int]:
    """The rule as it was written before: the readable entries' ids, or those assigned to the OPD."""
    read = scope_filter(
        IndicatorEntry.objects.all(), user=user, field="assessment__kabupaten__code", roles=ALL_ENTRIES_ROLES
    )
    return set(
        IndicatorEntry.objects.filter(
            Q(pk__in=read.values("pk")) | Q(assigned_opd_id__in=opd_ids_operated_by(user))
        ).values_list("pk", flat=True)
    )


def _sql(queryset) -> str:
    try:
        return str(queryset.query).upper()
    except EmptyResultSet:  # a user who reads nothing: no query at all
        return ""


@pytest.fixture
def two_rounds(small_cycle, rina, dinkes_serang, wilayah):
    """The round of Serang and of Bogor; Dinkes Serang is given two Serang entries and the Dinkes
    of Bogor one Bogor entry."""
    serang = assessment_open(kabupaten=wilayah["serang"], cycle=small_cycle, actor=rina)
    bogor = AssessmentFactory(kabupaten=wilayah["bogor"], cycle=small_cycle)
    dinkes_bogor = OpdFactory(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    serang_entries = list(serang.indicator_entries.order_by("pk"))
    IndicatorEntry.objects.filter(pk__in=[e.pk for e in serang_entries[:2]]).update(assigned_opd=dinkes_serang)
    IndicatorEntry.objects.filter(pk=bogor.indicator_entries.order_by("pk").first().pk).update(
        assigned_opd=dinkes_bogor
    )
    return serang, bogor, dinkes_bogor


def test_every_persona_reads_exactly_the_entries_of_the_rule(personas, two_rounds, wilayah, dinkes_serang):
    serang, bogor, dinkes_bogor = two_rounds
    # Bappeda of Bogor who also operates for Dinkes Serang: all of Bogor and two of Serang.
    both = UserFactory(username="ganda")
    RoleAssignmentFactory(user=both, role=Role.BAPPEDA_ADMIN, region=wilayah["bogor"])
    RoleAssignmentFactory(user=both, role=Role.OPD_OPERATOR, region=wilayah["serang"], opd=dinkes_serang)
    nobody = UserFactory(username="tanpa_peran")

    seen = {}
    for user in [*personas.values(), both, nobody]:
        visible = entries_visible_to(user)
        assert "IN (SELECT" not in _sql(visible)
        seen[user.username] = set(visible.values_list("pk", flat=True))
        assert seen[user.username] == _by_the_rule(user), user.username

    serang_ids = set(serang.indicator_entries.values_list("pk", flat=True))
    bogor_ids = set(bogor.indicator_entries.values_list("pk", flat=True))
    assert seen["rina"] == serang_ids
    assert seen["oscar"] == set(
        serang.indicator_entries.filter(assigned_opd=dinkes_serang).values_list("pk", flat=True)
    )
    assert len(seen["oscar"]) == 2
    assert seen["ganda"] == bogor_ids | seen["oscar"]
    assert seen["tanpa_peran"] == set()
    assert seen["wawan"] == bogor_ids
    assert seen["nadia"] == serang_ids | bogor_ids
    # One assessment's entries, in the order of the pages.
    page_order = [e.pk for e in entries_of(serang, user=personas["rina"])]
    assert [e.pk for e in entries_of(serang, user=both)] == [pk for pk in page_order if pk in seen["oscar"]]
    assert len(page_order) == len(serang_ids) > 2

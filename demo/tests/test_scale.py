"""manage.py seed_scale at a tiny size: the counts asked for, rows as the services make them, and
the pages of those rows answer."""

from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import Role, RoleAssignment, User
from demo.scale import ADMIN_USERNAME, NATIONAL_USERNAME, spread, username_for
from evidence.completeness import computed_kabupaten_readiness, kabupaten_readiness
from evidence.models import Activity, Blob, BodyYearReadiness, EvidenceFile
from evidence.selectors import Owner
from evidence.tests.test_readiness_rollups import figures
from forums.models import Body
from indicators.models import Assessment
from regions.models import Region, kabupaten_code_of
from regions.services import wilayah_import
from tatanan.importer import instrument_import
from tatanan.models import Cycle

pytestmark = pytest.mark.django_db

WORKBOOK = settings.BASE_DIR / "tatanan" / "data" / "instrumen-kks-2025.xlsx"


@pytest.fixture
def country(db):
    """Banten's regions (the seed takes the first kabupaten/kota in code order) and the 2025 instrument."""
    wilayah_import(data_dir=settings.WILAYAH_DATA_DIR, province="36")
    instrument_import(cycle=Cycle.objects.get(award_year=2025), file=WORKBOOK)


def seed(*args):
    out = StringIO()
    call_command("seed_scale", "--kabupaten", "2", "--activities", "50", "--files", "100", *args, stdout=out)
    return out.getvalue()


def test_spread_keeps_the_total_and_the_proportions():
    assert spread(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(spread(1_000_003, [30, 15, 4, 2, 1, 1])) == 1_000_003
    assert spread(5, []) == []


def test_tiny_seed_makes_what_was_asked_valid_and_visible(country, client):
    output = seed()

    kabupaten = ["36.01", "36.02"]
    assert Activity.objects.count() == 50
    assert EvidenceFile.objects.count() == 100
    expected_bodies = 2 * 2 + sum(
        2 if region.level == Region.Level.KECAMATAN else 1
        for region in Region.objects.filter(code__regex=r"^36\.0[12]\.", level__gte=Region.Level.KECAMATAN)
    )
    assert Body.objects.count() == expected_bodies
    assessments = Assessment.objects.filter(cycle__award_year=2025)
    assert sorted(assessments.values_list("kabupaten_id", flat=True)) == kabupaten
    assert all(a.indicator_entries.count() > 100 for a in assessments)
    for line in ("regions", "bodies (body_bulk_setup)", "activities (bulk)", "evidence files (bulk)"):
        assert line in output
    assert " 50 " in output.split("activities (bulk)", 2)[2].splitlines()[0]

    # One persona per role, with the printed password.
    for username, role in (
        (username_for("bappeda", "36.01"), Role.BAPPEDA_ADMIN),
        (username_for("dinkes", "36.02"), Role.OPD_OPERATOR),
        (username_for("pokja", "36.01"), Role.SECRETARY),
        (username_for("verifikator", "36"), Role.PROVINCE_VERIFIER),
        (NATIONAL_USERNAME, Role.NATIONAL_VERIFIER),
    ):
        assert RoleAssignment.objects.filter(user__username=username, role=role).exists(), username
        assert username in output or "<kode>" in output
    assert User.objects.get(username=ADMIN_USERNAME).check_password("kks-demo-2025")

    # Rows as the services make them.
    for activity in Activity.objects.select_related("body"):
        assert activity.title
        assert activity.place
        assert activity.date <= activity.created_at.date()
        assert kabupaten_code_of(activity.body.region_id) in kabupaten
        assert activity.tatanan.count() == 1
    seen = Counter()
    for evidence in EvidenceFile.objects.select_related("blob", "activity__body__region", "assessment__kabupaten"):
        owner = Owner.of(evidence)
        assert evidence.region_id == owner.region.code
        assert evidence.kind in owner.evidence_kinds
        assert evidence.blob.state == Blob.State.READY
        assert evidence.blob.kabupaten_id == kabupaten_code_of(evidence.region_id)
        assert default_storage.exists(evidence.blob.file.name)
        if evidence.blob.is_image:
            assert evidence.blob.thumbnail.name
            assert evidence.blob.taken_at is not None
        seen[(evidence.activity_id, evidence.requirement_id, evidence.data_year, evidence.blob_id)] += 1
    assert max(seen.values()) == 1, "a blob is attached twice to one owner"
    assert EvidenceFile.objects.filter(requirement__isnull=False).count() == 3

    # The readiness roll-ups were rebuilt after the bulk writes: stored equals computed.
    pandeglang = Region.objects.get(code="36.01")
    years = assessments.get(kabupaten_id="36.01").cycle.data_years
    stored = kabupaten_readiness(pandeglang, years=years)
    assert figures(stored) == figures(computed_kabupaten_readiness(pandeglang, years=years))
    assert BodyYearReadiness.objects.exists()

    # The pages of those rows answer.
    client.force_login(User.objects.get(username=username_for("bappeda", "36.01")))
    activity = Activity.objects.filter(body__region__code__startswith="36.01").order_by("id").first()
    for url in (
        reverse("forums:body_list"),
        reverse("evidence:activity_detail", args=[activity.pk]),
        reverse("evidence:activity_list", args=[activity.body_id]),
        reverse("evidence:body_gallery", args=[activity.body_id]),
        reverse("evidence:readiness", args=[assessments.get(kabupaten_id="36.01").pk]),
        reverse("dashboard"),
    ):
        assert client.get(url).status_code == 200, url
    client.force_login(User.objects.get(username=NATIONAL_USERNAME))
    for url in ("/api/activities/", "/api/evidence-files/", reverse("forums:body_list")):
        assert client.get(url).status_code == 200, url


def test_a_second_run_is_refused_unless_forced(country):
    seed()

    with pytest.raises(CommandError, match="--force"):
        seed()
    seed("--force")

    assert Activity.objects.count() == 100
    assert EvidenceFile.objects.count() == 200
    assert User.objects.filter(username__startswith="skala.").count() == 9

"""Completeness: an activity with its four kinds of evidence, a body ready in each data year, the
roll-up Pokja → Forum Kecamatan → kabupaten, and indicators whose requirements have their files."""

import datetime

import pytest
from django.utils import timezone

from evidence.completeness import (
    activity_missing_kinds,
    assessment_readiness,
    body_readiness_of,
    indicator_readiness,
    kabupaten_readiness,
    with_completeness,
)
from evidence.models import Activity
from evidence.tests import readiness_world
from evidence.tests.readiness_world import (
    ALL_KINDS,
    YEARS,
    activity,
    attach,
    attach_requirement,
    complete_activity,
    requirement,
)
from forums.models import Body
from indicators.models import IndicatorEntry
from regions.models import Region
from regions.tests import factories as rf

pytestmark = pytest.mark.django_db

# The fixtures of the small kabupaten.
bodies = readiness_world.bodies
evidence_cycle = readiness_world.evidence_cycle
evidence_assessment = readiness_world.evidence_assessment


# --- Activities ---------------------------------------------------------------------------------


def test_an_activity_is_complete_with_one_live_file_of_each_required_kind(bodies):
    forum = bodies["forum_carenang"]
    full = activity(forum, kinds=ALL_KINDS)
    no_photo = activity(forum, kinds=("undangan", "daftar_hadir", "notulen", "laporan"))
    empty = activity(forum)

    assert activity_missing_kinds(full) == []
    assert activity_missing_kinds(no_photo) == ["foto"]
    assert activity_missing_kinds(empty) == ["undangan", "daftar_hadir", "notulen", "foto"]
    annotated = {a.pk: a for a in with_completeness(Activity.objects.all())}
    assert annotated[full.pk].is_complete is True
    assert annotated[no_photo.pk].is_complete is False
    assert activity_missing_kinds(annotated[no_photo.pk]) == ["foto"]
    assert list(with_completeness(Activity.objects.all()).filter(is_complete=True)) == [full]
    assert set(with_completeness(Activity.objects.all()).filter(is_complete=False)) == {no_photo, empty}


def test_removed_and_replaced_files_do_not_count(bodies, rina):
    forum = bodies["forum_carenang"]
    made = activity(forum, kinds=ALL_KINDS)
    photo = made.files.get(kind="foto")
    photo.deleted_at, photo.deleted_by = timezone.now(), rina
    photo.save()
    assert activity_missing_kinds(made) == ["foto"]

    minutes = made.files.get(kind="notulen")
    newer = attach(kind="notulen", region=forum.region, activity=made)
    minutes.replaced_by, minutes.replaced_at = newer, timezone.now()
    minutes.save()
    assert activity_missing_kinds(made) == ["foto"]  # the replacement counts, the old one not
    newer.deleted_at = timezone.now()
    newer.save()
    assert activity_missing_kinds(made) == ["notulen", "foto"]


def test_the_annotation_is_one_query_for_any_number_of_activities(bodies, django_assert_num_queries):
    for _ in range(12):
        activity(bodies["forum_carenang"], kinds=ALL_KINDS[:2])
    with django_assert_num_queries(1):
        rows = list(with_completeness(Activity.objects.all()))
    with django_assert_num_queries(0):
        assert all(activity_missing_kinds(a) == ["notulen", "foto"] for a in rows)


# --- Bodies -------------------------------------------------------------------------------------


def test_a_body_is_ready_with_a_complete_activity_in_each_data_year(bodies):
    forum = bodies["forum_carenang"]
    complete_activity(forum, 2020)
    state = body_readiness_of(forum, years=YEARS)
    assert not state.ready
    assert state.missing_years == [2021]
    assert state.missing == ["Belum ada kegiatan yang buktinya lengkap pada tahun 2021."]

    late = activity(forum, date=datetime.date(2021, 8, 17), kinds=("undangan", "foto"), title="Lomba kebersihan")
    state = body_readiness_of(forum, years=YEARS)
    assert (state.total, state.complete, state.ready) == (2, 1, False)
    assert "Lomba kebersihan (17-08-2021): belum ada daftar hadir, notulen." in state.missing

    for kind in ("daftar_hadir", "notulen"):
        attach(kind=kind, region=forum.region, activity=late)
    state = body_readiness_of(forum, years=YEARS)
    assert state.ready
    assert state.missing == []
    assert [(y.year, y.total, y.complete) for y in state.per_year] == [(2020, 1, 1), (2021, 1, 1)]


def test_activities_outside_the_data_years_and_removed_ones_do_not_count(bodies):
    forum = bodies["forum_carenang"]
    complete_activity(forum, 2019)
    complete_activity(forum, 2022)
    removed = complete_activity(forum, 2020)
    Activity.objects.filter(pk=removed.pk).update(deleted_at=timezone.now())
    state = body_readiness_of(forum, years=YEARS)
    assert (state.total, state.complete) == (0, 0)
    assert state.missing_years == [2020, 2021]


# --- The kabupaten roll-up ----------------------------------------------------------------------


def test_rollup_of_a_small_kabupaten(wilayah, bodies):
    for year in YEARS:
        complete_activity(bodies["forum_carenang"], year)
        complete_activity(bodies["pokja_carenang"], year)
        complete_activity(bodies["forum_serang"], year)
    complete_activity(bodies["forum_binuang"], 2020)
    activity(bodies["pokja_binuang"], kinds=("undangan",))
    complete_activity(bodies["tim_carenang"], 2021)

    rollup = kabupaten_readiness(wilayah["serang"], years=YEARS)

    carenang, binuang = rollup.row("36.04.17"), rollup.row("36.04.18")
    assert [r.region.name for r in rollup.kecamatan] == ["Binuang", "Carenang"]
    assert carenang.forum_ready
    assert str(carenang.pokja) == "1/2"
    assert not carenang.ready
    assert [(d.region.name, d.ready) for d in carenang.desa] == [("Carenang", True), ("Pamanuk", False)]
    assert carenang.missing == ["Pokja belum siap: Pamanuk."]
    assert carenang.desa[1].missing == ["Pokja belum dibentuk di portal."]
    assert str(carenang.activities) == "5/5"  # forum 2, pokja 2, Tim Pembina 1
    assert not binuang.forum_ready
    assert str(binuang.pokja) == "0/1"
    assert binuang.missing == [
        "Forum Kecamatan: belum ada kegiatan lengkap tahun 2021.",
        "Pokja belum siap: Binuang.",
    ]
    assert binuang.desa[0].pokja.incomplete[0].missing_kinds == ("daftar_hadir", "notulen", "foto")
    # Forum Kabupaten, 2 Forum Kecamatan and 3 desa: the forum of Serang, Carenang's forum and
    # desa Carenang's Pokja are ready.
    assert (rollup.bodies.done, rollup.bodies.total) == (3, 6)
    assert str(rollup.bodies.percent) == "50.0"
    assert str(rollup.forums_kecamatan) == "1/2"
    assert str(rollup.pokja) == "1/3"
    assert str(rollup.activities) == "8/9"
    assert str(rollup.kecamatan_ready) == "0/2"
    assert rollup.missing == [
        "Kecamatan Binuang: Forum Kecamatan: belum ada kegiatan lengkap tahun 2021. Pokja belum siap: Binuang.",
        "Kecamatan Carenang: Pokja belum siap: Pamanuk.",
    ]


def test_rollup_of_one_kecamatan(wilayah, bodies):
    complete_activity(bodies["forum_serang"], 2020)
    complete_activity(bodies["pokja_binuang"], 2020)
    rollup = kabupaten_readiness(wilayah["serang"], years=YEARS, kecamatan_code="36.04.18")
    assert [r.region.code for r in rollup.kecamatan] == ["36.04.18"]
    assert rollup.forum is None  # the kabupaten's bodies are not part of a kecamatan's view
    assert str(rollup.kecamatan[0].activities) == "1/1"


def test_a_kabupaten_without_bodies_is_not_ready_anywhere(wilayah):
    rollup = kabupaten_readiness(wilayah["serang"], years=YEARS)
    assert str(rollup.bodies) == "0/6"
    assert rollup.missing[0] == "Forum Kabupaten Sehat belum dibentuk di portal."
    assert "Forum Kecamatan belum dibentuk di portal." in rollup.row("36.04.17").missing


def test_the_rollup_costs_the_same_few_queries_for_many_desa(wilayah, bodies, django_assert_max_num_queries):
    for n in range(40):
        desa = rf.region((f"36.04.17.{2100 + n}", f"Desa {n:02d}"))
        pokja = Body.objects.create(kind=Body.Kind.POKJA_DESA, region=desa)
        complete_activity(pokja, 2020)
        activity(pokja, date=datetime.date(2021, 2, 1), kinds=("foto",))
    with django_assert_max_num_queries(3):
        rollup = kabupaten_readiness(wilayah["serang"], years=YEARS)
        # Reading every figure and list costs nothing more.
        assert str(rollup.pokja) == "0/43"
        assert str(rollup.activities) == "40/80"
        assert len(rollup.missing) == 4  # the Forum Kabupaten in 2020 and 2021, two kecamatan
        assert all(len(d.missing) == 2 for d in rollup.row("36.04.17").desa if d.pokja)
    assert Region.objects.filter(level=Region.Level.DESA, parent_id="36.04.17").count() == 42


# --- Indicators ---------------------------------------------------------------------------------


def _entry(assessment, code, number):
    return IndicatorEntry.objects.get(assessment=assessment, indicator__tatanan__code=code, indicator__number=number)


def test_an_indicator_is_complete_when_each_requirement_has_its_files_for_each_year(evidence_assessment):
    a, cycle = evidence_assessment, evidence_assessment.cycle
    report, screenshots = requirement(cycle, "PSR", "1", 1), requirement(cycle, "PSR", "1", 2)
    psr1 = _entry(a, "PSR", "1")

    state = indicator_readiness(psr1)
    assert not state.complete
    assert [(c.requirement.description, c.year, c.have, c.need) for c in state.missing] == [
        ("Laporan pasar sehat", 2020, 0, 1),
        ("Laporan pasar sehat", 2021, 0, 1),
        ("Tangkapan layar aplikasi", 2021, 0, 2),
    ]
    attach_requirement(a, report, 2020)
    attach_requirement(a, report, 2021)
    first = attach_requirement(a, screenshots, 2021, kind="tangkapan_layar")
    # The same screenshot attached twice is one file, not two.
    attach_requirement(a, screenshots, 2021, kind="tangkapan_layar", same_as=first)
    state = indicator_readiness(psr1)
    assert [c.missing_text for c in state.missing] == ["Tangkapan layar aplikasi (2021): 1 dari 2 berkas."]
    attach_requirement(a, screenshots, 2021, kind="tangkapan_layar")
    # A file of the wrong year does not count for another.
    attach_requirement(a, screenshots, 2020, kind="tangkapan_layar")
    assert indicator_readiness(psr1).complete


def test_requirements_not_bound_to_a_year_and_indicators_without_requirements(evidence_assessment):
    a, cycle = evidence_assessment, evidence_assessment.cycle
    statement = requirement(cycle, "PSR", "2")
    assert [c.year for c in indicator_readiness(_entry(a, "PSR", "2")).cells] == [None]
    attach_requirement(a, statement, None, kind="surat_pernyataan")
    assert indicator_readiness(_entry(a, "PSR", "2")).complete
    pdd2 = indicator_readiness(_entry(a, "PDD", "2"))
    assert pdd2.complete
    assert not pdd2.has_requirements


def test_removed_requirement_files_do_not_count(evidence_assessment, rina):
    a, cycle = evidence_assessment, evidence_assessment.cycle
    statement = requirement(cycle, "PSR", "2")
    made = attach_requirement(a, statement, None)
    made.deleted_at, made.deleted_by = timezone.now(), rina
    made.save()
    assert not indicator_readiness(_entry(a, "PSR", "2")).complete


def test_files_of_another_assessment_do_not_count(evidence_assessment, wilayah, root_user):
    from indicators.services import assessment_open

    a, cycle = evidence_assessment, evidence_assessment.cycle
    bogor = assessment_open(kabupaten=wilayah["bogor"], cycle=cycle, actor=root_user)
    attach_requirement(bogor, requirement(cycle, "PSR", "2"), None)
    assert not indicator_readiness(_entry(a, "PSR", "2")).complete
    assert indicator_readiness(_entry(bogor, "PSR", "2")).complete


def test_readiness_per_tatanan_per_opd_and_kelembagaan(evidence_assessment, django_assert_max_num_queries):
    a, cycle = evidence_assessment, evidence_assessment.cycle
    for year in YEARS:
        attach_requirement(a, requirement(cycle, "PDD", "1"), year)
    attach_requirement(a, requirement(cycle, "PSR", "2"), None)

    with django_assert_max_num_queries(4):
        readiness = assessment_readiness(a)
        tatanan = [(g.key, str(g.tally), g.tally.percent) for g in readiness.per_tatanan]
        opds = [(g.opd.short_name if g.opd else None, str(g.tally)) for g in readiness.per_opd]
        assert str(readiness.tally) == "3/4"
        assert str(readiness.kelembagaan_tally) == "0/1"
        missing = [c.missing_text for i in readiness.per_opd[0].incomplete for c in i.missing]
    assert tatanan == [("PSR", "1/2", 50), ("PDD", "2/2", 100)]
    assert opds == [("Dinkes", "1/2"), ("Disdik", "1/1"), (None, "1/1")]
    assert missing == [
        "Laporan pasar sehat (2020): 0 dari 1 berkas.",
        "Laporan pasar sehat (2021): 0 dari 1 berkas.",
        "Tangkapan layar aplikasi (2021): 0 dari 2 berkas.",
    ]
    only_dinkes = assessment_readiness(a, opd_ids={_entry(a, "PSR", "1").assigned_opd_id})
    assert [i.indicator.number for i in only_dinkes.indicators] == ["1", "2"]
    assert only_dinkes.kelembagaan == []


def test_indicator_readiness_queries_stay_few_for_many_indicators(evidence_assessment, django_assert_max_num_queries):
    from tatanan.models import EvidenceRequirement, Indicator

    a, cycle = evidence_assessment, evidence_assessment.cycle
    psr = Indicator.objects.filter(cycle=cycle, tatanan__code="PSR").first().tatanan
    for n in range(30):
        indicator = Indicator.objects.create(cycle=cycle, tatanan=psr, number=f"{10 + n}", order=10 + n, name=f"X{n}")
        req = EvidenceRequirement.objects.create(indicator=indicator, description=f"Laporan {n}", year_scope="each")
        IndicatorEntry.objects.create(assessment=a, indicator=indicator)
        attach_requirement(a, req, 2020)
    with django_assert_max_num_queries(4):
        readiness = assessment_readiness(a)
        assert str(readiness.tally) == "1/34"
        assert sum(len(i.missing) for i in readiness.indicators) == 30 + 3 + 1 + 2

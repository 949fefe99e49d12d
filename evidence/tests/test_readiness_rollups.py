"""The readiness roll-up rows (``BodyYearReadiness``, ``evidence.rollups``): after each kind of
change made through the services (activity recorded, moved to another year, its partner bodies
changed, removed; files attached, replaced, removed; a body deleted) the stored roll-up of the
kabupaten and of each kecamatan equals the one computed from the activities, for several sets of
data years; ``readiness_rebuild`` restores rows that went wrong; and the pages and API that show a
kabupaten's readiness read no activity, in the same number of queries for 10 and 200 activities
(docs/PERFORMANCE.md, "Readiness roll-ups")."""

from __future__ import annotations

import datetime
import io
import itertools
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evidence.completeness import (
    NO_LISTS,
    ListsNotRead,
    body_readiness_of,
    computed_kabupaten_readiness,
    kabupaten_readiness,
)
from evidence.models import Activity, BodyYearReadiness, EvidenceFile
from evidence.rollups import rebuild, rebuild_if_empty
from evidence.selectors import Owner
from evidence.serializers import body_readiness_data
from evidence.services import activity_create, activity_remove, activity_update
from evidence.tests import readiness_world
from evidence.tests.readiness_world import YEARS, blob
from evidence.uploads import attach_upload, evidence_remove
from forums.models import Body
from forums.tests.factories import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

bodies = readiness_world.bodies
evidence_cycle = readiness_world.evidence_cycle
evidence_assessment = readiness_world.evidence_assessment

TODAY = datetime.date(2023, 6, 1)
YEAR_SETS = (YEARS, [2020], [2021, 2022], [2019], [2022, 2020], [])
KECAMATAN = ("36.04.17", "36.04.18")
_numbers = itertools.count(1)


# --- Comparing the stored roll-up with the computed one --------------------------------------------


def body_figures(state):
    if state is None:
        return None
    return (
        state.body.pk,
        state.ready,
        state.total,
        state.complete,
        [(c.year, c.total, c.complete, c.ready) for c in state.per_year],
        [(a.pk, a.body_id, a.title, a.date, a.missing_kinds) for a in state.incomplete],
        [str(text) for text in state.missing],
    )


def figures(rollup) -> dict:
    return {
        "forum": body_figures(rollup.forum),
        "tim_pembina": body_figures(rollup.tim_pembina),
        "tallies": [
            str(t)
            for t in (rollup.bodies, rollup.forums_kecamatan, rollup.pokja, rollup.activities, rollup.kecamatan_ready)
        ],
        "missing": [str(text) for text in rollup.missing],
        "kecamatan": [
            (
                row.region.code,
                row.ready,
                str(row.pokja),
                str(row.activities),
                [str(text) for text in row.missing],
                body_figures(row.forum),
                body_figures(row.tim_pembina),
                [(d.region.code, d.ready, body_figures(d.pokja), [str(t) for t in d.missing]) for d in row.desa],
            )
            for row in rollup.kecamatan
        ],
    }


def assert_stored_is_computed(kabupaten) -> None:
    for years in YEAR_SETS:
        stored, computed = (
            kabupaten_readiness(kabupaten, years=years),
            computed_kabupaten_readiness(kabupaten, years=years),
        )
        assert figures(stored) == figures(computed), years
        for code in KECAMATAN:
            stored = kabupaten_readiness(kabupaten, years=years, kecamatan_code=code)
            computed = computed_kabupaten_readiness(kabupaten, years=years, kecamatan_code=code)
            assert figures(stored) == figures(computed), (years, code)


# --- Changes through the services ------------------------------------------------------------------


def upload(activity: Activity, kind: str, actor, *, replaces=None) -> EvidenceFile:
    data = (
        jpeg_bytes(colour=(next(_numbers) % 256, 80, 40)) if kind == "foto" else pdf_bytes(f"{kind} {next(_numbers)}")
    )
    name = f"{kind}.jpg" if kind == "foto" else f"{kind}.pdf"
    return attach_upload(
        owner=Owner(activity=activity), upload=ContentFile(data, name=name), kind=kind, actor=actor, replaces=replaces
    ).evidence


def record(body: Body, actor, date: datetime.date, *, kinds=(), partners=()) -> Activity:
    activity = activity_create(
        body=body,
        actor=actor,
        title=f"Kegiatan {next(_numbers)}",
        date=date,
        partner_bodies=list(partners),
        today=TODAY,
    )
    for kind in kinds:
        upload(activity, kind, actor)
    return activity


ALL = tuple(Activity.REQUIRED_KINDS)


def test_the_stored_rollup_follows_every_change(media_root, wilayah, rina, bodies, django_capture_on_commit_callbacks):
    serang = wilayah["serang"]
    forum, tim = bodies["forum_serang"], bodies["tim_carenang"]
    forum_carenang, pokja_carenang, pokja_binuang = (
        bodies["forum_carenang"],
        bodies["pokja_carenang"],
        bodies["pokja_binuang"],
    )
    assert_stored_is_computed(serang)  # nothing yet: every row missing reads as zero

    # Activities complete and incomplete, in several years, some held with other bodies.
    joint = record(forum, rina, datetime.date(2020, 3, 1), kinds=ALL, partners=[forum_carenang, tim])
    half = record(pokja_carenang, rina, datetime.date(2020, 5, 2), kinds=("undangan", "notulen"))
    late = record(forum_carenang, rina, datetime.date(2021, 12, 31), kinds=ALL)
    early = record(pokja_binuang, rina, datetime.date(2019, 1, 1), kinds=("foto",))
    bare = record(tim, rina, datetime.date(2022, 2, 2), partners=[forum])
    record(pokja_binuang, rina, datetime.date(2021, 7, 7), kinds=ALL)
    assert_stored_is_computed(serang)

    # Files: the missing ones added, one replaced, one removed.
    upload(half, "daftar_hadir", rina)
    foto = upload(half, "foto", rina)
    assert_stored_is_computed(serang)
    notulen = EvidenceFile.objects.get(activity=half, kind="notulen")
    upload(half, "notulen", rina, replaces=notulen)
    assert_stored_is_computed(serang)
    evidence_remove(evidence=foto, actor=rina)
    assert_stored_is_computed(serang)
    evidence_remove(evidence=EvidenceFile.objects.get(activity=joint, kind="undangan"), actor=rina)
    assert_stored_is_computed(serang)
    for kind in ALL:
        upload(bare, kind, rina)
    assert_stored_is_computed(serang)

    # Activities changed: another year, other partners, a new title; then removed.
    activity_update(activity=late, actor=rina, date=datetime.date(2022, 1, 1), today=TODAY)
    assert_stored_is_computed(serang)
    activity_update(activity=joint, actor=rina, partner_bodies=[pokja_carenang], today=TODAY)
    assert_stored_is_computed(serang)
    activity_update(
        activity=early, actor=rina, title="Penyuluhan jamban sehat", date=datetime.date(2020, 1, 1), today=TODAY
    )
    assert_stored_is_computed(serang)
    activity_remove(activity=bare, actor=rina)
    activity_remove(activity=half, actor=rina)
    assert_stored_is_computed(serang)

    # A body deleted (the admin): the activities it recorded no longer count for its partners.
    assert computed_kabupaten_readiness(serang, years=[2020]).row("36.04.17").desa[0].pokja.total == 1
    with django_capture_on_commit_callbacks(execute=True):
        forum.delete()
    assert_stored_is_computed(serang)
    assert kabupaten_readiness(serang, years=[2020]).row("36.04.17").desa[0].pokja.total == 0


def test_rebuild_restores_rows_that_went_wrong(wilayah, bodies):
    serang = wilayah["serang"]
    for year in YEARS:
        readiness_world.complete_activity(bodies["forum_carenang"], year)
    readiness_world.activity(bodies["pokja_binuang"], kinds=("undangan",))
    shared = readiness_world.complete_activity(bodies["forum_serang"], 2021)
    shared.partner_bodies.add(bodies["tim_carenang"])  # round the services: no refresh
    BodyYearReadiness.objects.filter(body=bodies["forum_carenang"]).update(total=7, complete=0, incomplete=[])
    BodyYearReadiness.objects.filter(body=bodies["pokja_binuang"]).delete()
    assert figures(kabupaten_readiness(serang, years=YEARS)) != figures(
        computed_kabupaten_readiness(serang, years=YEARS)
    )

    out = io.StringIO()
    call_command("readiness_rebuild", "--kabupaten", "36.04", "--chunk", "2", stdout=out)
    assert "baris dihitung ulang" in out.getvalue()
    assert_stored_is_computed(serang)


def test_rebuild_of_one_kabupaten_leaves_the_others(wilayah, bodies):
    bogor = Body.objects.create(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["bogor"])
    readiness_world.complete_activity(bogor, 2020)
    readiness_world.complete_activity(bodies["forum_serang"], 2020)
    BodyYearReadiness.objects.update(total=9)
    assert rebuild(kabupaten_code="36.04") == 1
    assert BodyYearReadiness.objects.get(body=bogor).total == 9
    assert BodyYearReadiness.objects.get(body=bodies["forum_serang"]).total == 1


def test_the_first_migrate_fills_the_rows_once(wilayah, bodies):
    readiness_world.complete_activity(bodies["forum_serang"], 2020)
    BodyYearReadiness.objects.all().delete()
    rebuild_if_empty(sender=None)
    assert BodyYearReadiness.objects.get(body=bodies["forum_serang"], year=2020).complete == 1
    BodyYearReadiness.objects.update(total=5)
    rebuild_if_empty(sender=None)  # rows there: left alone (readiness_rebuild is the way then)
    assert BodyYearReadiness.objects.get(body=bodies["forum_serang"]).total == 5


def test_a_list_not_read_is_refused_not_left_empty(wilayah, bodies):
    readiness_world.activity(bodies["forum_serang"], kinds=("undangan",))
    rollup = kabupaten_readiness(wilayah["serang"], years=YEARS, lists=NO_LISTS)
    assert str(rollup.bodies) == "0/6"
    with pytest.raises(ListsNotRead):
        rollup.forum.missing  # noqa: B018


# --- Queries: the same for 10 and for 200 activities, and no activity read -------------------------


def add_activities(bodies: dict, count: int) -> None:
    """``count`` activities spread over the bodies and the data years, in bulk (round the
    services), then the rows rebuilt: complete ones everywhere, and every third one of a Pokja
    without its notulen (the lists a kabupaten page does not show)."""
    kabupaten = bodies["forum_serang"].region
    stored = blob(kabupaten)
    owners = list(bodies.values())
    made = Activity.objects.bulk_create(
        Activity(body=owners[n % len(owners)], title=f"Rapat {n}", date=datetime.date(YEARS[n % 2], 4, 1 + n % 28))
        for n in range(count)
    )
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            blob=stored, kind=kind, original_name=f"{kind}.pdf", region=activity.body.region, activity=activity
        )
        for n, activity in enumerate(made)
        for kind in Activity.REQUIRED_KINDS
        if not (kind == "notulen" and activity.body.kind == Body.Kind.POKJA_DESA and n % 3 == 0)
    )
    rebuild(kabupaten_code=kabupaten.code)


def reads(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize(
    "page",
    ["dashboard", "readiness", "assessment_dashboard", "api_readiness", "api_kecamatan", "api_body"],
)
def test_readiness_reads_no_activity_and_the_same_queries_for_10_and_200(
    client_for, rina, evidence_assessment, bodies, page
):
    urls = {
        "dashboard": reverse("dashboard"),
        "readiness": reverse("evidence:readiness", args=[evidence_assessment.pk]),
        "assessment_dashboard": reverse("indicators:assessment_dashboard", args=[evidence_assessment.pk]),
        "api_readiness": f"/api/assessments/{evidence_assessment.pk}/readiness/",
        "api_kecamatan": f"/api/assessments/{evidence_assessment.pk}/readiness/kecamatan/36.04.18/",
        # One body with its list of incomplete activities, as a Pokja's secretary asks for it.
        "api_body": f"/api/bodies/{bodies['pokja_carenang'].pk}/readiness/?cycle={evidence_assessment.cycle.award_year}",
    }
    client = client_for(rina)
    url = urls[page]
    add_activities(bodies, 10)
    client.get(url)  # the session and the caches of the first request
    few, sql = reads(client, url)
    rows = BodyYearReadiness.objects.count()
    add_activities(bodies, 190)
    many, sql_many = reads(client, url)
    assert many == few
    assert BodyYearReadiness.objects.count() == rows  # the same bodies and years: no more rows to read
    for statement in sql + sql_many:
        assert '"evidence_activity"' not in statement, statement
    assert any('"evidence_bodyyearreadiness"' in statement for statement in sql)
    if page == "api_body":  # read from the rows, it says what the computed rule says, list included
        pokja = bodies["pokja_carenang"]
        computed = body_readiness_data(body_readiness_of(pokja, years=evidence_assessment.cycle.data_years))
        assert client.get(url).json() == computed
        assert computed["missing"]


# --- Two writers of the same body and year (PostgreSQL) --------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_one_body_and_year_both_count(wilayah, media_root):
    """The first writer holds its transaction open after refreshing the row; the second, refreshing
    the same row, waits for its lock and then reads the first one's file too (without the lock it
    would count only its own activity and overwrite the first's count)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serialises them)")
    pokja = Body.objects.create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])
    first, second = (
        readiness_world.activity(pokja, date=datetime.date(2021, 3, n), kinds=("undangan", "daftar_hadir", "foto"))
        for n in (1, 2)
    )
    refreshed, release, errors = threading.Event(), threading.Event(), []

    def writer(activity, *, hold: bool):
        from django.db import connections, transaction

        try:
            with transaction.atomic():
                upload(activity, "notulen", None)
                if hold:
                    refreshed.set()
                    release.wait()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            refreshed.set()  # also when the first failed: the test reports it instead of hanging
            connections.close_all()

    holder = threading.Thread(target=writer, args=(first,), kwargs={"hold": True})
    holder.start()
    refreshed.wait()
    waiter = threading.Thread(target=writer, args=(second,), kwargs={"hold": False})
    waiter.start()
    # Let the first commit only once the second is waiting for the row's lock.
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0] or not waiter.is_alive():
                break
            time.sleep(0.01)
    release.set()
    holder.join()
    waiter.join()
    assert errors == []
    row = BodyYearReadiness.objects.get(body=pokja, year=2021)
    assert (row.total, row.complete) == (2, 2)

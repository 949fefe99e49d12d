"""Evidence pages at national scale (issue 14, docs/PERFORMANCE.md "Fixed causes"): the number of
queries of a page does not grow with its files and their versions, and rows left by a removed
uploader do not break the pages.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from evidence.completeness import activity_missing_kinds, complete_q, with_completeness
from evidence.models import IMAGE_TYPES, Activity, EvidenceFile
from evidence.selectors import Owner, files_visible_to, live
from evidence.tests.readiness_world import attach, blob
from evidence.uploads import histories_of, history_of
from forums.models import Body
from regions.models import Region, kabupaten_code_of
from tatanan.models import Tatanan

pytestmark = pytest.mark.django_db

KINDS = ("undangan", "daftar_hadir", "notulen", "foto", "laporan", "lainnya")


@pytest.fixture
def pokja(wilayah) -> Body:
    body, _created = Body.objects.get_or_create(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"])
    return body


def _activity(body: Body, title: str) -> Activity:
    return Activity.objects.create(body=body, title=title, date=datetime.date(2025, 3, 12))


def _with_history(*, depth: int, uploader=None, **owner) -> EvidenceFile:
    """A current file whose history holds ``depth`` earlier versions (each replaced by the next)."""
    kind = owner.pop("kind")
    region = owner.pop("region")
    versions = [attach(kind=kind, region=region, **owner) for _ in range(depth + 1)]
    for n, (old, new) in enumerate(zip(versions, versions[1:], strict=False)):
        EvidenceFile.objects.filter(pk=old.pk).update(
            replaced_by=new, replaced_at=timezone.now(), original_name=f"{kind}-versi-{n + 1}.pdf"
        )
    EvidenceFile.objects.filter(pk__in=[v.pk for v in versions]).update(uploaded_by=uploader)
    return versions[-1]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_activity_page_costs_the_same_queries_for_more_files_and_deeper_histories(client_for, dewi, pokja):
    few = _activity(pokja, "Rapat tiga berkas")
    for kind in KINDS[:3]:
        attach(kind=kind, region=pokja.region, activity=few)
    many = _activity(pokja, "Rapat enam berkas")
    for kind in KINDS:
        _with_history(depth=6, kind=kind, region=pokja.region, activity=many)
    client = client_for(dewi)
    client.get(reverse("evidence:activity_detail", args=[few.pk]))  # session, caches

    assert _queries(client, reverse("evidence:activity_detail", args=[few.pk])) == _queries(
        client, reverse("evidence:activity_detail", args=[many.pk])
    )
    page = client.get(reverse("evidence:activity_detail", args=[many.pk])).content.decode()
    for kind in KINDS:
        for n in range(1, 7):
            assert f"{kind}-versi-{n}.pdf" in page
    # The removed files and the body's own files page too.
    attach(kind="sk", region=pokja.region, body=pokja)
    one = _queries(client, reverse("evidence:body_files", args=[pokja.pk]))
    for _ in range(3):
        _with_history(depth=4, kind="sk", region=pokja.region, body=pokja)
    assert _queries(client, reverse("evidence:body_files", args=[pokja.pk])) == one


def test_the_histories_loaded_at_once_are_those_followed_one_by_one(pokja, dewi):
    activity = _activity(pokja, "Rapat")
    deep = _with_history(depth=5, kind="notulen", region=pokja.region, activity=activity, uploader=dewi)
    shallow = _with_history(depth=1, kind="undangan", region=pokja.region, activity=activity)
    alone = attach(kind="foto", region=pokja.region, activity=activity)
    removed = attach(kind="lainnya", region=pokja.region, activity=activity)
    EvidenceFile.objects.filter(pk=removed.pk).update(deleted_at=timezone.now())
    other = _with_history(depth=2, kind="notulen", region=pokja.region, activity=_activity(pokja, "Lain"))

    owner = Owner(activity=activity)
    current = list(live(owner.files()))
    assert {f.pk for f in current} == {deep.pk, shallow.pk, alone.pk}
    histories = histories_of(owner, current)
    for evidence in current:
        assert [f.pk for f in histories[evidence.pk]] == [f.pk for f in history_of(evidence)]
    assert len(histories[deep.pk]) == 5
    assert len(histories[shallow.pk]) == 1
    assert histories[alone.pk] == []
    assert histories[deep.pk][0].uploaded_by == dewi  # loaded with the row, as the page shows it
    assert not {f.pk for f in history_of(other)} & {f.pk for chain in histories.values() for f in chain}


def test_owner_pages_answer_200_after_the_uploader_is_removed(client_for, dewi, rina, pokja):
    """The uploader (and the remover) of a file is SET_NULL when their account is deleted: the
    owner's files pages, current and removed rows and histories alike, still answer."""
    gone = UserFactory(username="mantan_sekretaris")
    activity = _activity(pokja, "Rapat")
    _with_history(depth=2, kind="notulen", region=pokja.region, activity=activity, uploader=gone)
    attach(kind="foto", region=pokja.region, activity=activity)
    sk = _with_history(depth=1, kind="sk", region=pokja.region, body=pokja, uploader=gone)
    removed = attach(kind="lainnya", region=pokja.region, body=pokja)
    EvidenceFile.objects.filter(pk__in=[removed.pk]).update(deleted_at=timezone.now(), deleted_by=gone)
    EvidenceFile.objects.update(uploaded_by=gone)
    gone.delete()
    assert not EvidenceFile.objects.filter(uploaded_by__isnull=False).exists()

    for url in (
        reverse("evidence:activity_detail", args=[activity.pk]),
        reverse("evidence:activity_detail", args=[activity.pk]) + "?bagian=berkas",
        reverse("evidence:body_files", args=[pokja.pk]),
        reverse("evidence:body_gallery", args=[pokja.pk]),
        reverse("body-files", args=[pokja.pk]) + "?all=true",
        reverse("evidence-file-history", args=[sk.pk]),
    ):
        for user in (dewi, rina):
            response = client_for(user).get(url)
            assert response.status_code == 200, (url, user.username)
    page = client_for(dewi).get(reverse("evidence:body_files", args=[pokja.pk])).content.decode()
    assert "sk-versi-1.pdf" in page


def test_the_api_history_of_a_file_costs_the_same_queries_for_a_deeper_history(client_for, dewi, pokja):
    """``history_of`` (the API's history of one file) followed ``replaced_by`` back with one query
    per version; it now reads the owner's replaced files at once, as ``histories_of`` does."""
    activity = _activity(pokja, "Rapat")
    shallow = _with_history(depth=1, kind="notulen", region=pokja.region, activity=activity, uploader=dewi)
    deep = _with_history(depth=6, kind="undangan", region=pokja.region, activity=activity, uploader=dewi)
    client = client_for(dewi)
    client.get(reverse("evidence-file-history", args=[shallow.pk]))  # session, caches

    assert _queries(client, reverse("evidence-file-history", args=[shallow.pk])) == _queries(
        client, reverse("evidence-file-history", args=[deep.pk])
    )
    names = [row["original_name"] for row in client.get(reverse("evidence-file-history", args=[deep.pk])).json()]
    assert names == [f"undangan-versi-{n}.pdf" for n in range(6, 0, -1)]
    assert [f.pk for f in history_of(deep)] == [f.pk for f in histories_of(Owner(activity=activity), [deep])[deep.pk]]


# --- The API's list of evidence files -------------------------------------------------------------


def _list_queries(client, **params) -> tuple[list[str], dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("evidence-file-list"), params)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries], response.json()


def test_the_api_list_counts_without_joining_blobs_and_costs_the_same_with_more_files(client_for, nadia, pokja):
    activity = _activity(pokja, "Rapat")
    for kind in KINDS[:3]:
        attach(kind=kind, region=pokja.region, activity=activity)
    client = client_for(nadia)
    few_sql, few = _list_queries(client)
    assert few["count"] == 3
    (count_sql,) = [sql for sql in few_sql if "COUNT(" in sql.upper() and "evidence_evidencefile" in sql]
    assert "evidence_blob" not in count_sql

    for kind in KINDS:
        _with_history(depth=3, kind=kind, region=pokja.region, activity=_activity(pokja, f"Rapat {kind}"))
    many_sql, many = _list_queries(client)
    assert len(many_sql) == len(few_sql)
    assert many["count"] == 3 + 6 * 4
    uploaded = [row["uploaded_at"] for row in many["results"]]
    assert uploaded == sorted(uploaded, reverse=True)
    assert len(many["results"]) == min(many["count"], 50) or many["next"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_the_api_list_is_read_in_its_order_from_an_index(client_for, nadia, pokja):
    """With sorting priced out, PostgreSQL still has a plan without a Sort: an index gives the
    newest files first, so a page is read from its start rather than sorted from every row."""
    activity = _activity(pokja, "Rapat")
    for kind in KINDS:
        attach(kind=kind, region=pokja.region, activity=activity)
    sql, _data = _list_queries(client_for(nadia))
    (page_sql,) = [q for q in sql if "evidence_evidencefile" in q and "LIMIT" in q.upper() and "ORDER BY" in q.upper()]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + page_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Sort" not in plan, plan
    assert "evidence_uploaded" in plan, plan


# --- Galleries ------------------------------------------------------------------------------------


def _photo(**owner) -> EvidenceFile:
    region = owner.pop("region")
    stored = blob(Region.objects.get(code=kabupaten_code_of(region.code)), file_type="jpeg")
    return EvidenceFile.objects.create(blob=stored, kind="foto", original_name="foto.jpg", region=region, **owner)


def _old_body_gallery(user, body) -> list[int]:
    """The body gallery's rows as the OR across the join to activities found them."""
    photos = live(files_visible_to(user)).filter(blob__state="ready", blob__file_type__in=list(IMAGE_TYPES))
    photos = photos.filter(Q(body=body) | Q(activity__body=body, activity__deleted_at__isnull=True))
    return list(photos.order_by("-uploaded_at", "-id").values_list("pk", flat=True))


def _old_tatanan_gallery(user, tatanan) -> list[int]:
    photos = live(files_visible_to(user)).filter(blob__state="ready", blob__file_type__in=list(IMAGE_TYPES))
    photos = photos.filter(activity__tatanan=tatanan, activity__deleted_at__isnull=True).distinct()
    return list(photos.order_by("-uploaded_at", "-id").values_list("pk", flat=True))


def _gallery_ids(client, url: str) -> tuple[list[int], int]:
    """Every photo the gallery shows, page after page, and the queries of its first page."""
    ids, number = [], 1
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"halaman": number})
        assert response.status_code == 200
        ids += [photo.pk for photo in response.context["photos"]]
        if number == 1:
            first = len(queries)
        if not response.context["page"].has_next():
            return ids, first
        number += 1


@pytest.fixture
def photo_world(pokja, wilayah):
    """Photos of the Pokja (its own, of its activities, of a removed activity, removed and replaced
    ones, a document), of an activity in two tatanan (the first two of the 2023 set), and of a Binuang body outside Carenang's
    scope."""
    first, second = Tatanan.objects.filter(tatanan_set__code="2023").order_by("number")[:2]
    own = _activity(pokja, "Kerja bakti")
    own.tatanan.set([first, second])
    gone = _activity(pokja, "Dihapus")
    gone.tatanan.set([first])
    Activity.objects.filter(pk=gone.pk).update(deleted_at=timezone.now())
    binuang, _created = Body.objects.get_or_create(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"])
    theirs = _activity(binuang, "Rapat Binuang")
    theirs.tatanan.set([first])
    region = pokja.region
    for _ in range(14):
        _photo(region=region, activity=own)
    for _ in range(12):
        _photo(region=region, body=pokja)
    _photo(region=region, activity=gone)
    removed = _photo(region=region, activity=own)
    EvidenceFile.objects.filter(pk=removed.pk).update(deleted_at=timezone.now())
    old = _photo(region=region, body=pokja)
    EvidenceFile.objects.filter(pk=old.pk).update(replaced_by=_photo(region=region, body=pokja))
    attach(kind="notulen", region=region, activity=own)
    for _ in range(3):
        _photo(region=binuang.region, activity=theirs)
    return {"first": first, "second": second, "own": own, "binuang": binuang}


def test_the_galleries_show_the_same_photos_with_cheap_queries(client_for, dewi, tono, rina, pokja, photo_world):
    client = client_for(dewi)
    body_url = reverse("evidence:body_gallery", args=[pokja.pk])
    shown, few = _gallery_ids(client, body_url)
    assert shown == _old_body_gallery(dewi, pokja)
    assert len(shown) == 14 + 12 + 1  # own activity, own files, the newer version
    first_url = reverse("evidence:tatanan_gallery", args=[photo_world["first"].pk])
    for user in (dewi, tono, rina):
        ids, _queries = _gallery_ids(client_for(user), first_url)
        assert ids == _old_tatanan_gallery(user, photo_world["first"]), user.username
        assert len(ids) == len(set(ids))
    assert len(_gallery_ids(client_for(rina), first_url)[0]) == 14 + 3
    assert len(_gallery_ids(client, reverse("evidence:tatanan_gallery", args=[photo_world["second"].pk]))[0]) == 14

    # More activities and photos: the same number of queries, no DISTINCT over the rows.
    for n in range(5):
        more = _activity(pokja, f"Rapat {n}")
        more.tatanan.set([photo_world["first"], photo_world["second"]])
        for _ in range(3):
            _photo(region=pokja.region, activity=more)
    with CaptureQueriesContext(connection) as queries:
        client.get(first_url)
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]
    shown, many = _gallery_ids(client, body_url)
    assert many == few
    assert shown == _old_body_gallery(dewi, pokja)


def test_a_gallery_counts_up_to_its_cap_and_says_there_are_more(client_for, rina, pokja, photo_world, monkeypatch):
    """Beyond the cap the count stops (a ``LIMIT`` inside the COUNT), the page says "Lebih dari",
    and the newest photos up to the cap are still paged through in order."""
    from evidence import views

    url = reverse("evidence:tatanan_gallery", args=[photo_world["first"].pk])
    newest = _old_tatanan_gallery(rina, photo_world["first"])
    assert len(newest) == 17
    monkeypatch.setattr(views, "GALLERY_PAGE_SIZE", 4)
    monkeypatch.setattr(views, "GALLERY_COUNT_CAP", 10)
    client = client_for(rina)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    page = response.context["page"]
    assert (page.paginator.count, page.paginator.num_pages, page.paginator.capped) == (10, 3, True)
    (count_sql,) = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert "LIMIT 11" in count_sql.upper()
    html = response.content.decode()
    assert "Lebih dari 10 foto" in html
    assert "1 / 3+" in html
    assert _gallery_ids(client, url)[0] == newest[:10]

    monkeypatch.setattr(views, "GALLERY_COUNT_CAP", 17)
    page = client.get(url).context["page"]
    assert (page.paginator.count, page.paginator.capped) == (17, False)
    assert "17 foto" in client.get(url).content.decode()


# --- Completeness of activities -------------------------------------------------------------------


def test_completeness_is_per_row_on_a_page_and_semi_joins_in_a_filter(client_for, rina, pokja):
    """The page's annotations are scalar subqueries (never a hashed scan of every file of a kind);
    filtering on completeness keeps ``EXISTS`` in the WHERE clause; both give the same activities
    as before, and the API's page costs the same queries for more activities."""
    full = _activity(pokja, "Lengkap")
    for kind in Activity.REQUIRED_KINDS:
        attach(kind=kind, region=pokja.region, activity=full)
    no_photo = _activity(pokja, "Tanpa foto")
    for kind in Activity.REQUIRED_KINDS[:3]:
        attach(kind=kind, region=pokja.region, activity=no_photo)
    replaced = _activity(pokja, "Foto diganti")
    for kind in Activity.REQUIRED_KINDS:
        _with_history(depth=1, kind=kind, region=pokja.region, activity=replaced)
    removed_photo = _activity(pokja, "Foto dihapus")
    for kind in Activity.REQUIRED_KINDS:
        attach(kind=kind, region=pokja.region, activity=removed_photo)
    EvidenceFile.objects.filter(activity=removed_photo, kind="foto").update(deleted_at=timezone.now())
    _activity(pokja, "Kosong")

    annotated = with_completeness(Activity.objects.all())
    select = str(annotated.query).upper().split(" FROM ")[0]
    assert "EXISTS" not in select
    complete = {full.pk, replaced.pk}
    assert set(annotated.filter(is_complete=True).values_list("pk", flat=True)) == complete
    assert set(Activity.objects.filter(complete_q()).values_list("pk", flat=True)) == complete
    assert set(Activity.objects.exclude(complete_q()).values_list("pk", flat=True)) == set(
        annotated.filter(is_complete=False).values_list("pk", flat=True)
    )
    assert {a.pk: activity_missing_kinds(a) for a in annotated}[no_photo.pk] == ["foto"]
    assert "EXISTS" in str(Activity.objects.filter(complete_q()).query).upper()

    client = client_for(rina)
    url = reverse("activity-list")
    with CaptureQueriesContext(connection) as few:
        data = client.get(url, {"complete": "true"}).json()
    assert {row["id"] for row in data["results"]} == complete
    for n in range(6):
        more = _activity(pokja, f"Rapat {n}")
        for kind in Activity.REQUIRED_KINDS:
            _with_history(depth=2, kind=kind, region=pokja.region, activity=more)
    with CaptureQueriesContext(connection) as many:
        data = client.get(url, {"complete": "true"}).json()
    assert len(many) == len(few)
    assert data["count"] == 2 + 6
    assert client.get(url, {"complete": "false"}).json()["count"] == 3
    page = client_for(rina).get(reverse("evidence:activity_list", args=[pokja.pk]))
    assert page.context["complete"] == 8

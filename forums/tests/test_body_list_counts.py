"""The counts above the list of bodies are numbers of bodies, not of their members.

The list annotates each body with its member count (a join on members); counting per kind over
that queryset used to count member rows: "Pokja: 329" for a handful of Pokja (issue 12).
"""

import pytest
from django.urls import reverse

from forums.models import Body
from forums.selectors import body_counts, body_list
from forums.tests.factories import BodyFactory, MemberFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def bodies_with_members(wilayah):
    """One Forum Kabupaten/Kota, two Forum Kecamatan, three Pokja; each with several members
    (one inactive), and one Pokja with none."""
    bodies = [
        BodyFactory(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"]),
        BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"]),
        BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"]),
        BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"]),
        BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_pamanuk"]),
    ]
    for n, body in enumerate(bodies):
        MemberFactory.create_batch(3 + n, body=body)
        MemberFactory(body=body, active=False)
    BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_binuang"])
    return bodies


def _counts(response) -> dict[str, int]:
    return {kind: n for _label, kind, n in response.context["counts"]}


def test_the_counts_are_of_bodies_whatever_their_members(client_for, rina, bodies_with_members):
    response = client_for(rina).get(reverse("forums:body_list"))
    assert response.status_code == 200
    assert _counts(response) == {
        Body.Kind.TIM_PEMBINA_KABKOTA: 0,
        Body.Kind.FORUM_KABKOTA: 1,
        Body.Kind.TIM_PEMBINA_KECAMATAN: 0,
        Body.Kind.FORUM_KECAMATAN: 2,
        Body.Kind.POKJA_DESA: 3,
    }
    assert response.context["total"] == 6
    html = response.content.decode()
    assert 'data-kind="forum_kabkota">Forum Kabupaten Sehat: <strong>1</strong>' in html
    assert 'data-kind="forum_kecamatan">Forum Kecamatan Sehat: <strong>2</strong>' in html
    assert 'data-kind="pokja_desa">Pokja Desa Sehat: <strong>3</strong>' in html  # regions/words.py
    # The members are still counted per body (active ones only).
    members = {body.pk: body.member_count for body in response.context["bodies"]}
    assert [members[body.pk] for body in bodies_with_members] == [3, 4, 5, 6, 7]


def test_the_counts_follow_the_kecamatan_filter(client_for, rina, bodies_with_members, wilayah):
    response = client_for(rina).get(reverse("forums:body_list"), {"kecamatan": wilayah["carenang"].code})
    counts = _counts(response)
    assert counts[Body.Kind.FORUM_KECAMATAN] == 1
    assert counts[Body.Kind.POKJA_DESA] == 2
    assert counts[Body.Kind.FORUM_KABKOTA] == 0


def test_the_list_joins_no_member_rows_and_counts_per_body(rina, bodies_with_members, wilayah):
    """The member count is a subquery per body (evaluated for the rows a page shows), not a GROUP BY
    over the join of every body in scope with its members (docs/PERFORMANCE.md, "Fixed causes")."""
    bodies = body_list(rina)
    assert bodies.query.group_by is None
    assert {join.table_name for join in bodies.query.alias_map.values()} == {"forums_body", "regions_region"}
    assert body_counts(bodies) == {
        Body.Kind.TIM_PEMBINA_KABKOTA: 0,
        Body.Kind.FORUM_KABKOTA: 1,
        Body.Kind.TIM_PEMBINA_KECAMATAN: 0,
        Body.Kind.FORUM_KECAMATAN: 2,
        Body.Kind.POKJA_DESA: 3,
    }
    assert bodies.count() == 6
    # A page of the list: each body on it counted (active members only), none multiplied.
    page = list(bodies[:4])
    expected = {body.pk: 3 + n for n, body in enumerate(bodies_with_members)}
    assert len(page) == 4
    assert [body.member_count for body in page] == [expected[body.pk] for body in page]
    assert body_list(rina, kind=Body.Kind.POKJA_DESA).get(region=wilayah["desa_binuang"]).member_count == 0


def test_the_list_page_costs_the_same_queries_with_more_bodies_and_members(
    client_for, rina, bodies_with_members, wilayah
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(rina)
    client.get(reverse("forums:body_list"))  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("forums:body_list")).status_code == 200
    for body in bodies_with_members:
        MemberFactory.create_batch(5, body=body)
    BodyFactory(kind=Body.Kind.TIM_PEMBINA_KECAMATAN, region=wilayah["carenang"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("forums:body_list"))
    assert len(many) == len(few)
    assert _counts(response)[Body.Kind.TIM_PEMBINA_KECAMATAN] == 1
    assert _counts(response)[Body.Kind.FORUM_KABKOTA] == 1


def test_the_list_is_paged_with_the_filter_kept_and_figures_for_the_page_only(
    client_for, rina, bodies_with_members, monkeypatch
):
    """Pages of the list's order; the links keep the filter; the paged query carries no figure
    subquery (the figures are read for the page's bodies), and the last page has the rest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forums import views

    monkeypatch.setattr(views, "BODY_PAGE_SIZE", 2)
    client = client_for(rina)
    everything = list(body_list(rina).values_list("pk", flat=True))
    assert len(everything) == 6
    shown = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("forums:body_list"), {"halaman": number})
        page = response.context["page"]
        assert (page.number, page.paginator.num_pages, response.context["total"]) == (number, 3, 6)
        shown += [body.pk for body in response.context["bodies"]]
        paged = [q["sql"] for q in queries.captured_queries if "LIMIT 2" in q["sql"] and '"forums_body"' in q["sql"]]
        assert paged
        assert not [sql for sql in paged if "forums_member" in sql]
    assert shown == everything
    expected = [body.member_count for body in body_list(rina)][4:]
    assert [body.member_count for body in response.context["bodies"]] == expected
    assert 0 in expected

    pokja = client.get(reverse("forums:body_list"), {"kind": Body.Kind.POKJA_DESA}).content.decode()
    assert "?kind=pokja_desa&amp;halaman=2" in pokja
    assert "1 / 2" in pokja


def test_a_reader_of_several_kabupaten_picks_one_then_its_kecamatan(client_for, nadia, rina, wilayah):
    """The national verifier reads every kabupaten/kota: a kabupaten/kota select first, the
    kecamatan of the chosen one next (not the first 500 kecamatan of the country); a Bappeda
    admin of one kabupaten/kota gets the kecamatan select alone, as before."""
    serang_forum = BodyFactory(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["serang"])
    carenang = BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"])
    binuang = BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["binuang"])
    bogor = BodyFactory(kind=Body.Kind.FORUM_KABKOTA, region=wilayah["bogor"])
    client = client_for(nadia)
    url = reverse("forums:body_list")

    response = client.get(url)
    form = response.context["form"]
    assert [code for code, _label in form.fields["kabupaten"].choices] == ["", "32.01", "36.04"]
    assert form.fields["kecamatan"].choices == [("", "Semua kecamatan")]
    assert "pilih kabupaten/kota dulu" in response.content.decode()

    response = client.get(url, {"kabupaten": "36.04"})
    assert [code for code, _label in response.context["form"].fields["kecamatan"].choices] == [
        "",
        "36.04.17",
        "36.04.18",
    ]
    assert {b.pk for b in response.context["bodies"]} == {serang_forum.pk, carenang.pk, binuang.pk}
    assert response.context["total"] == 3

    response = client.get(url, {"kabupaten": "36.04", "kecamatan": "36.04.17"})
    assert [b.pk for b in response.context["bodies"]] == [carenang.pk]
    # A link naming the kecamatan alone names its kabupaten/kota as well.
    response = client.get(url, {"kecamatan": "36.04.18"})
    assert [b.pk for b in response.context["bodies"]] == [binuang.pk]
    assert response.context["form"]["kabupaten"].value() == "36.04"
    # The kabupaten/kota changed, the kecamatan of the other one left in the link: dropped.
    response = client.get(url, {"kabupaten": "32.01", "kecamatan": "36.04.17"})
    assert [b.pk for b in response.context["bodies"]] == [bogor.pk]
    # Not a kabupaten/kota in scope: no filter, no error.
    assert client.get(url, {"kabupaten": "99.99"}).context["total"] == 4

    form = client_for(rina).get(url).context["form"]
    assert "kabupaten" not in form.fields
    assert [code for code, _label in form.fields["kecamatan"].choices] == ["", "36.04.17", "36.04.18"]

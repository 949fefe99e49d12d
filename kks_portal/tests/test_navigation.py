"""The top menu per role (issue 12, "Role-aware navigation"): each role's menu holds its work only,
the section shown is marked, the dossier is one click away for Bappeda and the verifiers."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Role, RoleAssignment, User
from accounts.selectors import role_assignments_of
from forums.models import Body
from forums.tests.factories import BodyFactory
from indicators.tests.factories import AssessmentFactory
from kks_portal.navigation import menu_for
from tatanan.tests.factories import CycleFactory

pytestmark = pytest.mark.django_db

MENU_ITEM = re.compile(
    r'<a class="(?P<classes>nav-link[^"]*)" href="(?P<url>[^"]*)" data-nav="(?P<key>[^"]*)"'
    r'(?P<current> aria-current="page")?><i [^>]*></i>(?P<label>[^<]*)</a>'
)


def menu(html: str) -> list[dict]:
    """The items of the main menu: label, url, key and whether marked as the current section."""
    match = re.search(r'<ul class="navbar-nav me-auto" id="main-menu">(.*?)</ul>', html, re.S)
    assert match, "no main menu on the page"
    items = [m.groupdict() for m in MENU_ITEM.finditer(match.group(1))]
    for item in items:
        item["active"] = "active" in item["classes"].split()
        assert item["active"] == bool(item["current"]), f"{item['key']}: active and aria-current disagree"
    return items


def menu_of(client, url="/") -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    return menu(response.content.decode())


def labels_and_urls(items) -> list[tuple[str, str]]:
    return [(item["label"], item["url"]) for item in items]


@pytest.fixture
def assessment_serang(wilayah):
    """Serang's current assessment (the 2025 award) beside an older one (2023)."""
    AssessmentFactory(kabupaten=wilayah["serang"], cycle=CycleFactory(award_year=2023), entries=False)
    return AssessmentFactory(kabupaten=wilayah["serang"], entries=False)


@pytest.fixture
def bodies(wilayah):
    return {
        "forum_carenang": BodyFactory(kind=Body.Kind.FORUM_KECAMATAN, region=wilayah["carenang"]),
        "tim_carenang": BodyFactory(kind=Body.Kind.TIM_PEMBINA_KECAMATAN, region=wilayah["carenang"]),
        "pokja_carenang": BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_carenang"]),
    }


def expected_menus(assessment, bodies) -> dict[str, list[tuple[str, str]]]:
    forum, pokja = bodies["forum_carenang"], bodies["pokja_carenang"]
    verifier = [
        ("Beranda", "/"),
        ("Ruang verifikasi", "/dossier/antrean/"),
        ("Penilaian", "/penilaian/"),
        ("Katalog", "/tatanan/"),
        ("Wilayah", "/wilayah/"),
    ]
    return {
        "rina": [
            ("Beranda", "/"),
            ("Lembaga", "/forum/lembaga/"),
            ("Penilaian", "/penilaian/"),
            ("Dossier", f"/dossier/{assessment.pk}/"),
            ("Pengguna", "/kelola/pengguna/"),
            ("OPD", "/kelola/opd/"),
            ("Katalog", "/tatanan/"),
            ("Wilayah", "/wilayah/"),
        ],
        "oscar": [("Beranda", "/"), ("Daftar tugas", "/penilaian/tugas/"), ("Katalog", "/tatanan/")],
        "sari": [
            ("Beranda", "/"),
            ("Lembaga", f"/forum/lembaga/{forum.pk}/"),
            ("Kegiatan", f"/bukti/lembaga/{forum.pk}/kegiatan/"),
        ],
        "dewi": [
            ("Beranda", "/"),
            ("Lembaga", f"/forum/lembaga/{pokja.pk}/"),
            ("Kegiatan", f"/bukti/lembaga/{pokja.pk}/kegiatan/"),
        ],
        "vina": verifier,
        "nadia": verifier,
        "root": [
            ("Beranda", "/"),
            ("Ruang verifikasi", "/dossier/antrean/"),
            ("Lembaga", "/forum/lembaga/"),
            ("Penilaian", "/penilaian/"),
            ("Pengguna", "/kelola/pengguna/"),
            ("OPD", "/kelola/opd/"),
            ("Katalog", "/tatanan/"),
            ("Wilayah", "/wilayah/"),
            ("Admin", "/admin/"),
        ],
    }


@pytest.mark.parametrize("name", ["rina", "oscar", "sari", "dewi", "vina", "nadia", "root"])
def test_each_persona_gets_exactly_the_menu_of_their_work(client_for, personas, assessment_serang, bodies, name):
    client = client_for(personas[name])
    items = menu_of(client)
    assert labels_and_urls(items) == expected_menus(assessment_serang, bodies)[name]
    for item in items:
        response = client.get(item["url"])
        assert response.status_code == 200, f"{name}: {item['label']} {item['url']} answers {response.status_code}"


def test_a_secretary_sees_no_penilaian(client_for, sari, dewi, bodies):
    for user in (sari, dewi):
        keys = [item["key"] for item in menu_of(client_for(user))]
        assert "penilaian" not in keys
        assert "dossier" not in keys


def test_bappeda_without_an_assessment_reaches_the_assessment_list(client_for, rina):
    items = {item["key"]: item for item in menu_of(client_for(rina))}
    assert items["dossier"]["label"] == "Dossier"
    assert items["dossier"]["url"] == reverse("indicators:assessment_list")


def test_a_secretary_whose_body_is_not_set_up_reaches_the_page_that_says_so(client_for, tono):
    client = client_for(tono)
    assert labels_and_urls(menu_of(client)) == [("Beranda", "/"), ("Lembaga", "/forum/beranda/")]
    page = client.get("/forum/beranda/").content.decode()
    assert 'id="home-no-body"' in page


def test_several_roles_get_the_union_each_section_once(client_for, rina, wilayah, assessment_serang, bodies):
    pokja_pamanuk = BodyFactory(kind=Body.Kind.POKJA_DESA, region=wilayah["desa_pamanuk"])
    RoleAssignment.objects.create(user=rina, role=Role.SECRETARY, region=wilayah["desa_pamanuk"])
    RoleAssignment.objects.create(user=rina, role=Role.PROVINCE_VERIFIER, region=wilayah["banten"])
    items = menu_of(client_for(rina))
    assert labels_and_urls(items) == [
        ("Beranda", "/"),
        ("Ruang verifikasi", "/dossier/antrean/"),
        ("Lembaga", "/forum/lembaga/"),  # Bappeda's list of every body, hers among them
        ("Kegiatan", f"/bukti/lembaga/{pokja_pamanuk.pk}/kegiatan/"),
        ("Penilaian", "/penilaian/"),
        ("Dossier", f"/dossier/{assessment_serang.pk}/"),
        ("Pengguna", "/kelola/pengguna/"),
        ("OPD", "/kelola/opd/"),
        ("Katalog", "/tatanan/"),
        ("Wilayah", "/wilayah/"),
    ]


def active(items) -> list[str]:
    return [item["key"] for item in items if item["active"]]


def test_the_section_shown_is_marked(client_for, rina, vina, oscar, sari, assessment_serang, bodies):
    client = client_for(rina)
    assert active(menu_of(client, "/")) == ["beranda"]
    assert active(menu_of(client, reverse("indicators:assessment_list"))) == ["penilaian"]
    assert active(menu_of(client, reverse("indicators:assessment_detail", args=[assessment_serang.pk]))) == [
        "penilaian"
    ]
    assert active(menu_of(client, reverse("dossiers:detail", args=[assessment_serang.pk]))) == ["dossier"]
    assert active(menu_of(client, reverse("accounts:opd_list"))) == ["opd"]
    assert active(menu_of(client, reverse("accounts:user_create"))) == ["pengguna"]
    assert active(menu_of(client, reverse("regions:detail", args=["36.04"]))) == ["wilayah"]
    assert active(menu_of(client, reverse("password_change"))) == []
    # A verifier reads the same dossier from the verification workspace.
    client = client_for(vina)
    assert active(menu_of(client, reverse("dossiers:queue"))) == ["verifikasi"]
    assert active(menu_of(client, reverse("dossiers:detail", args=[assessment_serang.pk]))) == ["verifikasi"]
    assert active(menu_of(client, reverse("tatanan:cycle_list"))) == ["katalog"]
    # An OPD operator's assessment pages are their tasks.
    client = client_for(oscar)
    assert active(menu_of(client, reverse("indicators:todo"))) == ["tugas"]
    # A secretary's body and its activities.
    forum = bodies["forum_carenang"]
    client = client_for(sari)
    assert active(menu_of(client, reverse("forums:body_detail", args=[forum.pk]))) == ["lembaga"]
    assert active(menu_of(client, reverse("forums:work_plan_list", args=[forum.pk]))) == ["lembaga"]
    assert active(menu_of(client, reverse("evidence:activity_list", args=[forum.pk]))) == ["kegiatan"]
    assert active(menu_of(client, reverse("evidence:activity_add", args=[forum.pk]))) == ["kegiatan"]


def test_the_menu_speaks_english_when_english_is_chosen(client_for, vina):
    client = client_for(vina)
    try:
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert [item["label"] for item in menu_of(client)][:3] == ["Home", "Verification workspace", "Assessments"]
        client.post(reverse("set_language"), {"language": "id", "next": "/"})
        assert [item["label"] for item in menu_of(client)][:3] == ["Beranda", "Ruang verifikasi", "Penilaian"]
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request left its language on this thread


def test_the_menu_costs_one_query_for_both_of_its_lookups(client_for, rina, wilayah, assessment_serang, bodies):
    """Bappeda's dossier link and a secretary's body come from one query, whatever her roles."""
    RoleAssignment.objects.create(user=rina, role=Role.SECRETARY, region=wilayah["carenang"])
    RoleAssignment.objects.create(user=rina, role=Role.SECRETARY, region=wilayah["desa_carenang"])
    user = User.objects.get(pk=rina.pk)
    role_assignments_of(user)  # loaded once per request anyway (the dashboard's cards use them too)
    with CaptureQueriesContext(connection) as queries:
        items = {item.key: item.url for item in menu_for(user)}
    assert len(queries) == 1
    assert items["dossier"] == f"/dossier/{assessment_serang.pk}/"
    assert items["kegiatan"] == f"/bukti/lembaga/{bodies['forum_carenang'].pk}/kegiatan/"

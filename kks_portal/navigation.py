"""The top menu of base.html, built per role (issue 12: each role's menu holds its work only).

Every role names the sections of its work; a user holding several roles gets the union, each
section once, in the order of ``SECTIONS``. The section of the page being shown is marked, from
the namespace and name of its URL.

The menu links the pages of every app, so it lives in the site layer (``kks_portal``, above all apps;
docs/ARCHITECTURE.md, "Layers") and reads the two ids it needs (a kabupaten's latest assessment, a
secretary's Forum or Pokja) from their apps' models, in one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import is_superuser
from accounts.models import Role
from accounts.selectors import can_manage_users, role_assignments_of
from forums.models import Body
from indicators.models import Assessment
from regions.models import Region

# Every section the menu knows, in the order it shows them: (key, label, Bootstrap icon).
SECTIONS = (
    ("beranda", _("Beranda"), "house"),
    ("verifikasi", _("Ruang verifikasi"), "patch-check"),
    ("lembaga", _("Lembaga"), "people"),
    ("kegiatan", _("Kegiatan"), "calendar-check"),
    ("tugas", _("Daftar tugas"), "list-check"),
    ("penilaian", _("Penilaian"), "clipboard-data"),
    ("dossier", _("Dossier"), "file-earmark-pdf"),
    ("pengguna", _("Pengguna"), "person-gear"),
    ("opd", _("OPD"), "building"),
    ("katalog", _("Katalog"), "journal-text"),
    ("wilayah", _("Wilayah"), "geo-alt"),
    ("admin", _("Admin"), "gear"),
)

# The sections of each role's work.
ROLE_SECTIONS = {
    Role.BAPPEDA_ADMIN: ("beranda", "lembaga", "penilaian", "dossier", "pengguna", "opd", "katalog", "wilayah"),
    Role.OPD_OPERATOR: ("beranda", "tugas", "katalog"),
    Role.SECRETARY: ("beranda", "lembaga", "kegiatan"),
    Role.PROVINCE_VERIFIER: ("beranda", "verifikasi", "penilaian", "katalog", "wilayah"),
    Role.NATIONAL_VERIFIER: ("beranda", "verifikasi", "penilaian", "katalog", "wilayah"),
}
# The superuser administers every kabupaten and verifies every dossier, and has Django admin. No
# "Dossier" (no kabupaten of their own: the assessment list is already "Penilaian") and
# no "Daftar tugas" (no OPD of their own: the list is always empty).
SUPERUSER_SECTIONS = ("beranda", "verifikasi", "lembaga", "penilaian", "pengguna", "opd", "katalog", "wilayah", "admin")

# Which menu section a page belongs to, from its URL namespace (and, where a namespace serves
# several sections, its URL name). Each page lists sections in order of preference: the first one
# the user's menu holds is marked (a verifier reads a dossier from "Ruang verifikasi", its
# kabupaten's Bappeda from "Dossier"; an OPD operator fills entries from "Daftar tugas").
_DOSSIER_WORKFLOW = {
    "queue",
    "submit",
    "review",
    "review_open",
    "return",
    "approve",
    "comment",
    "national_open",
    "correction_open",
    "decide",
    "berita_acara",
}
_DOSSIER_PUBLIC = {"verify", "verify_code"}  # the authenticity check, anyone's
_BODY_PAGES = {"body_files", "body_upload", "body_gallery", "pembinaan_files", "pembinaan_upload"}


def _sections_of_page(namespace: str, url_name: str) -> tuple[str, ...]:
    if namespace == "" and url_name == "dashboard":
        return ("beranda",)
    if namespace == "forums":
        return ("lembaga",)
    if namespace == "evidence":
        if url_name.startswith("activity_"):
            return ("kegiatan", "lembaga")
        if url_name in _BODY_PAGES:
            return ("lembaga",)
        return ("penilaian", "tugas", "dossier")
    if namespace == "indicators":
        return ("tugas",) if url_name == "todo" else ("penilaian", "tugas", "verifikasi")
    if namespace == "dossiers":
        if url_name in _DOSSIER_PUBLIC:
            return ()
        if url_name in _DOSSIER_WORKFLOW:
            return ("verifikasi", "dossier")
        return ("dossier", "verifikasi", "penilaian")
    if namespace == "accounts":
        return ("opd",) if url_name.startswith("opd_") else ("pengguna",)
    return {"tatanan": ("katalog",), "regions": ("wilayah",), "admin": ("admin",)}.get(namespace, ())


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url: str
    icon: str
    active: bool = False


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page whose app is not routed (some tests' URL confs)
        return ""


def _region_targets(bappeda_codes: list[str], secretary_codes: list[str]) -> tuple[int | None, int | None]:
    """The pk of the latest assessment (by award year) of the first of ``bappeda_codes`` that has
    one, and of the Forum or Pokja of the first of ``secretary_codes`` that has one (the forums'
    rule: a secretary serves their region's Forum or Pokja, never its Tim Pembina); one query."""
    codes = sorted(set(bappeda_codes) | set(secretary_codes))
    if not codes:
        return None, None
    latest = Assessment.objects.filter(kabupaten=OuterRef("code")).order_by("-cycle__award_year", "-pk")
    own_body = Body.objects.filter(region=OuterRef("code"), kind__in=Body.SECRETARY_KINDS).order_by("pk")
    rows = {
        code: (assessment_pk, body_pk)
        for code, assessment_pk, body_pk in Region.objects.filter(code__in=codes)
        .annotate(assessment_pk=Subquery(latest.values("pk")[:1]), body_pk=Subquery(own_body.values("pk")[:1]))
        .values_list("code", "assessment_pk", "body_pk")
    }
    assessment_pk = next((rows[c][0] for c in bappeda_codes if c in rows and rows[c][0]), None)
    body_pk = next((rows[c][1] for c in secretary_codes if c in rows and rows[c][1]), None)
    return assessment_pk, body_pk


def _targets(keys: set[str], assignments, superuser: bool) -> dict[str, str]:
    """Where each section of the menu leads for this user."""
    bappeda_codes = [a.region_id for a in assignments if a.role == Role.BAPPEDA_ADMIN and a.region_id]
    secretary_codes = [a.region_id for a in assignments if a.role == Role.SECRETARY and a.region_id]
    assessment_pk, body_pk = _region_targets(bappeda_codes if "dossier" in keys else [], secretary_codes)
    targets = {
        "beranda": _url("dashboard"),
        "tugas": _url("indicators:todo"),
        "penilaian": _url("indicators:assessment_list"),
        "verifikasi": _url("dossiers:queue"),
        "pengguna": _url("accounts:user_list"),
        "opd": _url("accounts:opd_list"),
        "katalog": _url("tatanan:cycle_list"),
        "wilayah": _url("regions:browse"),
        "admin": _url("admin:index"),
    }
    if superuser or bappeda_codes:
        targets["lembaga"] = _url("forums:body_list")  # every body of their kabupaten
    elif body_pk is not None:
        targets["lembaga"] = _url("forums:body_detail", body_pk)  # a secretary's own body
    else:
        targets["lembaga"] = _url("forums:secretary_home")  # says their body is not set up yet
    if body_pk is not None:
        targets["kegiatan"] = _url("evidence:activity_list", body_pk)
    if "dossier" in keys:
        targets["dossier"] = (
            _url("dossiers:detail", assessment_pk) if assessment_pk else _url("indicators:assessment_list")
        )
    return targets


def menu_for(user, *, namespace: str = "", url_name: str = "") -> list[MenuItem]:
    """The menu items of ``user``, the one of the page ``namespace:url_name`` marked active."""
    if user is None or not user.is_authenticated:
        return []
    assignments = role_assignments_of(user)
    superuser = is_superuser(user)
    keys = set(SUPERUSER_SECTIONS) if superuser else {"beranda"}
    for assignment in assignments:
        keys.update(ROLE_SECTIONS.get(assignment.role, ()))
    targets = _targets(keys, assignments, superuser)
    shown = [(key, label, icon) for key, label, icon in SECTIONS if key in keys and targets.get(key)]
    shown_keys = {key for key, _label, _icon in shown}
    active = next((k for k in _sections_of_page(namespace, url_name) if k in shown_keys), None)
    return [MenuItem(key, str(label), targets[key], icon, key == active) for key, label, icon in shown]


def roles(request):
    """The role flags and the menu items for base.html (and the pages that show a link per role)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": [], "nav": {}}
    assignments = role_assignments_of(user)
    held = {a.role for a in assignments}
    match = getattr(request, "resolver_match", None)
    return {
        "user_roles": assignments,
        "nav": {
            "manage_users": can_manage_users(user),
            "bappeda": Role.BAPPEDA_ADMIN in held,
            "opd": Role.OPD_OPERATOR in held,
            "secretary": Role.SECRETARY in held,
            "verifier": bool(held & {Role.PROVINCE_VERIFIER, Role.NATIONAL_VERIFIER}),
            "superuser": user.is_superuser,
            "menu": _LazyMenu(
                user,
                namespace=(match.namespace if match else "") or "",
                url_name=(match.url_name if match else "") or "",
            ),
        },
    }


class _LazyMenu:
    """The menu, built (and its two queries made) only when a template shows it."""

    def __init__(self, user, *, namespace: str, url_name: str):
        self._args = (user, namespace, url_name)
        self._items: list[MenuItem] | None = None

    def _load(self) -> list[MenuItem]:
        if self._items is None:
            user, namespace, url_name = self._args
            self._items = menu_for(user, namespace=namespace, url_name=url_name)
        return self._items

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())

    def __bool__(self):
        return bool(self._load())

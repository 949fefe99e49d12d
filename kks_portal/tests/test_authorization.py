"""Who may open which page and API endpoint, for every route of the URL configuration.

``ROUTES`` gives every named route a rule (policy); the checks in ``authz`` play each rule
through for every persona (anonymous, rina, oscar, sari, tono, dewi, vina, wawan, nadia, root).
Objects are built in Kabupaten Serang (Banten, where the personas work) and Kabupaten Bogor
(Jawa Barat), so each scoped page is tried from inside and from outside its scope. A route
added later fails ``test_every_route_is_classified`` until it gets its line here.

Policies:
  PUBLIC         everyone, anonymous included (sign-in pages, about, health, API token/schema/docs)
  SIGNED_IN      every signed-in user; anonymous goes to the login page (API: 401). Includes
                 reference data readable everywhere by design: regions, the national catalogue
  MANAGE         Bappeda admins and the superuser; other signed-in users get 404
  SUPERUSER      the superuser alone; other signed-in users get 404
  SCOPED_OBJECT  a page/endpoint naming one object: 200 inside the object's audience, 404 outside;
                 writes outside change nothing; a child under another place's parent is 404
  SCOPED_LIST    a list whose items are scoped: each object shows for its audience and nobody else
  admin:*        Django admin, classified by namespace (``ADMIN_NAMESPACES``): the superuser only

Who reaches whose objects is written out by hand below (``READERS``, ``KABUPATEN_ADMINS`` …),
not computed with the selectors under test. Writes (``post``, ``patch``, ``delete``) are sent by
every persona: the refused ones must change nothing, the allowed ones must change something.
Bugs found and not fixed yet are listed in ``KNOWN_BUGS`` (strict xfail).
"""

from __future__ import annotations

import datetime
import itertools
from functools import partial

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import Opd, OpdFunction, Role, RoleAssignment
from accounts.tests.factories import OpdFactory, UserFactory
from dossiers.tests.authz_rules import DOSSIER_ROUTES
from dossiers.tests.authz_rules_diff import DOSSIER_DIFF_ROUTES
from dossiers.tests.authz_rules_workflow import DOSSIER_WORKFLOW_ROUTES
from evidence.tests.authz_rules_api import EVIDENCE_API_ROUTES
from evidence.tests.authz_rules_files import FILE_ROUTES
from evidence.tests.authz_rules_pages import PAGE_ROUTES
from forums.tests.authz_rules import FORUM_ROUTES
from forums.tests.authz_rules_kelembagaan import KELEMBAGAAN_ROUTES
from forums.tests.authz_rules_workplans import WORKPLAN_ROUTES
from indicators.models import Assessment, DataRequest, IndicatorEntry, KelembagaanEntry, OdfStatus, TitikPantau
from indicators.services import assessment_open
from indicators.tests.authz_rules_innovations import INNOVATION_ROUTES
from indicators.tests.authz_rules_requests import DOCUMENT_REQUEST_READERS, REQUEST_ROUTES, document_request_at
from kks_portal.tests.authz import (
    ANONYMOUS,
    EVERYONE,
    PERSONAS,
    SIGNED_IN,
    Built,
    Env,
    Listing,
    Rule,
    Write,
    check,
    everywhere,
    unclassified,
    url_routes,
)
from regions.models import Region
from regions.tests import factories as rf
from tatanan.models import Cycle, Indicator, KelembagaanItem, ScaleOption, Tatanan, TatananSet

# --- Who reaches what -------------------------------------------------------------------------

# Personas who manage users and OPDs somewhere: the Bappeda admin and the superuser.
ADMINS = frozenset({"rina", "root"})
# Objects of a kabupaten are read by its Bappeda admin and OPD operators, the verifiers of its
# province, the national verifier and the superuser. Secretaries of a kecamatan or desa work
# below the kabupaten and do not read its objects.
READERS = {
    "serang": frozenset({"rina", "oscar", "vina", "nadia", "root"}),
    "bogor": frozenset({"wawan", "nadia", "root"}),
}
# The kabupaten's own business (its users and OPDs, and running its assessment: data requests,
# field work, uploads) is for its Bappeda admin and the superuser alone.
KABUPATEN_ADMINS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}
# An indicator entry assigned to the kabupaten's Dinkes is edited by the Bappeda admin, by the
# operators of that Dinkes (oscar, in Serang) and by the superuser; verifiers only read it.
# The same people see the data request made to that Dinkes.
DINKES_WORKERS = {"serang": frozenset({"rina", "oscar", "root"}), "bogor": frozenset({"root"})}
# An entry assigned to no OPD: every reader but the OPD operator.
UNASSIGNED_ENTRY_READERS = {"serang": READERS["serang"] - {"oscar"}, "bogor": READERS["bogor"]}
# The dashboard links a Bappeda admin to the readiness dashboard of their kabupaten's assessment.
DASHBOARD_LINKED = {"serang": frozenset({"rina"}), "bogor": frozenset()}
# An OPD operator's to-do list: the entries assigned to their own OPD (Dinkes Bogor's operator
# is no persona).
TODO_OWNERS = {"serang": frozenset({"oscar"}), "bogor": frozenset()}


# --- The world the rules build on -------------------------------------------------------------


class World:
    """The two kabupaten with a Dinkes each (and an operator with an e-mail address), a tiny
    catalogue with chosen tatanan, and fresh numbers for unique names."""

    def __init__(self, *, wilayah, users):
        rf.region(("32.01.01.2001", "Cibinong"))
        self.wilayah = {**wilayah, "kecamatan_bogor": Region.objects.get(code="32.01.01")}
        self.users = users
        self.opds = {
            "serang": OpdFactory(kabupaten=wilayah["serang"], name="Dinas Kesehatan", short_name="Dinkes"),
            "bogor": OpdFactory(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes"),
        }
        operator = UserFactory(username="operator_bogor", full_name="Operator Dinkes Bogor")
        RoleAssignment.objects.create(
            user=operator, role=Role.OPD_OPERATOR, region=wilayah["bogor"], opd=self.opds["bogor"]
        )
        tatanan_set = TatananSet.objects.create(code="AUTHZ", name="Himpunan uji akses")
        self.tatanan = Tatanan.objects.create(tatanan_set=tatanan_set, code="PSR", number=1, name="Pasar Sehat")
        self.other_tatanan = Tatanan.objects.create(tatanan_set=tatanan_set, code="PDD", number=2, name="Pendidikan")
        self.cycle = Cycle.objects.create(
            award_year=2031,
            first_data_year=2029,
            last_data_year=2030,
            tatanan_set=tatanan_set,
            tatanan_selection=Cycle.TatananSelection.CHOSEN,
        )
        # Indicator 1 goes to each kabupaten's Dinkes when the assessment opens, 2 to nobody.
        for number, opd in (("1", "Dinkes"), ("2", "Disdik")):
            indicator = Indicator.objects.create(
                cycle=self.cycle, tatanan=self.tatanan, number=number, name=f"Indikator {number}", responsible_opd=opd
            )
            for order, value in enumerate((100, 0)):
                ScaleOption.objects.create(indicator=indicator, value=value, order=order, description=f"{value}")
        self.item = KelembagaanItem.objects.create(cycle=self.cycle, component="tim_pembina", item="sk")
        self.item_option = ScaleOption.objects.create(kelembagaan_item=self.item, value=100, order=0, description="SK")
        self.kecamatan = {"serang": wilayah["carenang"], "bogor": self.wilayah["kecamatan_bogor"]}
        self._numbers = itertools.count(1)
        self._assessments: dict[str, Assessment] = {}

    def kabupaten(self, place):
        return self.wilayah[place]

    def fresh(self) -> str:
        """A number for a unique name, of fixed width: "Pasar 0001" is no prefix of "Pasar 00012"."""
        return f"{next(self._numbers):04d}"

    def assessment(self, place) -> Assessment:
        if place not in self._assessments:
            self._assessments[place] = assessment_open(
                kabupaten=self.kabupaten(place), cycle=self.cycle, actor=self.users["root"], tatanan=[self.tatanan]
            )
        return self._assessments[place]


# --- Builders: one object of a kind at a place ----------------------------------------------------


def managed_user(world, place, *, active=True) -> Built:
    """A person with two roles in the kabupaten, secretary and Dinkes operator: the admin may
    revoke one (never the last), so ``role_pk`` names the operator role."""
    n = world.fresh()
    kabupaten = world.kabupaten(place)
    user = UserFactory(username=f"uji{n}", full_name=f"Pengguna {place} {n}", is_active=active)
    secretary = RoleAssignment.objects.create(user=user, role=Role.SECRETARY, region=kabupaten)
    operator = RoleAssignment.objects.create(user=user, role=Role.OPD_OPERATOR, region=kabupaten, opd=world.opds[place])
    return Built(
        {"pk": user.pk, "role_pk": operator.pk},
        rows=[user, secretary, operator],
        marker=user.full_name,
        api_id=user.pk,
        region=kabupaten,
    )


inactive_user = partial(managed_user, active=False)


def locked_user(world, place) -> Built:
    """A managed user locked out after wrong passwords: unlocking removes the attempt row."""
    built = managed_user(world, place)
    user = built.rows[0]
    attempt = AccessAttempt.objects.create(
        username=user.username,
        ip_address="203.0.113.50",
        user_agent="uji",
        http_accept="*/*",
        path_info="/akun/masuk/",
        get_data="",
        post_data="",
        failures_since_start=50,
    )
    return Built(built.kwargs, rows=[*built.rows, attempt], marker=built.marker, region=built.region)


def opd_at(world, place) -> Built:
    n = world.fresh()
    opd = Opd.objects.create(kabupaten=world.kabupaten(place), name=f"Dinas Uji {place} {n}", short_name=f"DU{n}")
    return Built({"pk": opd.pk}, rows=[opd], marker=opd.name, api_id=opd.pk, region=opd.kabupaten)


def region_at(world, place) -> Built:
    return Built({"code": world.kabupaten(place).code})


def local_indicator_at(world, place) -> Built:
    """An indicator the kabupaten added to the national catalogue: only its scope sees it."""
    n = world.fresh()
    indicator = Indicator.objects.create(
        cycle=world.cycle,
        tatanan=world.tatanan,
        number=f"L{n}",
        order=100 + int(n),
        name=f"Indikator lokal {place} {n}",
        is_local=True,
        owner_kabupaten=world.kabupaten(place),
    )
    return Built(
        {"pk": indicator.pk, "indicator_pk": indicator.pk, "award_year": world.cycle.award_year},
        rows=[indicator],
        marker=indicator.name,
        api_id=indicator.pk,
        extra={"number": indicator.number},
    )


def assessment_at(world, place) -> Built:
    assessment = world.assessment(place)
    url = reverse("indicators:assessment_detail", kwargs={"pk": assessment.pk})
    return Built({"pk": assessment.pk}, rows=[assessment], marker=f'href="{url}"', api_id=assessment.pk)


def readiness_link_at(world, place) -> Built:
    assessment = world.assessment(place)
    url = reverse("indicators:assessment_dashboard", kwargs={"pk": assessment.pk})
    return Built({"pk": assessment.pk}, marker=f'href="{url}"')


def _entry(world, place, number, opd) -> Built:
    assessment = world.assessment(place)
    entry = assessment.indicator_entries.get(indicator__number=number, indicator__is_local=False)
    IndicatorEntry.objects.filter(pk=entry.pk).update(
        value_year1="", status=IndicatorEntry.Status.KOSONG, assigned_opd=opd
    )
    url = reverse("indicators:entry_edit", kwargs={"pk": assessment.pk, "entry_pk": entry.pk})
    return Built({"pk": assessment.pk, "entry_pk": entry.pk}, rows=[entry], marker=f'href="{url}"', api_id=entry.pk)


def entry_at(world, place) -> Built:
    """Indicator 1's entry of the kabupaten's assessment, blank again and assigned to its Dinkes."""
    return _entry(world, place, "1", world.opds[place])


def unassigned_entry_at(world, place) -> Built:
    return _entry(world, place, "2", None)


def data_request_at(world, place, *, overdue=False) -> Built:
    """The data request to the kabupaten's Dinkes for indicator 1, outstanding and never reminded."""
    entry = entry_at(world, place)
    deadline = datetime.date.today() + datetime.timedelta(days=-1 if overdue else 7)
    request, _ = DataRequest.objects.update_or_create(
        assessment_id=entry.kwargs["pk"],
        opd=world.opds[place],
        kind=DataRequest.Kind.ENTRIES,  # the OPD may also have been asked for titik pantau
        defaults={"deadline": deadline, "reminder_count": 0, "last_reminded_at": None},
    )
    return Built({"pk": entry.kwargs["pk"], "opd_pk": request.opd_id}, rows=[request, *entry.rows], api_id=request.pk)


overdue_request_at = partial(data_request_at, overdue=True)


def unrequested_at(world, place) -> Built:
    """An assessment without data requests, and the entry to ask for."""
    built = entry_at(world, place)
    DataRequest.objects.filter(assessment_id=built.kwargs["pk"]).delete()
    built.extra = {"opd": world.opds[place].pk}
    return built


def titik_pantau_at(world, place) -> Built:
    assessment = world.assessment(place)
    point = TitikPantau.objects.create(
        assessment=assessment, tatanan=world.tatanan, name=f"Pasar {place} {world.fresh()}", kind="pasar"
    )
    return Built({"pk": assessment.pk, "point_pk": point.pk}, rows=[point], marker=point.name, api_id=point.pk)


def odf_at(world, place) -> Built:
    """A kecamatan of the kabupaten with no ODF status reported yet."""
    assessment = world.assessment(place)
    kecamatan = world.kecamatan[place]
    OdfStatus.objects.filter(assessment=assessment, kecamatan=kecamatan).delete()
    return Built({"pk": assessment.pk, "kecamatan": kecamatan.code}, rows=[assessment])


def kelembagaan_at(world, place) -> Built:
    assessment = world.assessment(place)
    entry = assessment.kelembagaan_entries.get()
    KelembagaanEntry.objects.filter(pk=entry.pk).update(self_score=None, note="")
    return Built({"pk": assessment.pk}, rows=[entry], extra={"entry": entry.pk})


def one_tatanan_at(world, place) -> Built:
    """The assessment with only its first tatanan chosen."""
    assessment = world.assessment(place)
    assessment.tatanan.set([world.tatanan])
    return Built({"pk": assessment.pk}, rows=[assessment])


def local_entry_at(world, place) -> Built:
    """A local indicator of the kabupaten with its (empty) entry in the assessment."""
    built = local_indicator_at(world, place)
    assessment = world.assessment(place)
    entry, _ = IndicatorEntry.objects.get_or_create(assessment=assessment, indicator_id=built.api_id)
    built.kwargs["pk"] = assessment.pk
    built.rows.append(entry)
    return built


def by_id(build):
    """The same object named by its own id, as API detail routes do (``/api/entries/<id>/``)."""

    def build_by_id(world, place) -> Built:
        built = build(world, place)
        built.kwargs = {"pk": built.api_id}
        return built

    return build_by_id


def cycle_year(world):
    return {"award_year": world.cycle.award_year}


def tatanan_page(world):
    return {"award_year": world.cycle.award_year, "code": world.tatanan.code.lower()}


# --- What writes send -------------------------------------------------------------------------------


def new_user_data(world, built):
    n = world.fresh()
    return {
        "username": f"baru{n}",
        "full_name": f"Pengguna Baru {n}",
        "email": f"baru{n}@example.org",
        "password_mode": "email",
        "role": Role.SECRETARY,
        "region_code": world.kabupaten("serang").code,
    }


def new_opd_data(world, built):
    return {"kabupaten": world.kabupaten("serang").code, "short_name": f"Baru{world.fresh()}", "name": "Dinas Baru"}


def edited_user_data(world, built):
    return {"full_name": "Nama Diubah", "email": "diubah@example.org", "phone": "0812"}


def added_role_data(world, built):
    return {"role": Role.BAPPEDA_ADMIN, "region_code": built.region.code}


def edited_opd_data(world, built):
    return {"short_name": f"Ubah{world.fresh()}", "name": "Dinas yang diubah"}


ENTRY_DATA = {"value_year1": "42", "value_year2": "", "target": "", "explanation": "", "status": "draf"}


def upload_data(world, built):
    return {"cycle": world.cycle.pk, "dry_run": "on"}  # no file: the superuser gets the form back


def requirements_review_data(world, built):
    # A merge naming no document: the superuser gets the page back with the message.
    indicator = Indicator.objects.filter(cycle=world.cycle).first()
    return {"action": "merge", "owner": f"indicator-{indicator.pk}", "description": "Gabungan"}


def next_cycle_data(world, built):
    # Each POST adds one cycle: a year of its own, after the world's cycle and within 2100.
    return {"source": world.cycle.award_year, "award_year": 2100 - int(world.fresh()) % 60}


def usulan_data(world, built):
    assessment = Assessment.objects.get(pk=built.kwargs["pk"])
    kecamatan = Region.objects.filter(level=Region.Level.KECAMATAN, parent_id=assessment.kabupaten_id)
    # Every write changes the usulan: all of the kabupaten's kecamatan, or none after that.
    wanted = [] if assessment.proposed_kecamatan.exists() else list(kecamatan.values_list("code", flat=True))
    return {"category": "", "kecamatan": wanted}


def functions_data(world, built):
    assessment = Assessment.objects.get(pk=built.kwargs["pk"])
    dinkes = Opd.objects.get(kabupaten_id=assessment.kabupaten_id, short_name="Dinkes")
    # Every write changes the map: health to Dinkes, or cleared after that.
    mapped = OpdFunction.objects.filter(kabupaten_id=assessment.kabupaten_id, function="kesehatan").exists()
    return {"fungsi_kesehatan": "" if mapped else str(dinkes.pk)}


def assign_data(world, built):
    deadline = datetime.date.today() + datetime.timedelta(days=14)
    return {"opd": built.extra["opd"], "entries": [built.kwargs["entry_pk"]], "deadline": deadline.isoformat()}


def point_data(world, built):
    return {"tatanan": world.tatanan.pk, "name": f"Pasar baru {world.fresh()}", "kind": "pasar"}


def point_api_data(world, built):
    return {"assessment": built.kwargs["pk"], "tatanan": "PSR", "name": f"Pasar API {world.fresh()}", "kind": "pasar"}


def renamed_point_data(world, built):
    return {"name": f"Pasar diubah {world.fresh()}"}


def request_api_data(world, built):
    deadline = datetime.date.today() + datetime.timedelta(days=14)
    return {
        "assessment": built.kwargs["pk"],
        "opd": built.extra["opd"],
        "entries": [built.kwargs["entry_pk"]],
        "deadline": deadline.isoformat(),
    }


ODF_COUNTS = {"save_counts": "1", "desa_total": "1", "desa_odf": "1"}


def kelembagaan_data(world, built):
    return {
        "kelembagaan-TOTAL_FORMS": "1",
        "kelembagaan-INITIAL_FORMS": "1",
        "kelembagaan-0-entry": built.extra["entry"],
        "kelembagaan-0-self_score": world.item_option.pk,
        "kelembagaan-0-note": "SK ada",
    }


def both_tatanan(world, built):
    return {"tatanan": [world.tatanan.pk, world.other_tatanan.pk]}


def new_local_indicator_data(world, built):
    return {"tatanan": world.tatanan.pk, "number": f"B{world.fresh()}", "name": "Indikator lokal baru"}


def edited_local_indicator_data(world, built):
    return {"tatanan": world.tatanan.pk, "number": built.extra["number"], "name": f"Diubah {world.fresh()}"}


# --- Policies ------------------------------------------------------------------------------------


def post(data=None, **options) -> Write:
    return Write({} if data is None else data, "POST", **options)


def patch(data, **options) -> Write:
    return Write(data, "PATCH", **{"ok": (200,), **options})


def delete(**options) -> Write:
    return Write({}, "DELETE", **{"ok": (204,), **options})


def public(**options) -> Rule:
    return Rule("PUBLIC", everywhere(EVERYONE), **options)


def signed_in(**options) -> Rule:
    return Rule("SIGNED_IN", everywhere(SIGNED_IN), **options)


def manage(**options) -> Rule:
    return Rule("MANAGE", everywhere(ADMINS), **options)


def superuser_only(**options) -> Rule:
    return Rule("SUPERUSER", everywhere({"root"}), **options)


def scoped_object(audience, build, **options) -> Rule:
    return Rule("SCOPED_OBJECT", audience, build=build, **options)


def scoped_list(*listings, openers=SIGNED_IN, **options) -> Rule:
    """A list open to ``openers`` whose items, one ``(audience, builder)`` pair per kind, show
    only for their audience."""
    return Rule("SCOPED_LIST", everywhere(openers), listings=tuple(Listing(*pair) for pair in listings), **options)


# --- The registry: every route and its rule ----------------------------------------------------

# Namespaces classified as a whole (checked by ``test_admin_site_is_for_the_superuser_only``).
ADMIN_NAMESPACES = {"admin"}

ROUTES: dict[str, Rule] = {
    # kks_portal
    "dashboard": scoped_list((DASHBOARD_LINKED, readiness_link_at)),
    "about": public(),
    "health": public(),
    "set_language": public(get_ok=None, writes=[post({"language": "id", "next": "/"}, changes=False)]),
    # accounts: signing in (Django's views)
    "login": public(get_ok=(302,), anonymous_ok=(200,)),  # signed in: straight on to the dashboard
    "logout": public(get_ok=None, writes=[post(changes=False)]),
    "password_change": signed_in(),
    "password_change_done": signed_in(),
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(args=lambda world: {"uidb64": "MQ", "token": "tautan-kedaluwarsa"}),
    "password_reset_complete": public(),
    # accounts: managing users and OPDs
    "accounts:user_list": scoped_list((KABUPATEN_ADMINS, managed_user), openers=ADMINS),
    "accounts:user_create": manage(writes=[post(new_user_data)]),
    "accounts:user_detail": scoped_object(KABUPATEN_ADMINS, managed_user),
    "accounts:user_edit": scoped_object(KABUPATEN_ADMINS, managed_user, writes=[post(edited_user_data)]),
    "accounts:user_deactivate": scoped_object(KABUPATEN_ADMINS, managed_user, get_ok=None, writes=[post()]),
    "accounts:user_activate": scoped_object(KABUPATEN_ADMINS, inactive_user, get_ok=None, writes=[post()]),
    "accounts:user_unlock": scoped_object(KABUPATEN_ADMINS, locked_user, get_ok=None, writes=[post()]),
    "accounts:user_password_email": scoped_object(KABUPATEN_ADMINS, managed_user, get_ok=None, writes=[post()]),
    "accounts:role_add": scoped_object(KABUPATEN_ADMINS, managed_user, writes=[post(added_role_data)]),
    "accounts:role_remove": scoped_object(KABUPATEN_ADMINS, managed_user, writes=[post()]),
    "accounts:opd_list": scoped_list((KABUPATEN_ADMINS, opd_at), openers=ADMINS),
    "accounts:opd_create": manage(writes=[post(new_opd_data)]),
    "accounts:opd_edit": scoped_object(KABUPATEN_ADMINS, opd_at, writes=[post(edited_opd_data)]),
    # regions: the Kemendagri list is public reference data, the same for every signed-in user
    "regions:browse": signed_in(),
    "regions:detail": signed_in(build=region_at),
    # tatanan: the national catalogue is for everyone; local indicators are scoped
    "tatanan:cycle_list": signed_in(),
    "tatanan:instrument_upload": superuser_only(writes=[post(upload_data, ok=(200,), changes=False)]),
    "tatanan:cycle_next": superuser_only(writes=[post(next_cycle_data)]),
    "tatanan:cycle_detail": signed_in(args=cycle_year),
    "tatanan:kelembagaan": signed_in(args=cycle_year),
    "tatanan:requirements_review": superuser_only(
        args=cycle_year, writes=[post(requirements_review_data, ok=(200,), changes=False)]
    ),
    "tatanan:tatanan_detail": scoped_list((READERS, local_indicator_at), args=tatanan_page),
    "tatanan:local_list": scoped_list((READERS, local_indicator_at), args=cycle_year),
    "tatanan:local_edit": scoped_object(
        KABUPATEN_ADMINS, local_indicator_at, writes=[post(edited_local_indicator_data)]
    ),
    "tatanan:local_delete": scoped_object(KABUPATEN_ADMINS, local_indicator_at, writes=[post()]),
    # indicators: assessments and entries (opening one by POST on the list:
    # test_only_a_kabupaten_admin_opens_its_assessment)
    "indicators:assessment_list": scoped_list((READERS, assessment_at)),
    "indicators:assessment_detail": scoped_object(READERS, assessment_at),
    "indicators:entry_edit": scoped_object(DINKES_WORKERS, entry_at, writes=[post(ENTRY_DATA)]),
    # indicators: data requests
    "indicators:todo": scoped_list((TODO_OWNERS, entry_at)),
    "indicators:entry_mark_done": scoped_object(DINKES_WORKERS, entry_at, get_ok=None, writes=[post()]),
    "indicators:request_outstanding": scoped_object(KABUPATEN_ADMINS, assessment_at),
    "indicators:request_assign": scoped_object(KABUPATEN_ADMINS, unrequested_at, writes=[post(assign_data)]),
    "indicators:opd_functions": scoped_object(KABUPATEN_ADMINS, assessment_at, writes=[post(functions_data)]),
    "indicators:request_remind_overdue": scoped_object(
        KABUPATEN_ADMINS, overdue_request_at, get_ok=None, writes=[post()]
    ),
    "indicators:request_remind": scoped_object(KABUPATEN_ADMINS, data_request_at, get_ok=None, writes=[post()]),
    "indicators:assessment_dashboard": scoped_object(KABUPATEN_ADMINS, assessment_at),
    # indicators: Excel (whoever reads downloads; only the kabupaten's admin uploads)
    "indicators:assessment_export": scoped_object(READERS, assessment_at),
    "indicators:assessment_file_open": manage(writes=[post(ok=(200,), changes=False)]),
    "indicators:assessment_import": scoped_object(
        KABUPATEN_ADMINS, assessment_at, writes=[post(ok=(200,), changes=False)]
    ),
    # indicators: field work (titik pantau are read by every reader; the rest is the admin's)
    "indicators:titik_pantau_list": scoped_object(READERS, assessment_at),
    "indicators:titik_pantau_create": scoped_object(KABUPATEN_ADMINS, assessment_at, writes=[post(point_data)]),
    "indicators:titik_pantau_edit": scoped_object(KABUPATEN_ADMINS, titik_pantau_at, writes=[post(point_data)]),
    "indicators:titik_pantau_delete": scoped_object(KABUPATEN_ADMINS, titik_pantau_at, writes=[post()]),
    "indicators:odf_overview": scoped_object(KABUPATEN_ADMINS, assessment_at),
    "indicators:odf_edit": scoped_object(KABUPATEN_ADMINS, odf_at, writes=[post(ODF_COUNTS)]),
    "indicators:kelembagaan_edit": scoped_object(KABUPATEN_ADMINS, kelembagaan_at, writes=[post(kelembagaan_data)]),
    "indicators:tatanan_choose": scoped_object(KABUPATEN_ADMINS, one_tatanan_at, writes=[post(both_tatanan)]),
    "indicators:usulan_edit": scoped_object(KABUPATEN_ADMINS, assessment_at, writes=[post(usulan_data)]),
    "indicators:local_indicator_list": scoped_object(
        KABUPATEN_ADMINS, assessment_at, writes=[post(new_local_indicator_data)]
    ),
    "indicators:local_indicator_edit": scoped_object(
        KABUPATEN_ADMINS, local_entry_at, writes=[post(edited_local_indicator_data)]
    ),
    "indicators:local_indicator_delete": scoped_object(KABUPATEN_ADMINS, local_entry_at, writes=[post()]),
    # API
    "api-token": public(get_ok=None, writes=[post(ok=(400,), changes=False)]),  # the one anonymous door
    "api-me": signed_in(),
    "api-schema": public(personas=(ANONYMOUS, "dewi", "root")),  # the same schema for all, half a second each
    "api-docs": public(),
    "region-list": signed_in(),
    "region-detail": signed_in(build=region_at),
    "user-list": scoped_list((KABUPATEN_ADMINS, managed_user)),  # anyone else: an empty list
    "user-detail": scoped_object(KABUPATEN_ADMINS, by_id(managed_user)),
    "opd-list": scoped_list((READERS, opd_at)),
    "opd-detail": scoped_object(READERS, opd_at),
    "cycle-list": signed_in(),
    "cycle-detail": signed_in(args=cycle_year),
    "tatanan-list": signed_in(),
    "tatanan-detail": signed_in(args=lambda world: {"pk": world.tatanan.pk}),
    "indicator-list": scoped_list((READERS, local_indicator_at)),
    "indicator-detail": scoped_object(READERS, by_id(local_indicator_at)),
    "kelembagaan-item-list": signed_in(),
    "kelembagaan-item-detail": signed_in(args=lambda world: {"pk": world.item.pk}),
    # (opening an assessment by POST: test_only_a_kabupaten_admin_opens_its_assessment)
    "assessment-list": scoped_list((READERS, assessment_at)),
    "assessment-detail": scoped_object(READERS, assessment_at),
    "assessment-score": scoped_object(READERS, assessment_at),
    # The Excel workbook: readers download it; a JSON body instead of a multipart upload is the admin's 415
    # (the import itself is tested in indicators/tests/test_api.py), everyone else's 404.
    "assessment-workbook": scoped_object(
        READERS, assessment_at, writes=[post(writers=KABUPATEN_ADMINS, ok=(415,), changes=False)]
    ),
    "entry-list": scoped_list((READERS, entry_at), (UNASSIGNED_ENTRY_READERS, unassigned_entry_at)),
    "entry-detail": scoped_object(
        READERS, by_id(entry_at), writes=[patch({"value_year1": "42"}, writers=DINKES_WORKERS)]
    ),
    "titik-pantau-list": scoped_list(
        (READERS, titik_pantau_at),
        writes=[post(point_api_data, build=assessment_at, writers=KABUPATEN_ADMINS, ok=(201,))],
    ),
    "titik-pantau-detail": scoped_object(
        READERS,
        by_id(titik_pantau_at),
        writes=[
            patch(renamed_point_data, writers=KABUPATEN_ADMINS),
            delete(writers=KABUPATEN_ADMINS),
        ],
    ),
    # Field work under an assessment: its readers read, its Bappeda admin writes (other readers 404)
    "assessment-odf": scoped_object(READERS, assessment_at),
    "assessment-odf-kecamatan": scoped_object(
        READERS,
        odf_at,
        writes=[
            Write(
                {"desa_total": 1, "desa_odf": 1},
                "PUT",
                ok=(200,),
                writers=KABUPATEN_ADMINS,
            )
        ],
    ),
    "assessment-kelembagaan": scoped_object(
        READERS,
        kelembagaan_at,
        writes=[
            patch(
                lambda world, built: {"entries": [{"id": built.extra["entry"], "self_score": world.item_option.pk}]},
                writers=KABUPATEN_ADMINS,
            )
        ],
    ),
    "assessment-tatanan": scoped_object(
        READERS,
        one_tatanan_at,
        writes=[Write({"tatanan": ["PSR", "PDD"]}, "PUT", ok=(200,), writers=KABUPATEN_ADMINS)],
    ),
    "assessment-usulan": scoped_object(
        READERS, assessment_at, writes=[Write(usulan_data, "PUT", ok=(200,), writers=KABUPATEN_ADMINS)]
    ),
    "assessment-local-indicators": scoped_object(
        READERS,
        assessment_at,
        writes=[
            post(
                lambda world, built: {"tatanan": "PSR", "number": f"A{world.fresh()}", "name": "Indikator lokal API"},
                writers=KABUPATEN_ADMINS,
                ok=(201,),
            )
        ],
    ),
    "assessment-local-indicator": scoped_object(
        READERS,
        local_entry_at,
        writes=[
            patch(
                lambda world, built: {"name": f"Diubah API {world.fresh()}"},
                writers=KABUPATEN_ADMINS,
            ),
            delete(writers=KABUPATEN_ADMINS),
        ],
    ),
    "data-request-list": scoped_list(
        (DINKES_WORKERS, data_request_at),
        (DOCUMENT_REQUEST_READERS, document_request_at),
        writes=[post(request_api_data, build=unrequested_at, writers=KABUPATEN_ADMINS, ok=(201,))],
    ),
    "data-request-detail": scoped_object(DINKES_WORKERS, by_id(data_request_at)),
    "data-request-remind": scoped_object(
        KABUPATEN_ADMINS, by_id(data_request_at), get_ok=None, writes=[post(ok=(202,))]
    ),
}


# The forum app keeps its rules beside its code (builders need its models).
ROUTES.update(FORUM_ROUTES)
ROUTES.update(KELEMBAGAAN_ROUTES)
ROUTES.update(WORKPLAN_ROUTES)
ROUTES.update(DOSSIER_ROUTES)
ROUTES.update(DOSSIER_WORKFLOW_ROUTES)
ROUTES.update(DOSSIER_DIFF_ROUTES)
ROUTES.update(FILE_ROUTES)
ROUTES.update(EVIDENCE_API_ROUTES)
ROUTES.update(PAGE_ROUTES)
ROUTES.update(INNOVATION_ROUTES)
ROUTES.update(REQUEST_ROUTES)


# Real bugs this test found that are not fixed yet: (route, persona) → what goes wrong. The
# policy tests leave these cases out; test_known_bug expects each to fail (strict xfail), so a
# fix makes it pass and asks for the line to go.
KNOWN_BUGS: dict = {}


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Writes that upload (SK scans, secretariat photos) land in a throw-away folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def env(wilayah, personas, mailoutbox):
    users = {ANONYMOUS: None, **personas}
    assert set(users) == set(PERSONAS)
    return Env(world=World(wilayah=wilayah, users=users), users=users)


def route_named(key):
    return next(route for route in url_routes() if route.key == key)


# --- Tests -----------------------------------------------------------------------------------------


def test_every_route_is_classified():
    problems = list(unclassified(url_routes(), ROUTES, ADMIN_NAMESPACES))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("policy", sorted({rule.policy for rule in ROUTES.values()}))
def test_routes_follow_their_policy(env, policy):
    failures = []
    for route in url_routes():
        rule = ROUTES.get(route.key)
        if rule is not None and rule.policy == policy:
            failures.extend(f for f in check(env, route, rule) if (f.route, f.persona) not in KNOWN_BUGS)
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(map(str, failures))


@pytest.mark.parametrize(
    ("key", "persona"),
    [pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=reason)) for case, reason in KNOWN_BUGS.items()],
)
def test_known_bug(env, key, persona):
    failures = [f for f in check(env, route_named(key), ROUTES[key]) if f.persona == persona]
    assert not failures, "\n".join(map(str, failures))


def test_admin_site_is_for_the_superuser_only(env):
    """Every admin route is classified by its namespace; a few representative ones are tried:
    the superuser gets in, everyone else (none of the personas is staff) is sent to the admin's
    login page."""
    assert any(route.namespace == "admin" for route in url_routes())
    assessment = env.world.assessment("serang")
    urls = [
        reverse("admin:index"),
        reverse("admin:accounts_user_changelist"),
        reverse("admin:indicators_assessment_change", args=[assessment.pk]),
    ]
    failures = []
    for persona in PERSONAS:
        for url in urls:
            response = env.client(persona).get(url)
            location = response.headers.get("Location", "")
            if persona == "root":
                ok = response.status_code == 200
            else:
                ok = response.status_code == 302 and location.startswith(reverse("admin:login") + "?next=")
            if not ok:
                failures.append(f"admin as {persona}: GET {url} got {response.status_code} {location}")
    assert not failures, "\n".join(failures)


# Opening an assessment is a POST on the lists, web and API, that the registry cannot express:
# who may depends on the kabupaten in the data. Here: Kabupaten Bogor. Only the superuser opens
# it. On the page anyone else but a Bappeda admin finds no page (404) and rina, Bappeda admin
# of Serang, is told no by the form. The API answers 404 to everyone else, also to wawan and
# nadia, who read Bogor but administer nothing there (``accounts.access``).
OPEN_EXPECTED = {
    "web": {ANONYMOUS: 302, "rina": 200, "root": 302},
    "api": {ANONYMOUS: 401, "root": 201},
}


@pytest.mark.parametrize("kind", ["web", "api"])
def test_only_a_kabupaten_admin_opens_its_assessment(env, kind):
    world = env.world
    bogor = Assessment.objects.filter(kabupaten=world.kabupaten("bogor"))
    if kind == "web":
        url = reverse("indicators:assessment_list")
        data = {
            "kabupaten": world.kabupaten("bogor").code,
            "cycle": world.cycle.award_year,
            "tatanan": [world.tatanan.pk],
        }
    else:
        url = reverse("assessment-list")
        data = {"kabupaten": world.kabupaten("bogor").code, "cycle": world.cycle.award_year, "tatanan": ["PSR"]}
    failures = []
    for persona in PERSONAS:  # root comes last: nobody before may have opened it
        client = env.client(persona)
        response = client.post(url, data) if kind == "web" else client.post(url, data, content_type="application/json")
        expected = OPEN_EXPECTED[kind].get(persona, 404)
        opened = bogor.exists()
        if response.status_code != expected or opened != (persona == "root"):
            failures.append(
                f"{kind} as {persona}: POST {url} expected {expected} and {'an' if persona == 'root' else 'no'} "
                f"assessment, got {response.status_code} and {'an' if opened else 'no'} assessment"
            )
    assert not failures, "\n".join(failures)


def test_the_check_reports_a_leak(env, monkeypatch):
    """A test that cannot fail is a defect: with the scope taken off the assessment pages, the
    check must complain about both the detail page and the list."""
    import indicators.views

    monkeypatch.setattr(indicators.views, "assessment_for", lambda user, pk: Assessment.objects.get(pk=pk))
    monkeypatch.setattr(indicators.views, "assessments_visible_to", lambda user: Assessment.objects.all())
    detail = check(env, route_named("indicators:assessment_detail"), ROUTES["indicators:assessment_detail"])
    listing = check(env, route_named("indicators:assessment_list"), ROUTES["indicators:assessment_list"])
    assert any("as wawan: GET" in str(f) and "expected 404, got 200" in str(f) for f in detail), detail
    assert any("as wawan: GET" in str(f) and "serang object" in str(f) for f in listing), listing

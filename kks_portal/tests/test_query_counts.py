"""The number of queries of every page and GET endpoint does not grow with the rows it shows
(issue 14 item 4; docs/PERFORMANCE.md).

The routes are found, not listed: every route of the authorization registry
(``test_authorization.ROUTES``) that answers GET with 200 is opened with the object its rule
builds in Kabupaten Serang (the registry's builders and world), by the readers ``personas_for``
picks: the most local one (the secretary of Carenang for her Forum's pages, the Bappeda admin of
Serang for the kabupaten's, the Dinkes operator for his to-do list); for a list also the Bappeda
admin and the widest reader (the national verifier; the superuser for the superuser's pages;
anonymous for public ones); the OPD operator where he reads the assessment narrowed to his OPD;
the province and national verifiers on a dossier's pages. ``EVERY_READER`` and ``VARIANTS`` add
readers and queries (a layer, a filter, a fragment) where a page differs by them. Downloads count
too, their streamed body read inside the count.

Each is counted once with one of everything that grows (``grow(world, 1)``: a page that skips a
query for an empty list is not compared from nothing), then the world grows by three more of
everything (``grow(world, 3)``) and each is counted again: the counts must be equal. What
grows: activities of the bodies the routes name (through ``activity_create``, held with partner
bodies, a notulen and a photo each, one removed; one more in a data year); files on every owner
the routes name (activities, bodies, requirements of each data year, titik pantau, visits): a
chain of replacements through the upload service, photos with their derivatives, a removed
file, and older versions of the files the routes name; members, SKs, work plans (draft,
submitted, approved) with items, pembinaan visits; users (also locked out), OPDs with an
operator asked for entries and titik pantau, local indicators with their entries, requirements
and files; titik pantau, innovations, kelembagaan document requests; new kecamatan and desa with
their bodies; dossier comments, other kabupaten's dossiers in the verifiers' queues, and a
dossier version whose manifest holds every file, so that the comparison of versions follows the
replacements made since.

The routes the registry says answer no GET (``get_ok=None``: POST-only) must answer 405 to one
who may write. What answers GET and is not measured (redirects) is listed in ``SKIPPED`` with
its reason; a route in neither fails ``test_every_get_route_is_measured_or_skipped``. Not
``pass_independent``: the queries are the database's, so it runs on SQLite and on PostgreSQL.

A page whose count grows is an N+1 to fix at its root; one that cannot be fixed yet goes in
``KNOWN_N_PLUS_ONE`` with where it is (strict xfail: the fix makes it pass and asks for the line
to go).
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Max, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from accounts.tests.factories import UserFactory
from dossiers.diff.compare import dossier_snapshot
from dossiers.models import Dossier, DossierComment, DossierVersion
from dossiers.renderer.chapters import evidence_item, manifest_entry
from dossiers.tests.authz_rules_workflow import approved_at, submitted_at
from dossiers.tests.workflow_fixtures import PLAN
from evidence.models import Activity, EvidenceFile, FileType
from evidence.photos import process_blob
from evidence.selectors import Owner, live, requirement_years
from evidence.services import activity_create, activity_remove, activity_tatanan_choices
from evidence.tests.blobs import PDF_BYTES, store_blob
from evidence.tests.factories import ActivityFactory
from evidence.uploads import attach_upload, evidence_remove
from forums.models import Body, PembinaanVisit, WorkPlan, WorkPlanItem
from forums.services import body_bulk_setup, decree_add, member_create, member_set_active, tatanan_for_members
from forums.tests.authz_rules_workplans import plan_at, submitted_plan_at, visit_at
from forums.tests.factories import jpeg_bytes, pdf_bytes
from indicators.models import Innovation, OdfStatus, TitikPantau
from indicators.requests.services import data_request_assign, data_request_documents, data_request_titik_pantau
from indicators.tests.authz_rules_innovations import innovation_at
from kks_portal.tests.authz import ANONYMOUS, PERSONAS, Checker, Env, url_routes
from kks_portal.tests.test_authorization import (
    ADMIN_NAMESPACES,
    ROUTES,
    World,
    local_entry_at,
    locked_user,
    managed_user,
    opd_at,
    titik_pantau_at,
)
from regions.models import Region
from regions.tests.factories import DesaFactory, KecamatanFactory, RegionFactory
from tatanan.models import EvidenceRequirement, Indicator

PLACE = "serang"
# The most local reader of a route is measured (the secretary of Carenang for her Forum's pages,
# the Bappeda admin of Serang for the kabupaten's, the Dinkes operator for his to-do list); a
# list also as the Bappeda admin (the whole kabupaten's rows) and as the widest reader (the
# national verifier; the superuser where only they read; anonymous for public pages); the OPD
# operator where his reading is narrowed to his OPD, the verifiers on a dossier's pages.
LOCAL = ("sari", "rina", "oscar", "dewi", "vina")
WIDE = ("nadia", "root", ANONYMOUS)
# Routes whose page differs by role beyond scope: these readers.
EVERY_READER = {
    "dashboard": ("rina", "oscar", "sari", "dewi", "vina", "nadia", "root"),
    "forums:secretary_home": ("sari", "dewi"),
    # The same schema for everyone, built from the code (half a second a GET): once.
    "api-schema": (ANONYMOUS,),
}

# Variants of a page with another query (a filter, a layer, a fragment), measured as well:
# strings, or functions of the world and the route's URL parameters.
VARIANTS = {
    "indicators:assessment_detail": ("?lapisan=provincial", "?lapisan=national"),
    "evidence:activity_detail": ("?bagian=berkas",),
    "evidence:body_files": ("?bagian=berkas",),
    "evidence:readiness": ("?kurang=1",),
    "evidence:assessment_evidence": ("?tatanan=PSR",),
    "forums:kelembagaan_table": ("?kurang=1",),
    "forums:kelembagaan_request": ("?kurang=1",),
    "dossiers:review": ("?tatanan=PSR", "?tatanan=bab"),
    "indicators:request_assign": (lambda world, kwargs: f"?opd={world.opds[PLACE].pk}",),
    "body-files": ("?all=true",),
    "activity-files": ("?all=true",),
    "requirement-files": ("?all=true",),
    "titik-pantau-files": ("?all=true",),
    "pembinaan-files": ("?all=true",),
}

# Routes that answer GET but are not measured, and why. (admin:* is left out as a namespace:
# Django's own admin.)
SKIPPED = {
    # Redirects: a GET only sends the reader on to a page that is measured.
    "set_language": "Django's language switch: a GET only redirects back (the choice is a POST)",
    "forums:home": "a redirect to the reader's body or the bodies list",
    "forums:kelembagaan_start": "a redirect to the kabupaten's kelembagaan table",
    "evidence:body_upload": "a GET redirects to the owner's files page (the upload is a POST)",
    "evidence:activity_upload": "a GET redirects to the owner's files page (the upload is a POST)",
    "evidence:requirement_upload": "a GET redirects to the owner's files page (the upload is a POST)",
    "evidence:titik_pantau_upload": "a GET redirects to the owner's files page (the upload is a POST)",
    "evidence:pembinaan_upload": "a GET redirects to the owner's files page (the upload is a POST)",
}

# Pages whose count still grows with rows, with where the N+1 is (strict xfail).
KNOWN_N_PLUS_ONE: dict[tuple[str, str], str] = {}


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Builders and uploads store their files in a throw-away folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def env(wilayah, personas, mailoutbox):
    users = {ANONYMOUS: None, **personas}
    assert set(users) == set(PERSONAS)
    return Env(world=World(wilayah=wilayah, users=users), users=users)


# --- Which routes, as whom ----------------------------------------------------------------------


def _gets_page(rule, persona) -> bool:
    """Does ``persona`` get the page (200) under ``rule`` at PLACE?"""
    if persona not in rule.audience[PLACE] or rule.get_ok is None:
        return False
    ok = rule.anonymous_ok if persona == ANONYMOUS and rule.anonymous_ok is not None else rule.get_ok
    return 200 in ok


def personas_for(key, rule) -> list[str]:
    """Who the route is measured as: see ``LOCAL``, ``WIDE`` and ``EVERY_READER``."""
    readers = [p for p in PERSONAS if _gets_page(rule, p)]
    if key in EVERY_READER:
        return [p for p in EVERY_READER[key] if p in readers]
    # A list is measured as someone its items show for (the Dinkes operator's to-do list).
    listed = set().union(*(listing.audience[PLACE] for listing in rule.listings)) if rule.listings else set(readers)
    local = next((p for p in LOCAL if p in readers and p in listed), None)
    local = local or next((p for p in LOCAL if p in readers), None)
    # The widest reader for a list (the whole country's rows), a dossier (the centre's steps) and
    # what no local persona reads; an object's page shows the same rows to every reader.
    dossier = key.startswith(("dossiers:", "dossier-"))
    wide = next((p for p in WIDE if p in readers), None) if rule.listings or dossier or not local else None
    bappeda = "rina" if rule.listings and "rina" in readers else None
    # An OPD operator reads the assessment narrowed to the entries of his OPD (``accounts.access``),
    # not the bodies (the secretary's pages, where he reads what Bappeda reads); a province
    # verifier scores a dossier.
    if rule.listings:  # items of the assessment (his), not of a body (the secretary's too)
        narrowed = any("oscar" in item.audience[PLACE] and "sari" not in item.audience[PLACE] for item in rule.listings)
    else:
        narrowed = "sari" not in readers
    operator = "oscar" if "oscar" in readers and narrowed else None
    verifier = "vina" if "vina" in readers and dossier else None
    return [p for p in dict.fromkeys((local, bappeda, operator, verifier, wide)) if p is not None]


def measured_routes():
    """(route, rule, personas) of every route measured."""
    for route in url_routes():
        rule = ROUTES.get(route.key)
        if route.namespace in ADMIN_NAMESPACES or rule is None or route.key in SKIPPED:
            continue
        personas = personas_for(route.key, rule)
        if personas:
            yield route, rule, personas


# --- Growing the world --------------------------------------------------------------------------

_numbers = itertools.count(1)


def furnish(world) -> None:
    """What stays as it is while the world grows: requirements of the world's two national
    indicators (one for each data year, one without year) and of its kelembagaan item, the
    bodies of every region of Serang (``body_bulk_setup``), Dinkes asked for titik pantau; then
    the first file of every owner the routes name and a dossier version holding them."""
    for indicator in Indicator.objects.filter(cycle=world.cycle, is_local=False):
        for scope in (EvidenceRequirement.YearScope.EACH, EvidenceRequirement.YearScope.NONE):
            EvidenceRequirement.objects.create(indicator=indicator, description=f"Laporan {scope}", year_scope=scope)
    EvidenceRequirement.objects.create(kelembagaan_item=world.item, description="SK tim pembina")
    body_bulk_setup(kabupaten=world.kabupaten(PLACE), actor=world.users["root"])
    # Dinkes (oscar) is asked for titik pantau: he may change some of those listed.
    data_request_titik_pantau(
        assessment=world.assessment(PLACE),
        opd=world.opds[PLACE],
        tatanan=[world.tatanan],
        deadline=datetime.date.today() + datetime.timedelta(days=30),
        actor=world.users["root"],
    )
    world.heads = {owner: _upload(world, owner, _document_kind(owner)) for owner in _named_owners(world)}
    _snapshot_version(world)


def _actor(world):
    """Uploads and removals are by the kabupaten's people in turn (the pages name them)."""
    return world.users[("rina", "sari", "root")[next(_numbers) % 3]]


def _upload(world, owner: Owner, kind: str, *, replaces=None) -> EvidenceFile:
    """A new file of ``owner`` through the upload service: a photo (its derivatives made, as the
    worker does) for ``foto``, a PDF for any other kind."""
    n = next(_numbers)
    if kind == EvidenceFile.Kind.FOTO:
        upload = SimpleUploadedFile(f"foto-{n}.jpg", jpeg_bytes(colour=(n % 256, n // 256 % 256, 90)), "image/jpeg")
    else:
        upload = SimpleUploadedFile(f"{kind}-{n}.pdf", pdf_bytes(f"{kind} {n}"), "application/pdf")
    evidence = attach_upload(owner=owner, upload=upload, kind=kind, actor=_actor(world), replaces=replaces).evidence
    if evidence.blob.is_image:
        process_blob(evidence.blob_id)
    return evidence


def _files(world, owner: Owner, n: int) -> None:
    """The owner's file replaced ``n`` more times (its chain of versions grows: the dossier's
    comparison follows the replacements since the last version), ``n`` photos where the owner
    takes them, and one more file removed."""
    current = world.heads.get(owner) or _upload(world, owner, _document_kind(owner))
    for _ in range(n):
        current = _upload(world, owner, current.kind, replaces=current)
    world.heads[owner] = current
    if EvidenceFile.Kind.FOTO in owner.evidence_kinds:
        for _ in range(n):
            _upload(world, owner, EvidenceFile.Kind.FOTO)
    evidence_remove(evidence=_upload(world, owner, "lainnya"), actor=_actor(world))


def _document_kind(owner: Owner) -> str:
    return next(k for k in ("notulen", "sk", "laporan") if k in owner.evidence_kinds)


def _older_versions(world, evidence: EvidenceFile, n: int) -> None:
    """``n`` more earlier versions of a file a route names (its history, oldest end). The upload
    service only replaces the newest file, so these are rows as it leaves them."""
    oldest = evidence
    while (previous := EvidenceFile.objects.filter(replaced_by=oldest).first()) is not None:
        oldest = previous
    for _ in range(n):
        blob = store_blob(evidence.blob.kabupaten, PDF_BYTES + f"versi {next(_numbers)}".encode(), FileType.PDF)
        oldest = EvidenceFile.objects.create(
            blob=blob,
            kind=evidence.kind,
            original_name=f"versi-lama-{next(_numbers)}.pdf",
            region=evidence.region,
            uploaded_by=_actor(world),
            replaced_by=oldest,
            replaced_at=timezone.now(),
            **{field: getattr(evidence, field) for field in Owner.of(evidence).kind.fields},
        )


def _named(world) -> dict:
    """What the routes name, as it was before the world grew: those get their files' chains
    (the rest of what grows gets a file or two each, which is what a list shows of a row)."""
    if not hasattr(world, "named"):
        serang = _in_serang(world)
        assessment = world.assessment(PLACE)
        world.named = {
            "activities": list(Activity.objects.filter(body__region__code__startswith=serang, deleted_at=None)),
            "bodies": list(
                Body.objects.filter(
                    Q(region__code=serang) | Q(region=world.kecamatan[PLACE]) | Q(region__parent=world.kecamatan[PLACE])
                )
            ),
            "points": list(TitikPantau.objects.filter(assessment=assessment)),
            "visits": list(PembinaanVisit.objects.filter(target_region__code__startswith=serang)),
            "files": list(live(EvidenceFile.objects.filter(region__code__startswith=serang))),
        }
    return world.named


def _in_serang(world) -> str:
    return world.kabupaten(PLACE).code


def _new_regions(world, n: int) -> None:
    """``n`` more kecamatan of Serang (with their ODF counts) and desa of Carenang (declared ODF),
    and their bodies."""
    serang = world.kabupaten(PLACE)
    assessment = world.assessment(PLACE)
    for _ in range(n):
        kecamatan = _new_region(KecamatanFactory, serang)
        OdfStatus.objects.create(assessment=assessment, kecamatan=kecamatan, desa_total=4, desa_odf=1)
        desa = _new_region(DesaFactory, world.kecamatan[PLACE])
        OdfStatus.objects.create(assessment=assessment, kecamatan=world.kecamatan[PLACE], desa=desa, declared_odf=True)
    body_bulk_setup(kabupaten=serang, actor=world.users["root"])


def _new_region(factory, parent) -> Region:
    """A real region of ``parent`` that was not there yet (the factories give back one that is)."""
    there = set(Region.objects.filter(parent=parent).values_list("code", flat=True))
    return next(region for region in (factory(parent=parent) for _ in range(100)) if region.code not in there)


def _activities(world, n: int) -> None:
    """``n`` activities of each body the routes name (through the service, held with two partner
    bodies, a notulen and a photo each; one more on the cycle's first data year, as the factory
    makes them), and one of them removed."""
    root = world.users["root"]
    bodies = _named(world)["bodies"]
    tatanan = list(activity_tatanan_choices()[:1])
    indicators = list(Indicator.objects.filter(cycle=world.cycle, is_local=False))
    for index, body in enumerate(bodies):
        partners = [bodies[(index + step) % len(bodies)] for step in (1, 2)]
        partners = [p for p in partners if p != body]
        made = []
        for day in range(n):
            activity = activity_create(
                body=body,
                actor=root,
                title=f"Rapat koordinasi {next(_numbers)}",
                date=datetime.date(2025, 3, 1 + day),
                place="Aula kecamatan",
                tatanan=tatanan,
                partner_bodies=partners,
                participant_count=20,
            )
            activity.tatanan.add(world.tatanan)
            activity.indicators.add(*indicators)
            Activity.objects.filter(pk=activity.pk).update(
                work_plan_item=WorkPlanItem.objects.filter(work_plan__body=body).first()
            )
            made.append(activity)
        in_data_year = ActivityFactory(body=body, date=datetime.date(world.cycle.first_data_year, 2, 1))
        in_data_year.partner_bodies.add(*partners)
        made.append(in_data_year)
        for activity in made:
            _upload(world, Owner(activity=activity), "notulen")
            _upload(world, Owner(activity=activity), "foto")
        activity_remove(activity=made[0], actor=root)


def _named_owners(world) -> list[Owner]:
    """Every owner of files the routes name: activities, bodies, titik pantau, visits, and the
    assessment's requirements of each year they ask for."""
    named = _named(world)
    assessment = world.assessment(PLACE)
    owners = [Owner(activity=a) for a in named["activities"]]
    owners += [Owner(body=b) for b in named["bodies"]]
    owners += [Owner(titik_pantau=p) for p in named["points"]]
    owners += [Owner(pembinaan_visit=v) for v in named["visits"]]
    requirements = EvidenceRequirement.objects.filter(
        Q(indicator__cycle=world.cycle) | Q(kelembagaan_item__cycle=world.cycle)
    ).select_related("indicator")
    for requirement in requirements:
        if requirement.indicator and requirement.indicator.owner_kabupaten_id not in (None, _in_serang(world)):
            continue
        for year in requirement_years(requirement, assessment):
            owners.append(Owner(requirement=requirement, assessment=assessment, data_year=year))
    return owners


def _files_on_named_owners(world, n: int) -> None:
    """Files (see ``_files``) on every owner the routes name, and older versions of every file
    the routes name."""
    for owner in _named_owners(world):
        _files(world, owner, n)
    for evidence in _named(world)["files"]:
        _older_versions(world, evidence, n)


MANIFEST_OWNERS = {
    "requirement": "syarat",
    "activity": "kegiatan",
    "body": "lembaga",
    "pembinaan_visit": "pembinaan",
    "titik_pantau": "titik_pantau",
}


def _snapshot_version(world) -> None:
    """A submitted version of Serang's dossier whose manifest lists the current files with the
    snapshot for comparisons, as a compile writes them: the comparison with the version before
    it finds the files replaced since (``dossiers.diff``)."""
    assessment = world.assessment(PLACE)
    dossier = Dossier.objects.get(assessment=assessment)
    files = live(EvidenceFile.objects.filter(region__code__startswith=_in_serang(world))).select_related("blob")
    evidence = []
    for file in files.order_by("pk"):
        if file.assessment_id not in (None, assessment.pk):
            continue
        for kind, prefix in MANIFEST_OWNERS.items():
            if (owner_id := getattr(file, f"{kind}_id")) is not None:
                evidence.append(manifest_entry(evidence_item(file, f"{prefix}:{owner_id}")))
    number = (dossier.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = DossierVersion(
        dossier=dossier,
        number=number,
        state=DossierVersion.State.DONE,
        progress=100,
        plan=PLAN,
        sha256=f"{number:064d}",
        page_count=1,
        submitted=True,
        submitted_at=timezone.now(),
        manifest={"evidence": evidence, "snapshot": dossier_snapshot(assessment, evidence=evidence)},
    )
    version.pdf.save("dossier.pdf", ContentFile(PDF_BYTES), save=False)
    version.save()


def _bodies_papers(world, n: int) -> None:
    """Members (coordinating tatanan; one no longer active) and SKs of every body of Serang; work
    plans with items (a draft, a submitted and an approved one) and visits of the kecamatan."""
    root = world.users["root"]
    coordinated = tatanan_for_members()[:2]
    for body in Body.objects.filter(region__code__startswith=_in_serang(world)):
        for _ in range(n):
            member_create(body=body, actor=root, tatanan=coordinated, name=f"Anggota {next(_numbers)}")
            day = datetime.date(2024, 1, 1) + datetime.timedelta(days=next(_numbers) % 600)
            decree_add(body=body, actor=root, number=f"SK {next(_numbers)}", date=day, signer="Camat", valid_from=day)
        former = member_create(body=body, actor=root, name=f"Mantan anggota {next(_numbers)}")
        member_set_active(member=former, actor=root, active=False)
    for _ in range(n):
        plan_at(world, PLACE, with_item=True)
        submitted = submitted_plan_at(world, PLACE).rows[0]
        submitted.submitted_by = world.users["sari"]
        submitted.save()
        approved = plan_at(world, PLACE, status=WorkPlan.Status.APPROVED, with_item=True).rows[0]
        WorkPlan.objects.filter(pk=approved.pk).update(
            submitted_by=world.users["sari"], decided_by=world.users["rina"], decided_at=timezone.now()
        )
        visit_at(world, PLACE)
    for plan in WorkPlan.objects.filter(body__region__code__startswith=_in_serang(world)):
        for _ in range(n):
            WorkPlanItem.objects.create(
                work_plan=plan, tatanan=coordinated[0], activity=f"Sosialisasi {next(_numbers)}", budget=1000
            )


def _assessment_rows(world, n: int) -> None:
    """Users (also locked), OPDs with an operator asked for local indicators' entries (each with
    a requirement and its file; Dinkes asked for more) and for titik pantau, titik pantau,
    innovations, kelembagaan document requests to every kecamatan."""
    root = world.users["root"]
    assessment = world.assessment(PLACE)
    deadline = datetime.date.today() + datetime.timedelta(days=30)
    for _ in range(n):
        managed_user(world, PLACE)
        locked_user(world, PLACE)
        opd = opd_at(world, PLACE).rows[0]
        operator = UserFactory(username=f"operator{next(_numbers)}")
        RoleAssignment.objects.create(user=operator, role=Role.OPD_OPERATOR, region=opd.kabupaten, opd=opd)
        for asked in (opd, world.opds[PLACE]):
            entry = local_entry_at(world, PLACE).rows[1]
            data_request_assign(assessment=assessment, opd=asked, entries=[entry], deadline=deadline, actor=root)
            requirement = EvidenceRequirement.objects.create(indicator_id=entry.indicator_id, description="Laporan")
            _upload(world, Owner(requirement=requirement, assessment=assessment, data_year=None), "laporan")
        data_request_titik_pantau(
            assessment=assessment, opd=opd, tatanan=[world.tatanan], deadline=deadline, actor=root, points_min=2
        )
        point = titik_pantau_at(world, PLACE).rows[0]
        TitikPantau.objects.filter(pk=point.pk).update(desa=world.wilayah["desa_carenang"], address="Jl. Raya")
        innovation = innovation_at(world, PLACE).rows[0]
        Innovation.objects.filter(pk=innovation.pk).update(tatanan=world.tatanan, created_by=world.users["rina"])
    regions = Region.objects.filter(code__startswith=_in_serang(world) + ".", level=Region.Level.KECAMATAN)
    data_request_documents(
        assessment=assessment, regions=list(regions), documents=["sk"], deadline=deadline, actor=root
    )


def _dossiers(world, n: int) -> None:
    """Comment threads on Serang's dossier; dossiers of more kabupaten awaiting the province and
    the centre (the verifiers' queues)."""
    assessment = world.assessment(PLACE)
    dossier = Dossier.objects.get(assessment=assessment)
    entry = assessment.indicator_entries.order_by("pk").first()
    for _ in range(n):
        thread = DossierComment.objects.create(
            dossier=dossier, entry=entry, side=DossierComment.Side.PROVINCE, body="Periksa", author=world.users["vina"]
        )
        DossierComment.objects.create(
            dossier=dossier,
            entry=entry,
            side=DossierComment.Side.PROVINCE,
            body="Sudah dilengkapi",
            parent=thread,
            author=world.users["rina"],
        )
    for _ in range(n):
        for codes, build in ((BANTEN_KABUPATEN, submitted_at), (JAWA_BARAT_KABUPATEN, approved_at)):
            code = next(c for c in codes if c not in world.wilayah)
            world.wilayah[code] = RegionFactory(code=code)
            build(world, code)


# Kabupaten/kota of Banten besides Serang, whose dossiers await the province (vina's queue), and
# of Jawa Barat besides Bogor, whose dossiers the province approved (the national queue).
BANTEN_KABUPATEN = ("36.01", "36.02", "36.03", "36.71")
JAWA_BARAT_KABUPATEN = ("32.02", "32.03", "32.04", "32.05")


def grow(world, n: int) -> None:
    """Add ``n`` of everything (see the module), and a dossier version holding it all."""
    _new_regions(world, n)
    _activities(world, n)
    _bodies_papers(world, n)
    _assessment_rows(world, n)
    _dossiers(world, n)
    _files_on_named_owners(world, n)
    _snapshot_version(world)


# --- Counting -------------------------------------------------------------------------------------


@dataclass
class Target:
    key: str
    persona: str
    url: str
    counts: list = field(default_factory=list)  # (status, queries), once per world


def _count(client, url) -> tuple[int | str, int]:
    """(status, queries) of a GET of ``url``, a streamed body read inside the count; the status is
    the exception's name when the view raised (a 500 in production)."""
    connection.queries_log.clear()  # the log keeps the last 9,000 queries: the count would drift
    with CaptureQueriesContext(connection) as queries:
        try:
            response = client.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}", len(queries)
    return response.status_code, len(queries)


def _targets(env) -> list[Target]:
    """Every measured route (with its variants) as each of its personas, its object built at PLACE."""
    targets = []
    for route, rule, personas in measured_routes():
        built, url = Checker(env, route, rule).built(PLACE)
        urls = [url]
        for variant in VARIANTS.get(route.key, ()):
            urls.append(url + (variant(env.world, built.kwargs if built else {}) if callable(variant) else variant))
        targets.extend(Target(route.key, persona, u) for u in urls for persona in personas)
    return targets


def _not_get(env) -> list[str]:
    """The routes the registry says answer no GET (``get_ok=None``) that do, as one who may write."""
    wrong = []
    for route in url_routes():
        rule = ROUTES.get(route.key)
        if route.namespace in ADMIN_NAMESPACES or rule is None or rule.get_ok is not None or route.key in SKIPPED:
            continue
        writers = sorted(set().union(*(rule.writers(write, PLACE) for write in rule.writes)) or {ANONYMOUS})
        _built, url = Checker(env, route, rule).built(PLACE)
        status, _queries = _count(env.client(writers[0]), url)
        if status != 405:
            wrong.append(f"{route.key} as {writers[0]}: GET {url} answered {status}, not 405")
    return wrong


# The measurements of this pass (the database of a test is rolled back; its numbers are kept for
# the strict xfail of the known N+1 below).
_MEASURED: dict[str, object] = {}


@pytest.fixture
def measured(env):
    """Every target counted with one of everything and again with four, and the routes that
    answer a GET they should not."""
    if "targets" not in _MEASURED:
        world = env.world
        targets = _targets(env)
        furnish(world)
        grow(world, 1)
        for target in targets:
            target.counts.append(_count(env.client(target.persona), target.url))
        grow(world, 3)
        for target in targets:
            target.counts.append(_count(env.client(target.persona), target.url))
        # Last, as the builders of the write routes change what the pages show (a dossier's status).
        _MEASURED["not_get"] = _not_get(env)
        _MEASURED["targets"] = targets
    return _MEASURED


def _growing(targets, keys) -> list[str]:
    lines = []
    for target in targets:
        if (target.key, target.persona) not in keys:
            continue
        (status, before), (status_after, after) = target.counts
        if (status, status_after) != (200, 200):
            lines.append(f"{target.key} as {target.persona}: GET {target.url} answered {status}, {status_after}")
        elif before != after:
            lines.append(
                f"{target.key} as {target.persona}: GET {target.url} made {before} queries with one of "
                f"everything, {after} with four ({after - before:+d})"
            )
    return lines


# --- Tests --------------------------------------------------------------------------------------


def test_every_get_route_is_measured_or_skipped():
    """A route that answers GET is measured (someone gets its page) or skipped with a reason; the
    lists here name routes that exist."""
    problems = []
    keys = set()
    for route in url_routes():
        keys.add(route.key)
        if route.namespace in ADMIN_NAMESPACES:
            continue
        rule = ROUTES.get(route.key)
        if rule is None:
            problems.append(f"{route.key}: not in the authorization registry (test_authorization.ROUTES)")
        elif route.key in SKIPPED:
            continue
        elif rule.get_ok is not None and not personas_for(route.key, rule):
            problems.append(
                f"{route.key} answers GET {rule.get_ok} and is not measured: give it a reader who gets 200, "
                "or add it to SKIPPED with the reason"
            )
    named = [*SKIPPED, *VARIANTS, *EVERY_READER, *(key for key, _persona in KNOWN_N_PLUS_ONE)]
    problems += [f"{key}: no such route; remove it" for key in sorted(set(named) - keys)]
    assert not problems, "\n".join(problems)


def test_query_counts_do_not_grow_with_rows(measured):
    targets = measured["targets"]
    assert len(targets) > 250, len(targets)  # not vacuous: every page and endpoint, some as several readers
    keys = {(t.key, t.persona) for t in targets} - set(KNOWN_N_PLUS_ONE)
    problems = _growing(targets, keys) + measured["not_get"]
    assert not problems, f"{len(problems)} page(s) whose queries grow with the rows:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("key", "persona"),
    [
        pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason=reason))
        for case, reason in KNOWN_N_PLUS_ONE.items()
    ],
)
def test_known_n_plus_one(measured, key, persona):
    problems = _growing(measured["targets"], {(key, persona)})
    assert not problems, "\n".join(problems)

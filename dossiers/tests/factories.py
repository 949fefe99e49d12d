"""Dossiers, their versions and their workflow for tests, in the shapes the services leave.

* A version is a finished compile by default (``dossiers.services.version_merge``): its plan has
  one chapter whose render (of the same assessment) it names, a real PDF in the default storage
  with its SHA-256, and a manifest with its hash. ``queued=True`` gives a compile waiting for the
  worker; ``submitted=True`` a sealed one.
* An event moves its dossier as ``dossiers.workflow`` records a step: from the dossier's status
  to the status of the action, with the submitted version (a new sealed one when submitting),
  and the dossier's status follows.
* A comment is about an indicator entry of the dossier's own assessment; a berita acara records
  an approval event of its dossier and that event's version.
"""

from __future__ import annotations

import hashlib
import json

import factory
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone

from accounts.tests.factories import UserFactory
from dossiers.models import (
    BeritaAcara,
    ChapterRender,
    Dossier,
    DossierComment,
    DossierEvent,
    DossierNotification,
    DossierVersion,
)
from forums.tests.factories import pdf_bytes
from indicators.tests.factories import AssessmentFactory, IndicatorEntryFactory

Action = DossierEvent.Action
Status = Dossier.Status

# Where each workflow step takes a dossier (dossiers/workflow/services.py).
ACTION_TO = {
    Action.SUBMIT: Status.SUBMITTED,
    Action.OPEN_REVIEW: Status.PROVINCE_REVIEW,
    Action.RETURN: Status.RETURNED,
    Action.APPROVE: Status.PROVINCE_APPROVED,
    Action.OPEN_NATIONAL: Status.NATIONAL_REVIEW,
    Action.OPEN_CORRECTION: Status.NATIONAL_CORRECTION,
    Action.SUBMIT_CORRECTION: Status.NATIONAL_REVIEW,
    Action.AWARD: Status.AWARDED,
    Action.NOT_AWARD: Status.NOT_AWARDED,
}
SUBMITTING = (Action.SUBMIT, Action.SUBMIT_CORRECTION)
# The first chapter of every plan, as ``ChapterSpec("profil", "Profil Umum", "1").as_dict()``.
PROFIL_SPEC = {
    "key": "profil",
    "title": "Profil Umum",
    "number": "1",
    "group": "",
    "group_title": "",
    "part": 1,
    "rows": [],
}


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical(data) -> bytes:
    """As ``dossiers.renderer.chapters.canonical_json`` writes a manifest before hashing it."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


class DossierFactory(factory.django.DjangoModelFactory):
    """The dossier of an assessment (one per assessment: an existing one is returned)."""

    class Meta:
        model = Dossier
        django_get_or_create = ("assessment",)

    assessment = factory.SubFactory(AssessmentFactory)
    status = Status.DRAFT


class ChapterRenderFactory(factory.django.DjangoModelFactory):
    """The rendered "Profil Umum" chapter of an assessment (a one-page PDF)."""

    class Meta:
        model = ChapterRender

    class Params:
        data = factory.LazyAttributeSequence(lambda o, n: pdf_bytes(f"{o.title} {n + 1}"))

    assessment = factory.SubFactory(AssessmentFactory)
    key = "profil"
    title = "Profil Umum"
    fingerprint = factory.Sequence(lambda n: sha256_of(f"masukan bab {n}".encode()))
    file = factory.LazyAttribute(lambda o: ContentFile(o.data, name="bab.pdf"))
    sha256 = factory.LazyAttribute(lambda o: sha256_of(o.data))
    pages = 1
    size = factory.LazyAttribute(lambda o: len(o.data))
    render_seconds = 0.4


def _manifest(o) -> dict:
    assessment = o.dossier.assessment
    render = o.render
    return {
        "format": 1,
        "assessment": assessment.pk,
        "version": o.number,
        "kabupaten": {"code": assessment.kabupaten_id, "name": assessment.kabupaten.name},
        "chapters": [
            {
                "key": render.key,
                "title": render.title,
                "fingerprint": render.fingerprint,
                "sha256": render.sha256,
                "pages": render.pages,
            }
        ],
        "evidence": [],
        "attachments": [],
    }


class DossierVersionFactory(factory.django.DjangoModelFactory):
    """The next finished version of a dossier (see the module); ``queued=True``, ``submitted=True``."""

    class Meta:
        model = DossierVersion

    class Params:
        render = factory.SubFactory(ChapterRenderFactory, assessment=factory.SelfAttribute("..dossier.assessment"))
        data = factory.LazyAttribute(
            lambda o: pdf_bytes(f"Dokumen Penilaian KKS – {o.dossier.assessment.kabupaten.name} – Versi {o.number}", 2)
        )
        queued = factory.Trait(
            render=None,
            state=DossierVersion.State.QUEUED,
            progress=0,
            started_at=None,
            finished_at=None,
            chapter_renders=factory.Dict({}),
            pdf="",
            sha256="",
            manifest_sha256="",
            page_count=None,
            size=None,
            manifest=factory.Dict({}),
        )
        sealed = factory.Trait(
            submitted=True,
            submitted_at=factory.LazyFunction(timezone.now),
        )

    dossier = factory.SubFactory(DossierFactory)
    number = factory.LazyAttribute(lambda o: (o.dossier.versions.aggregate(n=Max("number"))["n"] or 0) + 1)
    state = DossierVersion.State.DONE
    progress = 100
    plan = factory.LazyFunction(lambda: [dict(PROFIL_SPEC)])
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyFunction(timezone.now)
    chapter_renders = factory.LazyAttribute(lambda o: {o.render.key: o.render.pk})
    pdf = factory.LazyAttribute(lambda o: ContentFile(o.data, name="dossier.pdf"))
    sha256 = factory.LazyAttribute(lambda o: sha256_of(o.data))
    manifest = factory.LazyAttribute(_manifest)
    manifest_sha256 = factory.LazyAttribute(lambda o: sha256_of(canonical(o.manifest)))
    page_count = 2
    size = factory.LazyAttribute(lambda o: len(o.data))


def _event_version(o):
    """A submission seals a new version; any other step names the version under verification."""
    if o.action in SUBMITTING or o.dossier.submitted_version is None:
        return DossierVersionFactory(dossier=o.dossier, sealed=True)
    return o.dossier.submitted_version


class DossierEventFactory(factory.django.DjangoModelFactory):
    """A workflow step of a dossier: its submission to the province by default."""

    class Meta:
        model = DossierEvent

    dossier = factory.SubFactory(DossierFactory)
    action = Action.SUBMIT
    from_status = factory.LazyAttribute(lambda o: o.dossier.status)
    to_status = factory.LazyAttribute(lambda o: ACTION_TO[o.action])
    version = factory.LazyAttribute(_event_version)
    actor = None
    comment = ""
    data = factory.Dict({})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        event = super()._create(model_class, *args, **kwargs)
        dossier = event.dossier
        if event.action in SUBMITTING:
            dossier.submitted_version = event.version
        dossier.status = event.to_status
        dossier.status_changed_at = event.created_at
        dossier.status_changed_by = event.actor
        dossier.save()
        return event


class DossierCommentFactory(factory.django.DjangoModelFactory):
    """A provincial verifier's remark on an indicator entry of the dossier's assessment."""

    class Meta:
        model = DossierComment

    dossier = factory.SubFactory(DossierFactory)
    version = factory.LazyAttribute(lambda o: o.dossier.submitted_version)
    entry = factory.SubFactory(IndicatorEntryFactory, assessment=factory.SelfAttribute("..dossier.assessment"))
    chapter_key = ""
    chapter_title = ""
    parent = None
    author = factory.SubFactory(UserFactory)
    side = DossierComment.Side.PROVINCE
    body = "Mohon lengkapi foto kegiatan tahun data kedua."


def approval(dossier: Dossier) -> DossierEvent:
    """Take ``dossier`` through the steps to the province's approval; the approval event."""
    if dossier.status in (Status.DRAFT, Status.RETURNED):
        DossierEventFactory(dossier=dossier, action=Action.SUBMIT)
    if dossier.status == Status.SUBMITTED:
        DossierEventFactory(dossier=dossier, action=Action.OPEN_REVIEW)
    return DossierEventFactory(dossier=dossier, action=Action.APPROVE)


class BeritaAcaraFactory(factory.django.DjangoModelFactory):
    """The record of a provincial approval: the dossier is submitted, reviewed and approved
    (``approval``), the record names that event and the version approved, numbered as
    ``dossiers.berita_acara.berita_acara_number`` does."""

    class Meta:
        model = BeritaAcara

    class Params:
        data_pdf = factory.LazyAttribute(lambda o: pdf_bytes(f"Berita Acara {o.number}"))

    dossier = factory.SubFactory(DossierFactory)
    event = factory.LazyAttribute(lambda o: approval(o.dossier))
    version = factory.SelfAttribute("event.version")
    number = factory.LazyAttribute(
        lambda o: (
            f"BA-{o.dossier.assessment.kabupaten_id}/{o.dossier.assessment.cycle.award_year}/"
            f"{o.dossier.berita_acara.count() + 1:02d}"
        )
    )
    pdf = factory.LazyAttribute(lambda o: ContentFile(o.data_pdf, name="berita-acara.pdf"))
    sha256 = factory.LazyAttribute(lambda o: sha256_of(o.data_pdf))
    size = factory.LazyAttribute(lambda o: len(o.data_pdf))
    page_count = 1
    data = factory.LazyAttribute(
        lambda o: {"number": o.number, "version": o.version.number, "summary": {"predicted_tier": ""}}
    )


class DossierNotificationFactory(factory.django.DjangoModelFactory):
    """The e-mail sent for a step of the dossier (its submission by default)."""

    class Meta:
        model = DossierNotification

    dossier = factory.SubFactory(DossierFactory)
    event = factory.SubFactory(DossierEventFactory, dossier=factory.SelfAttribute("..dossier"))
    kind = DossierNotification.Kind.SUBMITTED
    key = factory.LazyAttribute(lambda o: f"event:{o.event.pk}")
    recipients = factory.List(["verifikator.banten@example.org"])
    sent_at = factory.LazyFunction(timezone.now)

"""Authorization rules of the verification workflow routes, in the shape of ``kks_portal.tests.authz``.

``DOSSIER_WORKFLOW_ROUTES`` joins the project's registry in ``kks_portal/tests/test_authorization.py``.
The workflow pages are read by whoever takes part in the dossier's verification: the
kabupaten's Bappeda admin, its province's verifiers, the national verifiers and the superuser.
Each step is one role's: Bappeda submits and answers threads, the province verifiers open the
review, score, comment, return and approve, the national verifiers do the national steps.
Everyone else gets 404, also a participant trying a step that is not theirs. The builders put
the dossier of the place's assessment in the status the step starts from.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from dossiers.models import BeritaAcara, Dossier, DossierComment, DossierEvent
from dossiers.services import dossier_version_mark_submitted
from dossiers.tests.workflow_fixtures import finished_version
from forums.models import Body, Decree
from indicators.models import IndicatorEntry, KelembagaanEntry, OdfStatus
from kks_portal.tests.authz import Built, Listing, Rule, Write, everywhere
from regions.models import Region

S = Dossier.Status

PARTICIPANTS = {
    "serang": frozenset({"rina", "vina", "nadia", "root"}),
    "bogor": frozenset({"wawan", "nadia", "root"}),
}
KABUPATEN_ADMINS = {"serang": frozenset({"rina", "root"}), "bogor": frozenset({"root"})}
PROVINCE_VERIFIERS = {"serang": frozenset({"vina", "root"}), "bogor": frozenset({"wawan", "root"})}
NATIONAL_VERIFIERS = everywhere({"nadia", "root"})
# During the provincial review, threads are written by the province and answered by Bappeda.
PROVINCE_STAGE_WRITERS = {"serang": frozenset({"rina", "vina", "root"}), "bogor": frozenset({"wawan", "root"})}
QUEUE_READERS = everywhere({"vina", "wawan", "nadia", "root"})
PROVINCE_QUEUE = {"serang": frozenset({"vina", "root"}), "bogor": frozenset({"wawan", "root"})}


def _complete(world, place) -> None:
    """Everything the submission checklist asks of the place's small assessment."""
    assessment = world.assessment(place)
    kabupaten = world.kabupaten(place)
    for entry in assessment.indicator_entries.filter(indicator__is_local=False).select_related("indicator"):
        top = entry.indicator.scale_options.order_by("-value").first()
        IndicatorEntry.objects.filter(pk=entry.pk).update(value_year1="10", value_year2="12", self_score=top)
    for entry in KelembagaanEntry.objects.filter(assessment=assessment).select_related("item"):
        KelembagaanEntry.objects.filter(pk=entry.pk).update(
            self_score=entry.item.scale_options.order_by("-value").first()
        )
    for kind in (Body.Kind.TIM_PEMBINA_KABKOTA, Body.Kind.FORUM_KABKOTA):
        body, _created = Body.objects.get_or_create(kind=kind, region=kabupaten)
        if not body.decrees.filter(is_current=True).exists():
            Decree.objects.create(
                body=body,
                number=f"SK/{world.fresh()}",
                date=datetime.date(2029, 1, 2),
                signer="Bupati",
                valid_from=datetime.date(2029, 1, 2),
            )
    for kecamatan in Region.objects.filter(parent=kabupaten, level=Region.Level.KECAMATAN):
        if not OdfStatus.objects.filter(assessment=assessment, kecamatan=kecamatan).exists():
            OdfStatus.objects.create(assessment=assessment, kecamatan=kecamatan, desa_total=1, desa_odf=1)


def _at(world, place, status: str, *, scored: bool = False) -> Built:
    """The place's dossier in ``status``, with a sealed version under verification."""
    assessment = world.assessment(place)
    dossier, _created = Dossier.objects.get_or_create(assessment=assessment)
    version = dossier.submitted_version
    if version is None:
        version = dossier_version_mark_submitted(version=finished_version(assessment), actor=None)
    deadline = {"correction_deadline": None}
    Dossier.objects.filter(pk=dossier.pk).update(status=status, submitted_version=version, **deadline)
    score = assessment.indicator_entries.filter(indicator__is_local=False)
    for entry in score.select_related("indicator"):
        option = entry.indicator.scale_options.order_by("-value").first() if scored else None
        IndicatorEntry.objects.filter(pk=entry.pk).update(provincial_score=option, national_score=None)
    dossier.refresh_from_db()
    first = score.order_by("pk").first()
    return Built(
        {"pk": assessment.pk},
        rows=[dossier, first],
        marker=f'data-assessment="{assessment.pk}"',
        extra={"dossier": dossier, "entry": first},
    )


def ready_at(world, place) -> Built:
    """A draft dossier whose every check passes, with a fresh finished version to submit."""
    _complete(world, place)
    assessment = world.assessment(place)
    dossier, _created = Dossier.objects.get_or_create(assessment=assessment)
    Dossier.objects.filter(pk=dossier.pk).update(status=S.DRAFT)
    finished_version(assessment)
    dossier.refresh_from_db()
    return Built({"pk": assessment.pk}, rows=[dossier])


def submitted_at(world, place) -> Built:
    return _at(world, place, S.SUBMITTED)


def in_review_at(world, place) -> Built:
    return _at(world, place, S.PROVINCE_REVIEW)


def scored_in_review_at(world, place) -> Built:
    return _at(world, place, S.PROVINCE_REVIEW, scored=True)


def approved_at(world, place) -> Built:
    return _at(world, place, S.PROVINCE_APPROVED, scored=True)


def national_review_at(world, place) -> Built:
    return _at(world, place, S.NATIONAL_REVIEW, scored=True)


def correction_window_at(world, place) -> Built:
    """A dossier in the national correction window, with a corrected version ready to submit."""
    _complete(world, place)
    built = _at(world, place, S.NATIONAL_CORRECTION, scored=True)
    Dossier.objects.filter(pk=built.extra["dossier"].pk).update(
        correction_deadline=timezone.now() + datetime.timedelta(hours=48)
    )
    finished_version(world.assessment(place))
    return built


def thread_at(world, place) -> Built:
    """A dossier in provincial review with a verifier's thread on its first indicator."""
    built = in_review_at(world, place)
    root = DossierComment.objects.create(
        dossier=built.extra["dossier"],
        entry=built.extra["entry"],
        side=DossierComment.Side.PROVINCE,
        body=f"Periksa bukti {world.fresh()}",
    )
    built.extra["thread"] = root.pk
    return built


def berita_acara_at(world, place) -> Built:
    built = approved_at(world, place)
    dossier = built.extra["dossier"]
    event = DossierEvent.objects.create(
        dossier=dossier,
        action=DossierEvent.Action.APPROVE,
        from_status=S.PROVINCE_REVIEW,
        to_status=S.PROVINCE_APPROVED,
    )
    record = BeritaAcara(
        dossier=dossier,
        version=dossier.submitted_version,
        event=event,
        number=f"BA-uji/{world.fresh()}",
        sha256="2" * 64,
        size=20,
        page_count=1,
    )
    record.pdf.save("ba.pdf", ContentFile(b"%PDF-1.7\n% berita acara uji\n"), save=False)
    record.save()
    return Built({"pk": built.kwargs["pk"], "ba_pk": record.pk}, rows=[record])


def score_data(world, built):
    entry = built.extra["entry"]
    option = entry.indicator.scale_options.order_by("-value").first()
    return {f"score-{entry.pk}": option.pk, f"note-{entry.pk}": "Sesuai bukti."}


def api_score_data(world, built):
    entry = built.extra["entry"]
    return {"scores": [{"entry": entry.pk, "value": entry.indicator.scale_options.order_by("-value").first().value}]}


def reply_data(world, built):
    return {"parent": built.extra["thread"], "body": f"Jawaban {world.fresh()}"}


DOSSIER_WORKFLOW_ROUTES: dict[str, Rule] = {
    # Verifiers' queues: a province's verifiers see its dossiers awaiting the province.
    "dossiers:queue": Rule("SCOPED_LIST", QUEUE_READERS, listings=(Listing(PROVINCE_QUEUE, submitted_at),)),
    "dossiers:submit": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=ready_at,
        get_ok=None,
        writes=(Write({"comment": "Mohon diverifikasi."}, "POST", writers=KABUPATEN_ADMINS, build=ready_at),),
    ),
    # The review page: every participant reads it; the province's verifiers score during their review.
    "dossiers:review": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=submitted_at,
        writes=(Write(score_data, "POST", writers=PROVINCE_VERIFIERS, build=in_review_at),),
    ),
    "dossiers:review_open": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=submitted_at,
        get_ok=None,
        writes=(Write({}, "POST", writers=PROVINCE_VERIFIERS, build=submitted_at),),
    ),
    "dossiers:return": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=in_review_at,
        get_ok=None,
        writes=(
            Write({"return-reason": "Bukti belum lengkap."}, "POST", writers=PROVINCE_VERIFIERS, build=in_review_at),
        ),
    ),
    "dossiers:approve": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=scored_in_review_at,
        get_ok=None,
        writes=(Write({}, "POST", writers=PROVINCE_VERIFIERS, build=scored_in_review_at),),
    ),
    "dossiers:comment": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=thread_at,
        get_ok=None,
        writes=(Write(reply_data, "POST", writers=PROVINCE_STAGE_WRITERS, build=thread_at),),
    ),
    "dossiers:national_open": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=approved_at,
        get_ok=None,
        writes=(Write({}, "POST", writers=NATIONAL_VERIFIERS, build=approved_at),),
    ),
    "dossiers:correction_open": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=national_review_at,
        get_ok=None,
        writes=(
            Write(
                {"correction-reason": "Unggah ulang SK forum."},
                "POST",
                writers=NATIONAL_VERIFIERS,
                build=national_review_at,
            ),
        ),
    ),
    "dossiers:decide": Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=national_review_at,
        get_ok=None,
        writes=(
            Write(
                {"decision-outcome": "not_awarded", "decision-comment": "Tidak memenuhi syarat ODF."},
                "POST",
                writers=NATIONAL_VERIFIERS,
                build=national_review_at,
            ),
        ),
    ),
    "dossiers:berita_acara": Rule("SCOPED_OBJECT", PARTICIPANTS, build=berita_acara_at),
}


def _api_step(build, writers, data=None) -> Rule:
    return Rule(
        "SCOPED_OBJECT",
        PARTICIPANTS,
        build=build,
        get_ok=None,
        writes=(Write(data or {}, "POST", ok=(200,), writers=writers, build=build),),
    )


DOSSIER_WORKFLOW_ROUTES.update(
    {
        "dossier-workflow": Rule("SCOPED_OBJECT", PARTICIPANTS, build=submitted_at),
        "dossier-workflow-submit": _api_step(ready_at, KABUPATEN_ADMINS, {"comment": "Lewat API."}),
        "dossier-workflow-submit-correction": _api_step(correction_window_at, KABUPATEN_ADMINS),
        "dossier-workflow-open-review": _api_step(submitted_at, PROVINCE_VERIFIERS),
        "dossier-workflow-return": _api_step(
            in_review_at, PROVINCE_VERIFIERS, {"reason": "Bukti pasar belum lengkap."}
        ),
        "dossier-workflow-approve": _api_step(scored_in_review_at, PROVINCE_VERIFIERS),
        "dossier-workflow-open-national": _api_step(approved_at, NATIONAL_VERIFIERS),
        "dossier-workflow-open-correction": _api_step(
            national_review_at, NATIONAL_VERIFIERS, {"reason": "Unggah ulang SK forum."}
        ),
        "dossier-workflow-decide": _api_step(
            national_review_at, NATIONAL_VERIFIERS, {"awarded": False, "comment": "ODF belum memenuhi."}
        ),
        "dossier-comments": Rule(
            "SCOPED_OBJECT",
            PARTICIPANTS,
            build=thread_at,
            writes=(Write(reply_data, "POST", ok=(201,), writers=PROVINCE_STAGE_WRITERS, build=thread_at),),
        ),
        "dossier-scores": Rule(
            "SCOPED_OBJECT",
            PARTICIPANTS,
            build=in_review_at,
            get_ok=None,
            writes=(Write(api_score_data, "POST", ok=(200,), writers=PROVINCE_VERIFIERS, build=in_review_at),),
        ),
    }
)

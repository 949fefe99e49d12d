"""The berita acara of a provincial verification: the PDF record the province signs when it
approves a dossier and forwards it to the national level.

It states the kabupaten, the cycle, the version verified with its SHA-256, the date, the
verifier, the provincial score of each tatanan (beside the self score), the tier those scores
predict, the verification's history, and signature blocks. Rendered with the dossier renderer's
WeasyPrint helper (our fonts, a URL fetcher that fetches nothing else), stored under a random
name in the private storage, downloaded only through a view that checks scope.
"""

from __future__ import annotations

import datetime
import hashlib
import io

import segno
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from accounts.models import User
from indicators.scoring import assessment_score
from regions.words import kabkota_word, village_word

from .models import BeritaAcara, Dossier, DossierEvent
from .renderer.formatting import tanggal
from .renderer.html import template_to_pdf
from .services import verification_url

TEMPLATE = "dossiers/pdf/berita_acara.html"
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def _percent(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def berita_acara_number(dossier: Dossier) -> str:
    assessment = dossier.assessment
    sequence = dossier.berita_acara.count() + 1
    return f"BA-{assessment.kabupaten_id}/{assessment.cycle.award_year}/{sequence:02d}"


def berita_acara_content(dossier: Dossier, *, actor: User | None, when) -> dict:
    """What the berita acara states, as plain data (kept on the row beside the PDF)."""
    assessment = dossier.assessment
    version = dossier.submitted_version
    provincial = assessment_score(assessment=assessment, layer="provincial")
    own = {t.code: t for t in assessment_score(assessment=assessment, layer="self").tatanan}
    with translation.override("id"):
        tier_label = provincial.tier_label or _("Belum memenuhi strata mana pun")
        words = {"kabkota_word": kabkota_word(assessment.kabupaten), "village_word": village_word(assessment.kabupaten)}
    history = [
        {
            "action": event.get_action_display(),
            "at": event.created_at.isoformat(),
            "by": event.actor.get_full_name() if event.actor else "",
            "version": event.version.number if event.version else None,
            "comment": event.comment,
        }
        for event in dossier.events.select_related("actor", "version").order_by("created_at", "id")
    ]
    return {
        # "kota" and "kelurahan" for a kota (docs/GLOSSARY.md, "One region, its own words"); a row kept
        # from before these words reads them as "kabupaten/kota" and "desa/kelurahan".
        "kabupaten": {
            "code": assessment.kabupaten_id,
            "name": assessment.kabupaten.name,
            **words,
        },
        "province": assessment.kabupaten.parent.name if assessment.kabupaten.parent else "",
        "cycle": {
            "award_year": assessment.cycle.award_year,
            "data_years": [assessment.cycle.first_data_year, assessment.cycle.last_data_year],
        },
        "version": {
            "number": version.number,
            "sha256": version.sha256,
            "manifest_sha256": version.manifest_sha256,
            "pages": version.page_count,
            "created_at": version.created_at.isoformat(),
            "submitted_at": version.submitted_at.isoformat() if version.submitted_at else None,
        },
        "date": when.isoformat(),
        "verifier": actor.get_full_name() if actor else "",
        "tatanan": [
            {
                "code": t.code,
                "name": t.name,
                "indicators": t.indicator_count,
                "scored": t.scored_count,
                "self": _percent(own[t.code].percent) if t.code in own else None,
                "provincial": _percent(t.percent) if t.scored else None,  # "–", not 0 %, before any score
            }
            for t in provincial.tatanan
        ],
        "summary": {
            "overall": _percent(provincial.overall),
            "minimum": _percent(provincial.minimum),
            "odf": _percent(provincial.odf),
            "kelembagaan_met": provincial.kelembagaan_met,
            "tier": provincial.tier or "",
            "tier_label": str(tier_label),
        },
        "history": history,
    }


def berita_acara_render(*, number: str, content: dict, verify_url: str) -> bytes:
    when = timezone.localtime(datetime.datetime.fromisoformat(content["date"]))
    context = {
        "number": number,
        "day_name": DAYS[when.weekday()],
        "date_text": tanggal(when),
        "time_text": when.strftime("%H.%M"),
        "c": content,
        "verify_url": verify_url,
        "qr_svg": segno.make(verify_url, error="m").svg_inline(scale=3, border=1),
    }
    return template_to_pdf(TEMPLATE, context)


def berita_acara_create(*, dossier: Dossier, event: DossierEvent, actor: User | None) -> BeritaAcara:
    """Render and store the berita acara of ``event`` (an approval) of the locked ``dossier``."""
    when = timezone.localtime(event.created_at)
    number = berita_acara_number(dossier)
    content = berita_acara_content(dossier, actor=actor, when=when)
    version = dossier.submitted_version
    pdf = berita_acara_render(number=number, content=content, verify_url=verification_url(version.manifest_sha256))
    record = BeritaAcara(
        dossier=dossier,
        version=version,
        event=event,
        number=number,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        page_count=len(PdfReader(io.BytesIO(pdf)).pages),
        data=content,
        created_by=actor,
    )
    record.pdf.save("berita-acara.pdf", ContentFile(pdf), save=False)
    record.save()
    return record

"""The demo's 2025 round opened and filled: data, bodies' papers, activities (the rest of the
round, up to the submitted dossier, is ``demo.submission``).

Written through the same services as real data (``assessment_open``, ``odf_counts_set``,
``decree_add``, ``work_plan_*``, ``evidence.uploads.attach_upload`` …). Idempotent: what exists is
left alone, so a user's own edits survive the next ``seed_demo``. Values are deterministic (the
same demo every time) and plausible, not real figures of Kabupaten Serang.
"""

from __future__ import annotations

import datetime
import hashlib
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from accounts.models import User
from evidence.models import Activity
from evidence.selectors import Owner
from evidence.services import activity_create
from evidence.uploads import attach_upload
from forums.models import Body, Member, WorkPlan
from forums.services import decree_add, member_create
from forums.workplans.services import work_plan_approve, work_plan_create, work_plan_item_add, work_plan_submit
from indicators.fieldwork.services import desa_of, kecamatan_of, odf_counts_set, titik_pantau_create
from indicators.models import Assessment, IndicatorEntry, OdfStatus, TitikPantau
from indicators.services import assessment_open
from regions.models import Region
from tatanan.models import Cycle, ScaleOption, Tatanan

DEMO_CYCLE = 2025
# The kecamatan whose Forum (and first desa's Pokja) carry the demo's papers and activities:
# Kramatwatu, so that the bodies of the demo secretaries (Carenang, Binuang) stay empty for people
# to try the forms on, while Kramatwatu shows Bappeda what a finished body looks like.
DEMO_KECAMATAN = "36.04.05"  # Kramatwatu
# Titik pantau lie in Desa Carenang.
DEMO_DESA = "36.04.17.2001"
# Roughly the middle of Kabupaten Serang, for the photos' GPS and the reference point.
SERANG_CENTRE = (Decimal("-6.120000"), Decimal("106.150000"))


def _pick(key: str, n: int) -> int:
    """A stable pseudo-random choice in ``range(n)`` from a text key."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % n


def _fill_entries(assessment: Assessment) -> int:
    """Give every still-empty entry two years of data, an explanation and a self score: mostly
    the best option, some the next one, so the demo lands on a tier with something to improve."""
    entries = list(assessment.indicator_entries.filter(status=IndicatorEntry.Status.KOSONG).select_related("indicator"))
    options: dict[int, list[ScaleOption]] = {}
    for option in ScaleOption.objects.filter(indicator__in=[e.indicator_id for e in entries]).order_by("order"):
        options.setdefault(option.indicator_id, []).append(option)
    changed = []
    for entry in entries:
        choices = sorted(options.get(entry.indicator_id, []), key=lambda o: -o.value)
        if not choices:
            continue
        key = f"{assessment.kabupaten_id}:{entry.indicator.number}"
        step = 0 if _pick(key, 10) < 7 or len(choices) == 1 else 1
        first = 40 + _pick(key + "a", 50)
        entry.value_year1, entry.value_year1_number = str(first), Decimal(first)
        entry.value_year2, entry.value_year2_number = str(first + 3), Decimal(first + 3)
        entry.explanation = f"Data {entry.indicator.number} dari laporan tahunan OPD penanggung jawab (demo)."
        entry.self_score = choices[step]
        entry.status = IndicatorEntry.Status.SELESAI
        changed.append(entry)
    IndicatorEntry.objects.bulk_update(
        changed,
        [
            "value_year1",
            "value_year1_number",
            "value_year2",
            "value_year2_number",
            "explanation",
            "self_score",
            "status",
        ],
        batch_size=200,
    )
    return len(changed)


def _odf(assessment: Assessment, admin: User) -> None:
    done = set(OdfStatus.objects.filter(assessment=assessment).values_list("kecamatan_id", flat=True))
    for kecamatan in kecamatan_of(assessment.kabupaten):
        if kecamatan.code in done:
            continue
        total = desa_of(kecamatan).count()
        odf_counts_set(assessment=assessment, actor=admin, kecamatan=kecamatan, desa_total=total, desa_odf=total)


def _titik_pantau(assessment: Assessment, admin: User) -> None:
    if assessment.titik_pantau.exists():
        return
    by_code = {t.code: t for t in Tatanan.objects.filter(tatanan_set=assessment.cycle.tatanan_set)}
    desa = Region.objects.filter(code=DEMO_DESA).first()
    specs = [
        ("Pasar Carenang", TitikPantau.Kind.PASAR, "-6.109100", "106.285400"),
        ("SDN Carenang 1", TitikPantau.Kind.SEKOLAH, "-6.110800", "106.283900"),
        ("Puskesmas Carenang", TitikPantau.Kind.PUSKESMAS, "-6.112300", "106.286100"),
    ]
    tatanan = list(by_code.values())
    for index, (name, kind, lat, lon) in enumerate(specs):
        titik_pantau_create(
            assessment=assessment,
            actor=admin,
            tatanan=tatanan[index % len(tatanan)],
            name=name,
            kind=kind,
            desa=desa,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
        )


def _bodies(kabupaten: Region, admin: User) -> list[Body]:
    """SKs, a few members and an approved 2024 work plan for the demo Forum/Pokja."""
    first_desa = Region.objects.filter(parent_id=DEMO_KECAMATAN).order_by("code").first()
    bodies = list(
        Body.objects.filter(
            kind__in=[Body.Kind.FORUM_KABKOTA, Body.Kind.FORUM_KECAMATAN, Body.Kind.POKJA_DESA],
            region_id__in=[kabupaten.code, DEMO_KECAMATAN, first_desa.code if first_desa else ""],
        ).select_related("region")
    )
    signer = {
        Body.Kind.FORUM_KABKOTA: "Bupati Serang",
        Body.Kind.FORUM_KECAMATAN: "Camat Kramatwatu",
        Body.Kind.POKJA_DESA: f"Kepala Desa {first_desa.name if first_desa else ''}".strip(),
    }
    tatanan = Tatanan.objects.filter(tatanan_set__cycles__award_year=DEMO_CYCLE).order_by("number").first()
    for body in bodies:
        if not body.decrees.exists():
            decree_add(
                body=body,
                actor=admin,
                number=f"100.3.3.2/Kep.{12 + _pick(body.region_id, 80)}-Huk/2023",
                date=datetime.date(2023, 2, 6),
                signer=signer[body.kind],
                valid_from=datetime.date(2023, 2, 6),
            )
        if not body.members.exists():
            for name, position in (
                ("H. Ahmad Suhendi", Member.Position.KETUA),
                ("Siti Maryam", Member.Position.SEKRETARIS),
                ("Dedi Kurniawan", Member.Position.BENDAHARA),
                ("Nur Aini", Member.Position.ANGGOTA),
            ):
                member_create(body=body, actor=admin, name=name, position=position)
        if tatanan is not None and not WorkPlan.objects.filter(body=body, year=2024).exists():
            plan = work_plan_create(body=body, year=2024, actor=admin)
            for activity, budget in (
                ("Rapat koordinasi triwulanan forum", 2_500_000),
                ("Gerakan bersih lingkungan dan pemantauan jentik", 4_000_000),
            ):
                work_plan_item_add(
                    work_plan=plan,
                    actor=admin,
                    tatanan=tatanan,
                    activity=activity,
                    target="4 kali setahun",
                    schedule="Maret–Desember",
                    budget=Decimal(budget),
                    person_in_charge="Sekretaris",
                )
            work_plan_submit(work_plan=plan, actor=admin)
            work_plan_approve(work_plan=plan, actor=admin)
    return bodies


# --- Evidence ------------------------------------------------------------------------------------


def _pdf_text(text: str) -> str:
    return text.replace("\\", "").replace("(", "").replace(")", "")


def demo_pdf(title: str, *, lines: list[str] = ()) -> bytes:
    """A small, valid one-page PDF whose text names the document, with ``lines`` of text under
    the title (no outside tools; Helvetica, Latin-1)."""
    parts = [f"BT /F1 14 Tf 56 780 Td ({_pdf_text(title)[:80]}) Tj ET"]
    for number, line in enumerate(lines[:40]):
        parts.append(f"BT /F1 10 Tf 56 {750 - 15 * number} Td ({_pdf_text(line)[:100]}) Tj ET")
    stream = "\n".join(parts).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def demo_photo(seed: str, *, taken: datetime.datetime, position=SERANG_CENTRE, size=(1200, 900)) -> bytes:
    """A JPEG with EXIF date and GPS, drawn from ``seed`` (Pillow only)."""
    shade = _pick(seed, 120)
    width, height = size
    image = Image.new("RGB", size, (60 + shade, 120, 90))
    draw = ImageDraw.Draw(image)
    for i in range(12):
        x = _pick(f"{seed}{i}", width - 100)
        top = height * 5 // 9 + i * height // 45
        draw.rectangle([x, top, x + width // 13, top + height * 2 // 15], fill=(200, 180 - i * 10, 80))
    draw.text((40, 40), seed[:60], fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x0132] = taken.strftime("%Y:%m:%d %H:%M:%S")
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = taken.strftime("%Y:%m:%d %H:%M:%S")

    def dms(value: Decimal):
        value = abs(float(value))
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60, 2)
        return (float(degrees), float(minutes), seconds)

    lat, lon = position
    gps = exif.get_ifd(0x8825)
    gps[1] = "S" if lat < 0 else "N"
    gps[2] = dms(lat)
    gps[3] = "W" if lon < 0 else "E"
    gps[4] = dms(lon)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80, exif=exif)
    return out.getvalue()


def _activities(bodies: list[Body], admin: User) -> int:
    """Two activities for each demo body: one with its four kinds of evidence, one still lacking
    its notulen (so the readiness pages show both)."""
    made = 0
    for body in bodies:
        if Activity.objects.filter(body=body).exists():
            continue
        item = (
            WorkPlan.objects.filter(body=body, year=2024).first().items.first()
            if WorkPlan.objects.filter(body=body, year=2024).exists()
            else None
        )
        for index, (title, date, complete) in enumerate(
            (
                ("Rapat koordinasi triwulan I", datetime.date(2024, 3, 14), True),
                ("Gerakan bersih lingkungan", datetime.date(2024, 8, 17), False),
            )
        ):
            activity = activity_create(
                body=body,
                actor=admin,
                title=title,
                date=date,
                place=f"Balai {body.region.name}",
                work_plan_item=item if index == 0 else None,
                participants="Anggota forum, kader, perangkat desa",
                participant_count=25 + index * 10,
                result="Kesepakatan jadwal kegiatan dan pembagian tugas (demo).",
                realised_budget=Decimal(2_000_000 + index * 1_500_000),
                tatanan=list(Tatanan.objects.filter(pk=item.tatanan_id)) if item else [],
            )
            owner = Owner(activity=activity)
            kinds = ["undangan", "daftar_hadir", "notulen"] if complete else ["undangan", "daftar_hadir"]
            for kind in kinds:
                name = f"{kind}-{body.region_id}-{index}.pdf"
                data = demo_pdf(f"{kind.replace('_', ' ').title()} {title} {body}")
                attach_upload(
                    owner=owner,
                    upload=SimpleUploadedFile(name, data, "application/pdf"),
                    kind=kind,
                    actor=admin,
                )
            taken = datetime.datetime.combine(date, datetime.time(9, 30))
            photo = demo_photo(f"{title} {body}", taken=taken)
            attach_upload(
                owner=owner,
                upload=SimpleUploadedFile(f"foto-{body.region_id}-{index}.jpg", photo, "image/jpeg"),
                kind="foto",
                actor=admin,
            )
            made += 1
    return made


def demo_cycle(stdout=None) -> Cycle | None:
    cycle = Cycle.objects.filter(award_year=DEMO_CYCLE).first()
    if cycle is None and stdout is not None:
        stdout.write(f"Siklus {DEMO_CYCLE} belum diimpor: penilaian demo dilewati.")
    return cycle


def round_open_and_fill(*, kabupaten: Region, cycle: Cycle, admin: User) -> Assessment:
    """Open ``kabupaten``'s assessment and give every empty entry data and a self score, and
    every kecamatan its ODF status."""
    with transaction.atomic():
        assessment = assessment_open(kabupaten=kabupaten, cycle=cycle, actor=admin)
        _fill_entries(assessment)
        _odf(assessment, admin)
    return assessment


def demo_round_seed(*, kabupaten: Region, admin: User, stdout=None) -> Assessment | None:
    """Open the demo's 2025 assessment and give it data, bodies' papers and activities."""
    cycle = demo_cycle(stdout)
    if cycle is None:
        return None
    assessment = round_open_and_fill(kabupaten=kabupaten, cycle=cycle, admin=admin)
    with transaction.atomic():
        _titik_pantau(assessment, admin)
        bodies = _bodies(kabupaten, admin)
    _activities(bodies, admin)
    return assessment

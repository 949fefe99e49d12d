"""Issue 12's demo tells the whole round: after ``seed_demo`` Serang's dossier is complete and in
the Banten verifier's queue, Cilegon's is back with the province's reason, and the OPD operators
have their tasks with deadlines. One seed per module (it is slow): one test, many checks."""

import datetime
import io
import time
import zipfile
from collections import Counter

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.formats import date_format
from pypdf import PdfReader

from accounts.models import User
from conftest import DEMO_PASSWORD, DEMO_WORKBOOK, demo_snapshot_keep
from demo.services import RETURN_REASON
from dossiers.models import Dossier, DossierEvent, DossierVersion
from dossiers.workflow.services import submission_checklist
from evidence.completeness import assessment_readiness
from evidence.models import Activity, Blob, EvidenceFile
from evidence.selectors import live
from forums.models import Body, WorkPlan
from indicators.models import Assessment, DataRequest, IndicatorEntry, OdfStatus
from indicators.requests.selectors import today
from indicators.scoring import assessment_score
from tatanan.importer import instrument_import
from tatanan.models import Cycle

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Dossier.objects.count(),
        EvidenceFile.objects.count(),
        Blob.objects.count(),
        DataRequest.objects.count(),
        IndicatorEntry.objects.filter(status=IndicatorEntry.Status.DRAF).count(),
        Activity.objects.count(),
        DossierVersion.objects.count(),
        DossierEvent.objects.count(),
    )


def test_seed_demo_tells_the_whole_round(client, capsys):
    cycle = Cycle.objects.get(award_year=2025)
    assert instrument_import(cycle=cycle, file=DEMO_WORKBOOK).imported
    started = time.monotonic()
    output = io.StringIO()
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=output)
    demo_snapshot_keep()  # the browser journeys start from this seed (conftest.py, seeded_demo)
    with capsys.disabled():
        print(f"\nseed_demo: {time.monotonic() - started:.1f} s")  # noqa: T201  (issue 12 asks for the figure)

    assert "Kabupaten Serang: dossier versi 1 disusun" in output.getvalue()
    assert "Kota Cilegon: dossier versi 1 disusun" in output.getvalue()
    assert "bappeda.cilegon" in output.getvalue()

    # --- Serang: filled, with papers and activities ---------------------------------------------
    serang = Assessment.objects.get(kabupaten_id="36.04", cycle=cycle)
    entries = serang.indicator_entries.all()
    assert entries.count() > 100
    assert not entries.filter(status=IndicatorEntry.Status.KOSONG).exists()
    assert OdfStatus.objects.filter(assessment=serang).count() == 29
    assert serang.titik_pantau.count() == 3
    score = assessment_score(assessment=serang)
    assert all(t.percent is not None for t in score.tatanan)
    assert score.tier  # a tier is reached, with something left to improve
    # Kramatwatu shows finished bodies.
    kramatwatu = Body.objects.filter(region__parent_id="36.04.05", kind=Body.Kind.POKJA_DESA).order_by("region_id")[0]
    assert kramatwatu.decrees.filter(is_current=True).exists()
    assert WorkPlan.objects.get(body=kramatwatu, year=2024).status == WorkPlan.Status.APPROVED
    activities = Activity.objects.filter(body=kramatwatu)
    assert activities.count() == 2
    kinds = set(EvidenceFile.objects.filter(activity__in=activities).values_list("kind", flat=True))
    assert kinds == {"undangan", "daftar_hadir", "notulen", "foto"}

    # --- Serang: complete, submitted, in the Banten verifier's queue ---------------------------
    dossier = Dossier.objects.get(assessment=serang)
    assert dossier.status == Dossier.Status.SUBMITTED
    assert dossier.submitted_version.sha256
    checks = {check.code: check for check in submission_checklist(serang).checks}
    # Everything holds; only the version, already submitted, asks for a new one before another submission.
    assert [code for code, check in checks.items() if not check.ok] == ["version"], {
        code: check.missing[:3] for code, check in checks.items() if not check.ok
    }
    files = EvidenceFile.objects.filter(assessment=serang, requirement__isnull=False)
    assert files.filter(blob__file_type="pdf").exists()
    assert files.filter(kind="foto", blob__file_type="jpeg").exists()
    sample = files.filter(blob__file_type="pdf").first().blob
    assert sample.size < 5000
    with sample.file.open("rb") as handle:
        assert "Dokumen yang diminta" in PdfReader(handle).pages[0].extract_text()
    team = Body.objects.get(region_id="36.04", kind=Body.Kind.TIM_PEMBINA_KABKOTA)
    assert team.decrees.get(is_current=True).file
    # The demo secretaries' bodies stay empty to try the forms on.
    for code in ("36.04.17", "36.04.18"):
        forum = Body.objects.get(region_id=code, kind=Body.Kind.FORUM_KECAMATAN)
        assert not forum.decrees.exists()
        assert not forum.members.exists()
        assert not forum.activities.exists()
    pokja = Body.objects.get(region_id="36.04.17.2001", kind=Body.Kind.POKJA_DESA)
    assert not pokja.decrees.exists()
    assert not pokja.activities.exists()

    client.force_login(User.objects.get(username="verifikator.banten"))
    queue = client.get(reverse("dossiers:queue"))
    assert [d.assessment.kabupaten_id for d in queue.context["province"]] == ["36.04"]
    assert "Kabupaten Serang" in queue.content.decode()

    # --- Cilegon: returned with the reason, shown on its dossier page ---------------------------
    cilegon = Assessment.objects.get(kabupaten_id="36.72", cycle=cycle)
    returned = Dossier.objects.get(assessment=cilegon)
    assert returned.status == Dossier.Status.RETURNED
    assert [d.assessment.kabupaten_id for d in queue.context["returned"]] == ["36.72"]
    client.force_login(User.objects.get(username="bappeda.cilegon"))
    page = client.get(reverse("dossiers:detail", args=[cilegon.pk])).content.decode()
    assert "Bukti dukung tatanan Pasar (PSR) tahun 2024" in page
    assert RETURN_REASON.split(",")[0] in page
    # Bappeda of Serang does not see Cilegon's dossier.
    client.force_login(User.objects.get(username="bappeda.serang"))
    assert client.get(reverse("dossiers:detail", args=[cilegon.pk])).status_code == 404

    # --- OPD tasks: deadlines, some done, some open, one overdue -----------------------------
    requests = {r.opd.short_name: r for r in DataRequest.objects.filter(assessment=serang).select_related("opd")}
    assert requests["Dinkes"].deadline == today() + datetime.timedelta(days=14)
    assert requests["DLH"].deadline < today()
    assert requests["Dinkes"].message
    client.force_login(User.objects.get(username="dinkes.serang"))
    todo = client.get(reverse("indicators:todo"))
    entries = [e for group in todo.context["groups"] for t in group.tatanan for e in t.entries]
    statuses = {e.status for e in entries}
    assert statuses == {IndicatorEntry.Status.SELESAI, IndicatorEntry.Status.DRAF}
    assert all(e.deadline == requests["Dinkes"].deadline and not e.overdue for e in entries)
    assert date_format(requests["Dinkes"].deadline, "j M Y") in todo.content.decode()
    client.force_login(User.objects.get(username="dlh.serang"))
    todo = client.get(reverse("indicators:todo"))
    entries = [e for group in todo.context["groups"] for t in group.tatanan for e in t.entries]
    assert [e.overdue for e in entries].count(True) == 2
    assert any(e.status == IndicatorEntry.Status.SELESAI and not e.overdue for e in entries)
    assert todo.content.decode().count("data-overdue") == 2

    # --- The SIPANTAS feed of Serang's complete round: every required file, per indicator and year ---
    client.force_login(User.objects.get(username="bappeda.serang"))
    response = client.get(reverse("dossiers:sipantas_zip", args=[serang.pk]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    in_folder = Counter(name.rsplit("/", 1)[0] for name in archive.namelist())
    checked = set()
    for item in assessment_readiness(serang).indicators:
        indicator = item.indicator
        if indicator.is_local:
            continue
        needed = Counter()
        for cell in item.cells:
            needed[cell.year] += cell.need
        for year, need in needed.items():
            code = f"{indicator.tatanan.code}-{indicator.number}"
            folder = f"{indicator.tatanan.number:02d}-{indicator.tatanan.code}/{code}/{year or 'tanpa-tahun'}"
            assert in_folder[folder] >= need, (folder, in_folder[folder], need)
            assert all(
                name.split("/")[-1].startswith(f"{code}_{year or 'tanpa-tahun'}_")
                for name in archive.namelist()
                if name.startswith(folder + "/")
            )
            checked.add(indicator.pk)
    # Every official indicator that requires evidence (most of the 2025 instrument's 136) was checked.
    with_requirements = (
        serang.indicator_entries.filter(indicator__is_local=False, indicator__evidence_requirements__isnull=False)
        .values("indicator")
        .distinct()
    )
    assert len(checked) == with_requirements.count() > 100
    required = live(EvidenceFile.objects.filter(assessment=serang, requirement__isnull=False))
    assert len(archive.namelist()) == required.filter(blob__state=Blob.State.READY).count()

    # --- A second run changes nothing; a user's edit survives -----------------------------------
    entry = serang.indicator_entries.filter(status=IndicatorEntry.Status.DRAF).first()
    entry.explanation = "Diubah operator"
    entry.save()
    before = _counts()
    call_command("seed_demo", password=DEMO_PASSWORD, stdout=io.StringIO())
    assert _counts() == before
    entry.refresh_from_db()
    assert entry.explanation == "Diubah operator"
    assert Dossier.objects.get(assessment=cilegon).status == Dossier.Status.RETURNED
    assert Dossier.objects.get(assessment=serang).status == Dossier.Status.SUBMITTED

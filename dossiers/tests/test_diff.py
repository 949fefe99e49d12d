"""What changed between two dossier versions: the snapshot a compile keeps in its manifest, the
comparison (indicators, scores, data, explanations, evidence files, kelembagaan, activities,
titik pantau, innovations), the choice of versions, and the page that shows it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dossiers.diff.compare import diff_pair, dossier_snapshot, version_diff
from dossiers.models import Dossier, DossierVersion
from dossiers.renderer.chapters import chapter_context, chapter_plan, manifest_entry
from dossiers.tests.conftest import attach, make_blob, pdf_bytes
from evidence.models import EvidenceFile, FileType
from evidence.uploads import evidence_remove
from indicators.innovations.services import innovation_create
from indicators.models import IndicatorEntry, KelembagaanEntry, TitikPantau


def entry(assessment, code, number):
    return IndicatorEntry.objects.get(assessment=assessment, indicator__tatanan__code=code, indicator__number=number)


def evidence_now(assessment) -> list[dict]:
    """The manifest's evidence list as a compile would make it, without rendering."""
    items, seen = [], set()
    for spec in chapter_plan(assessment):
        for item in chapter_context(assessment, spec).evidence:
            if item["id"] not in seen:
                seen.add(item["id"])
                items.append(manifest_entry(item))
    return items


def version_now(assessment, *, submitted=False, snapshot=True) -> DossierVersion:
    """A finished version holding the data as it stands (manifest as a compile makes it)."""
    dossier, _ = Dossier.objects.get_or_create(assessment=assessment)
    number = dossier.versions.count() + 1
    evidence = evidence_now(assessment)
    manifest = {"format": 1, "version": number, "evidence": evidence}
    if snapshot:
        manifest["snapshot"] = dossier_snapshot(assessment, evidence=evidence)
    return DossierVersion.objects.create(
        dossier=dossier,
        number=number,
        state=DossierVersion.State.DONE,
        progress=100,
        sha256=f"{number:064x}",
        manifest=manifest,
        submitted=submitted,
    )


def records(diff) -> dict:
    return {record.key: record for section in diff.sections for record in section.records}


def changes(record) -> dict:
    return {change.field: (change.old, change.new) for change in record.changes}


# --- The snapshot a compile keeps -----------------------------------------------------------------


def test_a_compiled_version_keeps_a_snapshot_of_what_its_chapters_show(serang_2025, rina, compile_now):
    version = compile_now(serang_2025, rina)
    assert version.state == "done", version.error
    snapshot = version.manifest["snapshot"]
    indicators = {f"{i['tatanan']}{i['number']}": i for i in snapshot["indicators"]}
    assert set(indicators) == {"KSM1", "KSM2", "PSR1", "PSR2"}
    assert indicators["KSM1"]["value_year1"] == "72"
    assert indicators["KSM1"]["value_year2"] == "81"
    assert (indicators["KSM1"]["self"], indicators["PSR1"]["self"], indicators["PSR1"]["provincial"]) == (100, 75, None)
    assert indicators["PSR1"]["explanation"] == "Data pasar rakyat memenuhi syarat kesehatan dari OPD."
    assert snapshot["data_years"] == [2023, 2024]
    assert [a["title"] for a in snapshot["activities"]] == ["Kerja bakti Pasar Carenang"]
    assert [p["name"] for p in snapshot["titik_pantau"]] == ["Pasar Carenang"]
    assert snapshot["kelembagaan"][0]["label"] == "Tim Pembina – SK"
    # Every evidence file of the manifest has an owner the comparison can name.
    owners = snapshot["owners"]
    for item in version.manifest["evidence"]:
        assert item["owner"] in owners
    report = next(i for i in version.manifest["evidence"] if i["original_name"] == "laporan-inspeksi-pasar-2023.pdf")
    assert owners[report["owner"]] == {
        "label": "Laporan inspeksi pasar",
        "group": "PSR",
        "record": f"indicator:{entry(serang_2025, 'PSR', '1').indicator_id}",
    }
    # The manifest (with its snapshot) is what the cover's hash seals.
    assert len(version.manifest_sha256) == 64


# --- The comparison ------------------------------------------------------------------------------


def test_what_changed_between_two_versions(serang_2025, rina, wilayah):
    first = version_now(serang_2025, submitted=True)

    psr1 = entry(serang_2025, "PSR", "1")
    psr1.value_year2 = "90"
    psr1.explanation = "Semua pasar sudah diperiksa."
    psr1.self_score = psr1.indicator.scale_options.get(value=100)
    psr1.provincial_score = psr1.indicator.scale_options.get(value=50)
    psr1.save()
    ksm2 = entry(serang_2025, "KSM", "2")
    ksm2.national_score = ksm2.indicator.scale_options.get(value=0)  # a zero is a value, not "empty"
    ksm2.save()
    old_report = EvidenceFile.objects.get(original_name="laporan-inspeksi-pasar-2023.pdf")
    new_report = attach(
        make_blob(serang_2025.kabupaten, pdf_bytes(3), FileType.PDF),
        region=wilayah["serang"],
        kind="laporan",
        original_name="laporan-inspeksi-pasar-2023-revisi.pdf",
        requirement=old_report.requirement,
        assessment=serang_2025,
        data_year=2023,
    )
    EvidenceFile.objects.filter(pk=old_report.pk).update(replaced_by=new_report, replaced_at=timezone.now())
    minutes = EvidenceFile.objects.get(original_name="notulen-kerja-bakti.pdf")
    evidence_remove(evidence=minutes, actor=rina)
    kelembagaan = KelembagaanEntry.objects.get(assessment=serang_2025)
    kelembagaan.self_score = kelembagaan.item.scale_options.get(value=100)
    kelembagaan.save()
    TitikPantau.objects.create(
        assessment=serang_2025, tatanan=serang_2025.tatanan.get(code="KSM"), name="Posyandu Mawar", kind="lainnya"
    )
    innovation_create(
        assessment=serang_2025, actor=rina, title="Bank Sampah Pasar", description="Tabungan sampah.", year=2024
    )
    second = version_now(serang_2025)

    diff = version_diff(first, second)
    assert diff.available
    found = records(diff)

    psr1_diff = found[f"indicator:{psr1.indicator_id}"]
    assert psr1_diff.status == "changed"
    assert changes(psr1_diff) == {
        "value_year2": ("81", "90"),
        "explanation": ("Data pasar rakyat memenuhi syarat kesehatan dari OPD.", "Semua pasar sudah diperiksa."),
        "self": (75, 100),
        "provincial": (None, 50),
    }
    assert [c.label for c in psr1_diff.changes][0] == "Data tahun 2024"
    assert len(psr1_diff.files) == 1
    replaced = psr1_diff.files[0]
    assert (replaced.status, replaced.old_name, replaced.name) == (
        "replaced",
        "laporan-inspeksi-pasar-2023.pdf",
        "laporan-inspeksi-pasar-2023-revisi.pdf",
    )
    assert replaced.old_sha256 == old_report.blob.sha256
    assert replaced.sha256 == new_report.blob.sha256
    assert replaced.kind_label == "Laporan"
    assert replaced.owner == "Laporan inspeksi pasar"

    assert changes(found[f"indicator:{ksm2.indicator_id}"]) == {"national": (None, 0)}
    # Indicators that did not change are not listed.
    assert f"indicator:{entry(serang_2025, 'KSM', '1').indicator_id}" not in found

    activity = minutes.activity
    activity_diff = found[f"activity:{activity.pk}"]
    assert (activity_diff.status, activity_diff.changes) == ("files", [])
    assert [(f.status, f.name) for f in activity_diff.files] == [("removed", "notulen-kerja-bakti.pdf")]

    assert changes(found[f"kelembagaan:{kelembagaan.item_id}"]) == {"score": (None, 100)}
    point = TitikPantau.objects.get(name="Posyandu Mawar")
    assert found[f"titik_pantau:{point.pk}"].status == "added"
    innovation = serang_2025.innovations.get()
    assert found[f"innovation:{innovation.pk}"].status == "added"

    # Grouped by tatanan, then kelembagaan, activities and innovations.
    assert [section.key for section in diff.sections] == ["KSM", "PSR", "kelembagaan", "kegiatan", "inovasi"]
    assert [r.key for r in diff.sections[0].records] == [f"indicator:{ksm2.indicator_id}", f"titik_pantau:{point.pk}"]
    assert diff.counts == {
        "indicators_changed": 2,
        "indicators_added": 0,
        "indicators_removed": 0,
        "scores_changed": 3,
        "files_added": 0,
        "files_removed": 1,
        "files_replaced": 1,
        "records": 6,
    }

    # Backwards, the same changes the other way round.
    back = records(version_diff(second, first))
    assert changes(back[f"indicator:{psr1.indicator_id}"])["self"] == (100, 75)
    assert back[f"titik_pantau:{point.pk}"].status == "removed"


def _replace(old: EvidenceFile, n: int) -> EvidenceFile:
    """A new version of ``old`` on its owner (``n`` makes its bytes and name differ)."""
    new = attach(
        make_blob(old.blob.kabupaten, pdf_bytes(1) + f"versi {n}".encode(), FileType.PDF),
        region=old.region,
        kind=old.kind,
        original_name=f"laporan-versi-{n}.pdf",
        requirement=old.requirement,
        assessment=old.assessment,
        data_year=old.data_year,
    )
    EvidenceFile.objects.filter(pk=old.pk).update(replaced_by=new, replaced_at=timezone.now())
    return new


@pytest.mark.parametrize("hops", [1, 4])
def test_a_file_replaced_several_times_is_followed_in_one_query(serang_2025, django_assert_num_queries, hops):
    """The comparison follows a chain of replacements to the newest file, reading every
    replaced file of the removed files' owners at once: one query, however long the chain (it
    was one per step: docs/PERFORMANCE.md)."""
    first = version_now(serang_2025, submitted=True)
    old = EvidenceFile.objects.get(original_name="laporan-inspeksi-pasar-2023.pdf")
    newest = old
    for n in range(hops):
        newest = _replace(newest, n)
    second = version_now(serang_2025)
    first, second = (DossierVersion.objects.get(pk=v.pk) for v in (first, second))

    with django_assert_num_queries(1):
        diff = version_diff(first, second)
    replaced = [f for section in diff.sections for r in section.records for f in r.files]
    assert [(f.status, f.old_name, f.name) for f in replaced] == [
        ("replaced", "laporan-inspeksi-pasar-2023.pdf", f"laporan-versi-{hops - 1}.pdf")
    ]
    assert diff.counts["files_replaced"] == 1


def test_added_and_removed_files_and_indicators(serang_2025, rina, wilayah):
    first = version_now(serang_2025)
    activity = EvidenceFile.objects.get(original_name="kerja-bakti.jpg").activity
    attach(
        make_blob(serang_2025.kabupaten, pdf_bytes(4), FileType.PDF),
        region=wilayah["carenang"],
        kind="daftar_hadir",
        original_name="daftar-hadir.pdf",
        activity=activity,
    )
    gone = entry(serang_2025, "KSM", "2")
    gone.delete()
    second = version_now(serang_2025)
    diff = version_diff(first, second)
    found = records(diff)
    assert found[f"indicator:{gone.indicator_id}"].status == "removed"
    assert found[f"indicator:{gone.indicator_id}"].label == "KSM 2. Persentase posyandu aktif"
    files = found[f"activity:{activity.pk}"].files
    assert [(f.status, f.name, f.kind_label, f.data_year) for f in files] == [
        ("added", "daftar-hadir.pdf", "Daftar hadir", None)
    ]
    assert (diff.counts["indicators_removed"], diff.counts["files_added"]) == (1, 1)


def test_the_same_data_compares_as_unchanged(serang_2025):
    first, second = version_now(serang_2025), version_now(serang_2025)
    diff = version_diff(first, second)
    assert diff.available
    assert diff.unchanged
    assert diff.sections == []


def test_versions_without_a_snapshot_say_so(serang_2025):
    old = version_now(serang_2025, snapshot=False)
    new = version_now(serang_2025)
    diff = version_diff(old, new)
    assert not diff.available
    assert diff.missing_snapshot == [old.number]
    assert diff.sections == []


# --- Which versions ----------------------------------------------------------------------------------


def test_by_default_the_latest_version_against_the_last_submitted_before_it(serang_2025):
    v1 = version_now(serang_2025, submitted=True)
    v2 = version_now(serang_2025)
    v3 = version_now(serang_2025)
    assert diff_pair(serang_2025) == (v1, v3)
    assert diff_pair(serang_2025, ke="2") == (v1, v2)
    assert diff_pair(serang_2025, dari="2") == (v2, v3)
    assert diff_pair(serang_2025, dari="3", ke="1") == (v3, v1)
    v4 = version_now(serang_2025, submitted=True)
    assert diff_pair(serang_2025) == (v1, v4)  # the resubmission against what the verifier returned


def test_without_anything_submitted_the_version_before(serang_2025):
    assert diff_pair(serang_2025) is None
    v1 = version_now(serang_2025)
    assert diff_pair(serang_2025) is None
    v2 = version_now(serang_2025)
    assert diff_pair(serang_2025) == (v1, v2)


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ({"dari": "x"}, {"dari": ["Nomor versi harus berupa angka, mis. 2."]}),
        ({"ke": "0"}, {"ke": ["Nomor versi harus berupa angka, mis. 2."]}),
        ({"dari": "9"}, {"dari": ["Versi 9 tidak ada atau belum selesai disusun."]}),
        ({"dari": "2", "ke": "2"}, {"ke": ["Pilih dua versi yang berbeda."]}),
        ({"ke": "1"}, {"dari": ["Tidak ada versi sebelum versi 1."]}),
    ],
)
def test_bad_version_numbers_are_explained(serang_2025, query, errors):
    version_now(serang_2025)
    version_now(serang_2025)
    with pytest.raises(ValidationError) as raised:
        diff_pair(serang_2025, **query)
    assert raised.value.message_dict == errors


def test_a_version_still_compiling_cannot_be_compared(serang_2025):
    version_now(serang_2025)
    dossier = Dossier.objects.get(assessment=serang_2025)
    DossierVersion.objects.create(dossier=dossier, number=2, state=DossierVersion.State.RUNNING)
    with pytest.raises(ValidationError) as raised:
        diff_pair(serang_2025, ke="2")
    assert raised.value.message_dict == {"ke": ["Versi 2 tidak ada atau belum selesai disusun."]}


# --- The page -------------------------------------------------------------------------------------------


def diff_url(assessment, **query):
    url = reverse("dossiers:diff", kwargs={"pk": assessment.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_verifier_reads_what_changed(serang_2025, client_for, vina, nadia, rina):
    version_now(serang_2025, submitted=True)
    psr1 = entry(serang_2025, "PSR", "1")
    psr1.explanation = "Penjelasan baru <b>tebal</b>"
    psr1.self_score = psr1.indicator.scale_options.get(value=0)
    psr1.save()
    version_now(serang_2025)
    for reader in (vina, nadia, rina):
        response = client_for(reader).get(diff_url(serang_2025))
        page = response.content.decode()
        assert response.status_code == 200
        assert "Dari versi 1 ke versi 2" in page
        assert 'data-section="PSR"' in page
        assert f'data-record="indicator:{psr1.indicator_id}" data-status="changed"' in page
        assert "Penjelasan baru &lt;b&gt;tebal&lt;/b&gt;" in page  # escaped, never markup
        assert "1 indikator berubah" in page
        assert '<option value="1" selected>' in page


def test_the_page_explains_what_it_cannot_show(serang_2025, client_for, vina):
    client = client_for(vina)
    page = client.get(diff_url(serang_2025)).content.decode()
    assert "Perbandingan memerlukan sedikitnya dua versi yang sudah selesai disusun." in page
    version_now(serang_2025, snapshot=False)
    version_now(serang_2025)
    page = client.get(diff_url(serang_2025)).content.decode()
    assert "Versi 1 disusun sebelum portal menyimpan ringkasan data untuk perbandingan" in page
    response = client.get(diff_url(serang_2025, dari="abc"))
    assert response.status_code == 400
    assert "Nomor versi harus berupa angka, mis. 2." in response.content.decode()
    unchanged = client.get(diff_url(serang_2025, dari=2, ke=2))
    assert "Pilih dua versi yang berbeda." in unchanged.content.decode()


def test_others_find_no_diff(serang_2025, client_for, client, wawan, oscar, sari, dewi):
    for person in (wawan, oscar, sari, dewi):
        assert client_for(person).get(diff_url(serang_2025)).status_code == 404
    client.logout()
    assert client.get(diff_url(serang_2025)).status_code == 302


def test_the_dossier_page_links_to_the_diff_and_the_exports(serang_2025, client_for, vina):
    page = client_for(vina).get(reverse("dossiers:detail", kwargs={"pk": serang_2025.pk})).content.decode()
    for name in ("diff", "sipantas_xlsx", "sipantas_json"):
        assert f'href="{reverse(f"dossiers:{name}", kwargs={"pk": serang_2025.pk})}"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_verifier_reads_the_changes_on_a_phone(serang_2025, vina, phone, tmp_path):
    from conftest import browser_login

    version_now(serang_2025, submitted=True)
    psr1 = entry(serang_2025, "PSR", "1")
    psr1.explanation = "Dokumen lengkap di https://drive.example.id/" + "folder-bukti-dukung-pasar-" * 8
    psr1.evidence_link = "https://drive.example.id/" + "x" * 150
    psr1.self_score = psr1.indicator.scale_options.get(value=100)
    psr1.save()
    version_now(serang_2025)

    browser_login(phone, "vina")
    phone.goto(f"/dossier/{serang_2025.pk}/")
    phone.click("#diff-link")
    phone.wait_for_url(f"**/dossier/{serang_2025.pk}/beda/")
    assert "Dari versi 1 ke versi 2" in phone.locator("#diff-heading").inner_text()
    assert "1 nilai berubah" in phone.locator("#diff-summary").inner_text()
    record = phone.locator(f"[data-record='indicator:{psr1.indicator_id}']")
    assert "Berubah" in record.inner_text()
    assert record.locator("[data-field=self] .diff-old").inner_text() == "75"
    assert record.locator("[data-field=self] .diff-new").inner_text() == "100"
    phone.select_option("#diff-dari", "2")
    phone.select_option("#diff-ke", "1")
    with phone.expect_navigation():
        phone.click("#diff-form [type=submit]")
    assert phone.locator("[data-field=self] .diff-new").inner_text() == "75"
    overflow = phone.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    phone.screenshot(path=str(tmp_path / "beda.png"), full_page=True)
    assert overflow <= 0

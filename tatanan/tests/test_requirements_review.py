"""Reviewing the evidence requirements: the real 2025 workbook split into documents, the review
page (superusers only) where documents are merged or split, and a re-import that keeps that work."""

import pytest
from django.urls import reverse

from tatanan.importer import Status, instrument_import
from tatanan.models import EvidenceRequirement, Indicator, KelembagaanItem
from tatanan.selectors import requirement_documents
from tatanan.services import requirements_merge, requirements_split

pytestmark = pytest.mark.django_db

# The 2025 instrument: 136 indicators and 16 kelembagaan items. Cut only at a numbered list, its
# bukti dukung texts named 164 documents, 226 requirement rows with their data years; one per
# document, they name 225 documents, 302 rows (50 of the 152 texts changed).
REQUIREMENTS_2025 = 302
DOCUMENTS_2025 = 225


def sra(cycle):
    """PDD 3: a report "dilengkapi dengan: 1. SK … 2. SOP … 3. Laporan pendampingan …"."""
    return Indicator.objects.get(cycle=cycle, tatanan__code="PDD", number="3")


def documents_of(owner):
    return requirement_documents(owner.evidence_requirements.order_by("order", "data_year", "id"))


def summary(owner):
    return [(d.description[:30], [r.data_year for r in d.requirements]) for d in documents_of(owner)]


def test_the_real_workbook_gives_one_requirement_per_document_and_year(catalogue_2025):
    cycle = catalogue_2025
    rows = EvidenceRequirement.objects.filter(indicator__cycle=cycle).count()
    rows += EvidenceRequirement.objects.filter(kelembagaan_item__cycle=cycle).count()
    owners = list(Indicator.objects.filter(cycle=cycle)) + list(KelembagaanItem.objects.filter(cycle=cycle))
    assert (rows, sum(len(documents_of(owner)) for owner in owners)) == (REQUIREMENTS_2025, DOCUMENTS_2025)
    assert summary(sra(cycle)) == [
        ("Laporan capaian persentase Sek", [2023, 2024]),
        ("SK untuk SRA baik yang dikelua", [2023, 2024]),
        ("SOP penanganan kasus (lampiran", [2023, 2024]),
        ("Laporan pendampingan penangana", [2023, 2024]),
    ]
    trc = Indicator.objects.get(cycle=cycle, tatanan__code="BCN", number="7")
    assert [d.description.split(" (")[0] for d in documents_of(trc)] == [
        "Laporan pelaksanaan kegiatan TRC. Laporan divalidasi oleh Kepala OPD terkait.",
        "Dokumentasi",
        "SK",
        "Renja",
    ]


def test_merges_and_splits_survive_a_reimport(catalogue_2025, real_workbook, root_user):
    cycle = catalogue_2025
    indicator = sra(cycle)
    report, sk, sop, case = documents_of(indicator)
    requirements_merge(
        owner=indicator, keys=[sk.key, sop.key], description="SK dan SOP satuan pendidikan ramah anak", actor=root_user
    )
    assert documents_of(indicator)[-1].key == case.key  # untouched documents keep their rows
    requirements_split(
        owner=indicator,
        key=case.key,
        descriptions=["Laporan pendampingan kasus", "Daftar kasus yang ditangani"],
        actor=root_user,
    )
    edited = summary(indicator)
    assert edited == [
        ("Laporan capaian persentase Sek", [2023, 2024]),
        ("SK dan SOP satuan pendidikan r", [2023, 2024]),
        ("Laporan pendampingan kasus", [2023, 2024]),
        ("Daftar kasus yang ditangani", [2023, 2024]),
    ]
    indicator.refresh_from_db()
    assert indicator.requirements_edited
    ids = set(indicator.evidence_requirements.values_list("id", flat=True))

    result = instrument_import(cycle=cycle, file=real_workbook)

    assert result.imported
    assert result.count(Status.UPDATED) == 0
    assert summary(indicator) == edited
    assert set(indicator.evidence_requirements.values_list("id", flat=True)) == ids


def test_a_merged_document_asks_every_year_its_parts_asked(catalogue_2025, root_user):
    kit = Indicator.objects.get(cycle=catalogue_2025, tatanan__code="KSM", number="6")  # SKI 2023, SSGI 2024
    ski, ssgi = documents_of(kit)
    assert ([r.data_year for r in ski.requirements], [r.data_year for r in ssgi.requirements]) == ([2023], [2024])
    requirements_merge(owner=kit, keys=[ski.key, ssgi.key], description="Laporan SKI dan SSGI", actor=root_user)
    assert summary(kit) == [("Laporan SKI dan SSGI", [2023, 2024])]


# --- The page ------------------------------------------------------------------------------------


def page(cycle):
    return reverse("tatanan:requirements_review", args=[cycle.award_year])


def test_the_superuser_sees_each_text_next_to_its_documents(catalogue_2025, client_for, root_user):
    response = client_for(root_user).get(page(catalogue_2025))
    assert response.status_code == 200
    html = response.content.decode()
    indicator = sra(catalogue_2025)
    assert f'id="indicator-{indicator.pk}"' in html
    assert "SOP penanganan kasus" in html
    assert html.count('class="card mb-2 shadow-sm requirements-owner"') == 136 + 16
    assert "terkunci begitu ada berkas bukti" in html
    detail = client_for(root_user).get(reverse("tatanan:cycle_detail", args=[2025]))
    assert page(catalogue_2025) in detail.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_others_get_404(catalogue_2025, client_for, rina, method):
    indicator = sra(catalogue_2025)
    keys = [str(d.key) for d in documents_of(indicator)[:2]]
    data = {"action": "merge", "owner": f"indicator-{indicator.pk}", "requirement_ids": keys, "description": "X"}
    response = getattr(client_for(rina), method)(page(catalogue_2025), data if method == "post" else None)
    assert response.status_code == 404
    assert len(documents_of(indicator)) == 4
    detail = client_for(rina).get(reverse("tatanan:cycle_detail", args=[2025]))
    assert page(catalogue_2025) not in detail.content.decode()


def test_merge_and_split_on_the_page(catalogue_2025, client_for, root_user):
    client = client_for(root_user)
    indicator = sra(catalogue_2025)
    report, sk, sop, case = documents_of(indicator)
    owner = f"indicator-{indicator.pk}"
    response = client.post(
        page(catalogue_2025),
        {"action": "merge", "owner": owner, "requirement_ids": [sk.key, sop.key], "description": "SK dan SOP"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{owner}")
    assert [d.description for d in documents_of(indicator)][1] == "SK dan SOP"

    merged = documents_of(indicator)[1]
    response = client.post(
        page(catalogue_2025),
        {"action": "split", "owner": owner, "requirement_id": merged.key, "descriptions": "SK SRA\n\n  SOP kasus  \n"},
    )
    assert response.status_code == 302
    assert [d.description for d in documents_of(indicator)][1:3] == ["SK SRA", "SOP kasus"]
    assert "Dokumen dipisah." in client.get(page(catalogue_2025)).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "merge", "requirement_ids": "first", "description": "Gabungan"}, "Pilih sedikitnya dua dokumen"),
        ({"action": "merge", "requirement_ids": "two", "description": "  "}, "Tulis nama dokumen gabungannya."),
        ({"action": "merge", "requirement_ids": "stranger", "description": "X"}, "sudah tidak ada pada syarat ini"),
        ({"action": "split", "requirement_id": "first", "descriptions": "Satu saja"}, "sedikitnya dua dokumen"),
        ({"action": "split", "requirement_id": "first", "descriptions": "SK\nsk"}, "Dokumen “sk” tertulis dua kali."),
        ({"action": "split", "requirement_id": "stranger", "descriptions": "A\nB"}, "sudah tidak ada pada syarat ini"),
        ({"action": "split", "owner": "indicator-0", "requirement_id": "first"}, "tidak ada pada siklus ini"),
    ],
)
def test_bad_input_is_answered_in_indonesian_and_kept(catalogue_2025, client_for, root_user, data, message):
    indicator = sra(catalogue_2025)
    documents = documents_of(indicator)
    other = documents_of(Indicator.objects.get(cycle=catalogue_2025, tatanan__code="BCN", number="7"))
    keys = {"first": [documents[0].key], "two": [documents[0].key, documents[1].key], "stranger": [other[0].key]}
    data = {"owner": f"indicator-{indicator.pk}", **data}
    for field in ("requirement_ids", "requirement_id"):
        if field in data:
            data[field] = keys[data[field]]
    before = list(EvidenceRequirement.objects.values_list("id", "description", "data_year").order_by("id"))

    response = client_for(root_user).post(page(catalogue_2025), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'").replace("&quot;", '"')
    for typed in (data.get("description", "").strip(), data.get("descriptions", "")):
        assert typed in html  # what was typed is still there
    assert list(EvidenceRequirement.objects.values_list("id", "description", "data_year").order_by("id")) == before

"""OPDs by function (issue 13, item 2; docs/DOMAIN.md "OPDs by function"): the instrument names
data sources by government function; a kabupaten maps functions to its OPDs once, and every
entry of a round is assigned from that map."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError

from accounts.functions import functions_in, suggested_functions
from accounts.models import OpdFunction
from accounts.services import opd_functions_set
from accounts.tests.factories import OpdFactory
from conftest import DEMO_WORKBOOK
from indicators.models import IndicatorEntry
from indicators.services import assessment_open
from tatanan.cycles import cycle_create_from
from tatanan.importer import instrument_import
from tatanan.models import Cycle

# A kabupaten's usual OPDs, with the names they go by.
SERANG_OPDS = [
    ("Dinkes", "Dinas Kesehatan"),
    ("DLH", "Dinas Lingkungan Hidup"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("Disdikbud", "Dinas Pendidikan dan Kebudayaan"),
    ("Disperindag", "Dinas Perindustrian dan Perdagangan"),
    ("Dishub", "Dinas Perhubungan"),
    ("Dispar", "Dinas Pariwisata, Pemuda dan Olahraga"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("Dinsos", "Dinas Sosial"),
    ("DP3A", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("Disnaker", "Dinas Tenaga Kerja"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("Diskominfo", "Dinas Komunikasi, Informatika, Statistik dan Persandian"),
    ("Bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("Disketapang", "Dinas Ketahanan Pangan"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Perangkat daerah yang membidangi urusan kesehatan", ["kesehatan"]),
        ("Perangkat daerah yang membidangi terkait Pasar", ["perdagangan"]),
        ("Perangkat daerah yang membidangi urusan pariwisata dan/atau kesehatan", ["pariwisata", "kesehatan"]),
        (
            "Sistem Informasi Tuberkulosis (SITB) / atau perangkat daerah yang membidangi urusan kesehatan",
            ["kesehatan"],
        ),
        (
            "BPS/ Aplikasi SIPSN (Sistem Informasi Sampah Nasional) atau ... lingkungan hidup/ PUPR",
            ["bps", "lingkungan_hidup", "pupr"],
        ),
        ("Sistem Informasi Industri Nasional (SIINAS)", ["perindustrian"]),
        ("Perangkat daerah yang membidangi urusan pariwsata", ["pariwisata"]),  # the instrument's typo
        ("Laporan kegiatan", []),
    ],
)
def test_a_sumber_data_text_names_its_functions_first_named_first(text, expected):
    assert functions_in(text) == expected


def test_an_opd_name_suggests_its_functions():
    assert suggested_functions("Dinas Perindustrian dan Perdagangan", "Disperindag") == ["perindustrian", "perdagangan"]
    assert suggested_functions("Badan Penanggulangan Bencana Daerah", "BPBD") == ["kebencanaan"]
    assert suggested_functions("Sekretariat Daerah", "Setda") == []


@pytest.fixture
def serang_opds(wilayah):
    return {short: OpdFactory(kabupaten=wilayah["serang"], short_name=short, name=name) for short, name in SERANG_OPDS}


def fields_of(html: str) -> dict[str, str]:
    """The OPD pre-selected for each function on the page (what the user would save)."""
    chosen = {}
    for match in re.finditer(r'<select name="(fungsi_\w+)".*?</select>', html, re.S):
        selected = re.search(r'<option value="(\d+)"[^>]*selected', match.group(0))
        chosen[match.group(1)] = selected.group(1) if selected else ""
    return chosen


@pytest.mark.django_db
def test_mapping_once_assigns_nine_in_ten_entries_of_the_official_2025_round_and_of_the_next(
    shipped_catalogue, client_for, rina, root_user, serang_opds, wilayah
):
    """Done-when of item 2: the official 2025 workbook, the functions mapped once on the page
    from its suggestions, and at least 90 % of a round's entries have an OPD."""
    assert instrument_import(cycle=Cycle.objects.get(award_year=2025), file=DEMO_WORKBOOK).imported
    assessment = assessment_open(kabupaten=wilayah["serang"], cycle=Cycle.objects.get(award_year=2025), actor=rina)
    assert not assessment.indicator_entries.filter(assigned_opd__isnull=False).exists()
    client = client_for(rina)
    url = f"/penilaian/{assessment.pk}/permintaan-data/fungsi-opd/"
    page = client.get(url).content.decode()
    assert "Saran dari nama OPD" in page
    chosen = fields_of(page)
    assert chosen["fungsi_kesehatan"] == str(serang_opds["Dinkes"].pk)
    assert chosen["fungsi_perdagangan"] == str(serang_opds["Disperindag"].pk)
    # Bappeda saves the suggestions as they are, with "assign this round's entries" ticked.
    response = client.post(url, {**chosen, "apply": "on"})
    assert response.status_code == 302
    entries = IndicatorEntry.objects.filter(assessment=assessment, indicator__is_local=False)
    assert entries.count() == 136
    assigned = entries.filter(assigned_opd__isnull=False).count()
    assert assigned >= 0.9 * entries.count(), (assigned, entries.count())
    message = client.get(response["Location"]).content.decode()
    assert f"{assigned} isian yang belum punya OPD kini ditugaskan." in message
    # "Sistem Informasi Tuberkulosis (SITB) atau perangkat daerah … kesehatan": Dinkes, not Diskominfo.
    tb = entries.filter(indicator__sumber_data__icontains="Tuberkulosis (SITB)")
    assert tb.exists()
    assert {entry.assigned_opd for entry in tb} == {serang_opds["Dinkes"]}
    pasar = entries.filter(indicator__sumber_data__icontains="terkait Pasar")
    assert {entry.assigned_opd for entry in pasar} == {serang_opds["Disperindag"]}

    # The next round (its catalogue copied from 2025) is pre-assigned when it opens.
    next_cycle = cycle_create_from(source=Cycle.objects.get(award_year=2025), award_year=2029, actor=root_user)
    following = assessment_open(kabupaten=wilayah["serang"], cycle=next_cycle, actor=rina)
    total = following.indicator_entries.count()
    assert total == 136
    assert following.indicator_entries.filter(assigned_opd__isnull=False).count() >= 0.9 * total


@pytest.mark.django_db
def test_an_opd_of_another_kabupaten_is_refused_and_nothing_is_saved(rina, wilayah, serang_opds):
    bogor_dinkes = OpdFactory(kabupaten=wilayah["bogor"], short_name="Dinkes", name="Dinas Kesehatan")
    with pytest.raises(ValidationError, match="bukan OPD Kabupaten Serang"):
        opd_functions_set(
            kabupaten=wilayah["serang"],
            actor=rina,
            mapping={"kesehatan": bogor_dinkes, "lingkungan_hidup": serang_opds["DLH"]},
        )
    assert not OpdFunction.objects.exists()


@pytest.mark.django_db
def test_the_page_refuses_an_unknown_opd_in_indonesian_and_keeps_the_rest(
    shipped_catalogue, client_for, rina, serang_opds, wilayah
):
    assessment = assessment_open(kabupaten=wilayah["serang"], cycle=Cycle.objects.get(award_year=2025), actor=rina)
    url = f"/penilaian/{assessment.pk}/permintaan-data/fungsi-opd/"
    response = client_for(rina).post(
        url, {"fungsi_kesehatan": "999999", "fungsi_lingkungan_hidup": str(serang_opds["DLH"].pk)}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Masukkan pilihan yang valid" in page
    dlh = re.search(r'<select name="fungsi_lingkungan_hidup".*?</select>', page, re.S).group(0)
    assert re.search(rf'<option value="{serang_opds["DLH"].pk}"[^>]*selected', dlh)
    assert not OpdFunction.objects.exists()

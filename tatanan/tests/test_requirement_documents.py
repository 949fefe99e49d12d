"""One requirement per document: how a bukti dukung text is cut into the documents it names.

The rules are in docs/DOMAIN.md ("Evidence requirements"). The texts of ``REAL`` are cells of the
official 2025 instrument (``tatanan/data/instrumen-kks-2025.xlsx``), sheet and row noted; the
expected documents were checked by eye.
"""

import pytest

from tatanan.parsing import clean_text, parse_requirements, split_documents

YEARS = [2023, 2024]
BOTH = [2023, 2024]

REAL = [
    pytest.param(
        # Tatanan 3 Pendidikan, row 9: a report "dilengkapi dengan: 1. SK … 2. SOP … 3. Laporan …".
        "Laporan capaian persentase Sekolah/Madrasah/Pondok Pesantren yang menerapkan Satuan Pendidikan Ramah Anak "
        "tahun 2023 dan 2024 yang dilengkapi dengan :\n1. SK untuk SRA baik yang_x000b_dikeluarkan oleh kepala daerah, "
        "Kepala Dinas Pendidikan, Kanwil Kemenag, ataupun oleh Kepala Dinas PPPA.\n2. SOP penanganan kasus\n"
        "3. Laporan pendampingan penanganan kasus \n\nLapora divalidasi oleh kepala OPD terkait.",
        [
            (
                "Laporan capaian persentase Sekolah/Madrasah/Pondok Pesantren yang menerapkan Satuan Pendidikan Ramah "
                "Anak tahun 2023 dan 2024. Lapora divalidasi oleh kepala OPD terkait.",
                BOTH,
            ),
            (
                "SK untuk SRA baik yang dikeluarkan oleh kepala daerah, Kepala Dinas Pendidikan, Kanwil Kemenag, "
                "ataupun oleh Kepala Dinas PPPA",
                BOTH,
            ),
            (
                "SOP penanganan kasus (lampiran laporan capaian persentase Sekolah/Madrasah/Pondok Pesantren yang "
                "menerapkan Satuan …)",
                BOTH,
            ),
            ("Laporan pendampingan penanganan kasus", BOTH),
        ],
        id="sra-sk-sop-laporan-kasus",
    ),
    pytest.param(
        # Tatanan 9 Bencana, row 13: "… serta lampiran SK dan Renja".
        "Laporan pelaksanaan kegiatan TRC disertai dengan dokumentasi serta lampiran SK dan Renja. \n"
        "Laporan divalidasi oleh Kepala OPD terkait.",
        [
            ("Laporan pelaksanaan kegiatan TRC. Laporan divalidasi oleh Kepala OPD terkait.", []),
            ("Dokumentasi (lampiran laporan pelaksanaan kegiatan TRC)", []),
            ("SK (lampiran laporan pelaksanaan kegiatan TRC)", []),
            ("Renja (lampiran laporan pelaksanaan kegiatan TRC)", []),
        ],
        id="trc-sk-dan-renja",
    ),
    pytest.param(
        # Tatanan 1, row 12: each report its own year.
        "Laporan hasil SKI tahun 2023 dan laporan hasil SSGI tahun 2024 dilengkapi dengan tangkapan layar "
        "(screenshot) dan informasi cut off waktu penarikan data yang divalidasi oleh Kepala OPD terkait.",
        [
            ("Laporan hasil SKI tahun 2023 yang divalidasi oleh Kepala OPD terkait.", [2023]),
            (
                "Laporan hasil SSGI tahun 2024 dilengkapi dengan tangkapan layar (screenshot) dan informasi cut off "
                "waktu penarikan data yang divalidasi oleh Kepala OPD terkait.",
                [2024],
            ),
        ],
        id="ski-2023-ssgi-2024",
    ),
    pytest.param(
        # Tatanan 1, row 21: the shared "yang divalidasi oleh Kepala OPD terkait" goes to each.
        "Laporan capaian Orang Dengan Gangguan Jiwa Berat  yang mendapatkan pelayanan sesuai standar dan dokumen "
        "komitmen kepala daerah dalam program penanggulangan pemasungan/ bebas pasung yang divalidasi oleh Kepala "
        "OPD terkait.",
        [
            (
                "Laporan capaian Orang Dengan Gangguan Jiwa Berat yang mendapatkan pelayanan sesuai standar yang "
                "divalidasi oleh Kepala OPD terkait.",
                [],
            ),
            (
                "Dokumen komitmen kepala daerah dalam program penanggulangan pemasungan/ bebas pasung yang divalidasi "
                "oleh Kepala OPD terkait.",
                [],
            ),
        ],
        id="odgj-shared-validation",
    ),
    pytest.param(
        # Tatanan 7, row 15: "Laporan dan dokumentasi X": a report of X and photos of X, both years.
        "Laporan dan dokumentasi jumlah titik fasilitas jalur sepeda pada tahun 2023 dan 2024 yang divalidasi oleh "
        "kepala OPD terkait.",
        [
            (
                "Laporan jumlah titik fasilitas jalur sepeda pada tahun 2023 dan 2024 yang divalidasi oleh kepala OPD "
                "terkait.",
                BOTH,
            ),
            (
                "Dokumentasi jumlah titik fasilitas jalur sepeda pada tahun 2023 dan 2024 yang divalidasi oleh kepala "
                "OPD terkait.",
                BOTH,
            ),
        ],
        id="laporan-dan-dokumentasi",
    ),
    pytest.param(
        # Tatanan 3, row 12: two SKs and a work plan; "tahun 2023 dan 2024" at the end is for each.
        "Dokumen SK Tim Pembina tingkat Kabupaten/Kota dan SK Tim Pembina tingkat Kecamatan disertai dengan dokumen "
        "rencana kerja dan realisasinya. tahun 2023 dan 2024.",
        [
            ("Dokumen SK Tim Pembina tingkat Kabupaten/Kota", BOTH),
            ("SK Tim Pembina tingkat Kecamatan", BOTH),
            ("Dokumen rencana kerja dan realisasinya. tahun 2023 dan 2024", BOTH),
        ],
        id="two-sk-and-renja",
    ),
    pytest.param(
        # Tatanan 8, row 16: a list closed by "dan".
        "Dokumen RPJMD, Realisasi Anggaran, dan Dokumen/ Laporan Pelaksanaan Kegiatan. Laporan divalidasi oleh "
        "Kepala OPD terkait. ",
        [
            ("Dokumen RPJMD", []),
            ("Realisasi Anggaran", []),
            ("Dokumen/ Laporan Pelaksanaan Kegiatan. Laporan divalidasi oleh Kepala OPD terkait.", []),
        ],
        id="rpjmd-realisasi-laporan",
    ),
    pytest.param(
        # Tatanan 2, row 14: the photos keep their "minimal 2 buah foto"; the remark goes with them.
        "Laporan rekapitulasi kegiatan car free day yang dilengkapi dengan dokumen Perda/ Perwali/ SE Kepala Daerah "
        "tentang kegiatan car free day. dan dokumentasi pelaksanaan car free day minimal 2 buah foto dengan "
        "keterangan lokasi dan waktu pelaksanaan. Foto dokumentasi dapat diambil dari screenshot dari media massa.",
        [
            ("Laporan rekapitulasi kegiatan car free day", []),
            ("Dokumen Perda/ Perwali/ SE Kepala Daerah tentang kegiatan car free day", []),
            (
                "Dokumentasi pelaksanaan car free day minimal 2 buah foto dengan keterangan lokasi dan waktu "
                "pelaksanaan. Foto dokumentasi dapat diambil dari screenshot dari media massa.",
                [],
            ),
        ],
        id="car-free-day",
    ),
    # One document each: alternatives, kinds of one regulation, contents, conditions.
    pytest.param(
        "Dokumen RPJMD, RKPD, Renstra PD atau Renja PD tentang program Usaha Kesehatan Sekolah/Madrasah (UKS/M) "
        "termasuk penganggarannya ",
        None,
        id="alternatives-atau",
    ),
    pytest.param(
        "Dokumen Peraturan Daerah (tentang penyelenggaraan Kepariwisataan), Perwali/Perbup. Jika regulasi ditetapkan "
        "sebelum 2023 maka wajib disertai dengan laporan penerapannya yang divalidasi oleh Kepala OPD terkait. Jika "
        "masih dalam proses penyusunan regulasi maka dilengkapi dengan rancangan regulasi dan penjelasan proses "
        "penyusunannya.",
        None,
        id="regulation-kinds-and-conditions",
    ),
    pytest.param(
        "Laporan terdiri dari :\n1. SK Kumuh ditetapkan oleh Bupati/Walikota muncul kawasan kumuh (ringan, sedang, "
        "berat). \n2. data awal dari SK kumuh Kab/kota.\n3. capaian tahun 2023 dan 2024 dilihat dari LKj atau "
        "dokumen resmi lainnya yg mencantumkan capaian penanganan kawasan kumuh Kab/kota.",
        None,
        id="contents-terdiri-dari",
    ),
    pytest.param(
        "Laporan keberadaan  Desa/Kampung Wisata setidaknya memuat informasi tentang:\na. jumlah Desa/Kampung "
        "Wisata;\nb. rekap data  Desa/Kampung Wisata;\nd. lampiran SK pembentukan Desa/Kampung Wisata. \n"
        "Laporan divalidasi oleh Kepala OPD terkait.",
        None,
        id="contents-memuat-lettered",
    ),
    pytest.param(
        "Laporan Pengawasan Keamanan dan Mutu Pangan Segar di kabupaten/kota yang dilengkapi dengan:\n"
        "a. data jumlah sampel pangan yang diperiksa pada tahun 2023 dan 2024;\nb. data jumlah sampel pangan yang "
        "diperiksa dan memenuhi persyaratan keamanan pangan pada tahun 2023 dan 2024; dan\nc. contoh hasil "
        "pemeriksaan (laboratorium).\nLaporan divalidasi oleh Kepala OPD terkait.",
        None,
        id="data-of-a-report",
    ),
    pytest.param(
        "Dokumen KRB atau rancangan dokumen KRB disertai dengan dokumentasi proses penyusunannya.",
        [
            ("Dokumen KRB atau rancangan dokumen KRB", []),
            ("Dokumentasi proses penyusunannya (lampiran dokumen KRB atau rancangan dokumen KRB)", []),
        ],
        id="krb-or-draft-with-photos",
    ),
]


@pytest.mark.parametrize(("text", "expected"), REAL)
def test_real_bukti_dukung_texts(text, expected):
    requirements = parse_requirements(text, data_years=YEARS)
    documents = {}
    for requirement in requirements:
        documents.setdefault(requirement.description, []).extend(
            [requirement.data_year] if requirement.data_year else []
        )
    if expected is None:  # one document: the text whole, as before
        assert list(documents) == [" ".join(clean_text(text).split())]
    else:
        assert list(documents.items()) == [(description, years) for description, years in expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SK, SOP dan laporan kasus tahun 2023 dan 2024", ["SK", "SOP", "Laporan kasus tahun 2023 dan 2024"]),
        ("Dokumen A; dokumen B", ["Dokumen A", "Dokumen B"]),
        ("SK dan Renja", ["SK", "Renja"]),
        ("Surat Keputusan tentang pembentukan tim dan sekretariat", None),
        ("Dokumentasi foto sebelum dan sesudah kegiatan", None),
        ("Laporan monitoring dan evaluasi program", None),
        ("Perda, Perbup, SE Bupati tentang kawasan tanpa rokok", None),
    ],
)
def test_the_rules_on_short_texts(text, expected):
    assert split_documents(text) == (expected or [text])


def test_shared_years_and_signature_go_to_each_document():
    requirements = parse_requirements(
        "SK, SOP dan laporan kasus tahun 2023 dan 2024 yang ditandatangani Kepala OPD", data_years=YEARS
    )
    assert [(r.description, r.data_year) for r in requirements] == [
        ("SK yang ditandatangani Kepala OPD", 2023),
        ("SK yang ditandatangani Kepala OPD", 2024),
        ("SOP yang ditandatangani Kepala OPD", 2023),
        ("SOP yang ditandatangani Kepala OPD", 2024),
        ("Laporan kasus tahun 2023 dan 2024 yang ditandatangani Kepala OPD", 2023),
        ("Laporan kasus tahun 2023 dan 2024 yang ditandatangani Kepala OPD", 2024),
    ]


def test_the_count_belongs_to_its_document():
    requirements = parse_requirements(
        "Laporan kegiatan disertai dengan dokumentasi minimal 3 foto kegiatan", data_years=YEARS
    )
    assert [(r.description, r.count) for r in requirements] == [
        ("Laporan kegiatan", 1),
        ("Dokumentasi minimal 3 foto kegiatan", 3),
    ]


def test_a_condition_in_a_numbered_list_is_not_a_document():
    text = (
        "1. Dokumen Perjanjian kerjasama/MoU\n2. Dokumen Rencana Aksi\n3. Dokumen Laporan kegiatan\n"
        "4. Jika masih dalam proses penyusunan maka perlu melampirkan dokumen yang menunjukkan proses penyusunan"
    )
    assert split_documents(text) == [
        "Dokumen Perjanjian kerjasama/MoU",
        "Dokumen Rencana Aksi",
        "Dokumen Laporan kegiatan. Jika masih dalam proses penyusunan maka perlu melampirkan dokumen yang "
        "menunjukkan proses penyusunan",
    ]

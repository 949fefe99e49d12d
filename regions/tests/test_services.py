import pytest
from django.conf import settings

from regions.models import Region
from regions.services import WilayahImportError, wilayah_import, wilayah_read

from .conftest import SMALL

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(Region.objects.values_list("code", "parent_id", "name", "level", "kind"))


def test_loads_every_level_with_parent_level_and_kind(wilayah_dir):
    report = wilayah_import(data_dir=wilayah_dir())

    assert {level: counts.created for level, counts in report.levels.items()} == {1: 2, 2: 3, 3: 4, 4: 7}
    assert report.total == Region.objects.count() == 16
    carenang = Region.objects.get(code="36.04.17.2001")
    assert (carenang.parent_id, carenang.name, carenang.level, carenang.kind) == ("36.04.17", "Carenang", 4, "desa")
    assert Region.objects.get(code="36").parent_id is None
    assert Region.objects.get(code="36").kind == "provinsi"
    assert Region.objects.get(code="36.04.18").kind == "kecamatan"


def test_kabupaten_and_kota_come_from_the_name(wilayah_dir):
    wilayah_import(data_dir=wilayah_dir())

    assert Region.objects.get(code="36.04").kind == Region.Kind.KABUPATEN
    assert Region.objects.get(code="36.73").kind == Region.Kind.KOTA


def test_village_kind_comes_from_the_code_1xxx_kelurahan_else_desa(wilayah_dir):
    wilayah_import(data_dir=wilayah_dir())

    kinds = dict(Region.objects.filter(level=4).values_list("code", "kind"))
    assert kinds["36.73.01.1002"] == "kelurahan"
    assert kinds["91.03.01.1001"] == "kelurahan"
    assert kinds["91.03.01.2004"] == "desa"
    assert kinds["91.03.01.3007"] == "desa"  # Desa Adat in Papua


def test_second_run_creates_nothing_and_changes_nothing(wilayah_dir):
    folder = wilayah_dir()
    wilayah_import(data_dir=folder)
    before = snapshot()

    report = wilayah_import(data_dir=folder)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 16)
    assert snapshot() == before


def test_renamed_region_is_updated_in_place(wilayah_dir):
    wilayah_import(data_dir=wilayah_dir())
    renamed = SMALL["villages.csv"].replace("Pamanuk", "Pamanuk Baru")

    report = wilayah_import(data_dir=wilayah_dir(villages=renamed))

    assert report.levels[4].updated == 1
    assert report.levels[4].created == 0
    assert Region.objects.get(code="36.04.17.2002").name == "Pamanuk Baru"


def test_regions_missing_from_new_files_are_kept_and_reported(wilayah_dir):
    wilayah_import(data_dir=wilayah_dir())
    without_binuang = SMALL["villages.csv"].replace("36.04.18.2001,36.04.18,Binuang\n", "")

    report = wilayah_import(data_dir=wilayah_dir(villages=without_binuang))

    assert report.levels[4].absent == 1
    assert Region.objects.filter(code="36.04.18.2001").exists()


def test_province_loads_only_its_subtree(wilayah_dir):
    report = wilayah_import(data_dir=wilayah_dir(), province="91")

    assert report.province == "91"
    assert sorted(Region.objects.values_list("code", flat=True)) == [
        "91",
        "91.03",
        "91.03.01",
        "91.03.01.1001",
        "91.03.01.2004",
        "91.03.01.3007",
    ]


def test_province_import_does_not_report_other_provinces_as_absent(wilayah_dir):
    folder = wilayah_dir()
    wilayah_import(data_dir=folder)

    report = wilayah_import(data_dir=folder, province="36")

    assert report.total == 10
    assert all(counts.absent == 0 for counts in report.levels.values())


def test_unknown_province_is_an_error_and_imports_nothing(wilayah_dir):
    with pytest.raises(WilayahImportError, match="kode provinsi 99"):
        wilayah_import(data_dir=wilayah_dir(), province="99")
    assert not Region.objects.exists()


BROKEN = [
    pytest.param(
        {"regencies": "code,name\n36.04,Kabupaten Serang\n"},
        r"regencies\.csv, baris 1: kolom province_code tidak ada",
        id="missing-column",
    ),
    pytest.param(
        {"districts": SMALL["districts.csv"] + "36.05.01,36.05,Cikande\n"},
        r"districts\.csv, baris 6: kode induk 36\.05 tidak dikenal",
        id="unknown-parent",
    ),
    pytest.param(
        {"villages": SMALL["villages.csv"] + "36.04.17.2001,36.04.17,Carenang Lagi\n"},
        r"villages\.csv, baris 9: kode 36\.04\.17\.2001 ganda, sudah ada di baris 2",
        id="duplicated-code",
    ),
    pytest.param(
        {"villages": SMALL["villages.csv"] + "36.04.17.2003,36.04.18,Mandaya\n"},
        r"villages\.csv, baris 9: kode 36\.04\.17\.2003 tidak berada di bawah kode induknya 36\.04\.18",
        id="code-outside-parent",
    ),
    pytest.param(
        {"districts": SMALL["districts.csv"] + "36.04.1,36.04,Salah\n"},
        r"districts\.csv, baris 6: kode '36\.04\.1' tidak sah",
        id="malformed-code",
    ),
    pytest.param(
        {"regencies": SMALL["regencies.csv"] + "36.01,36,Pandeglang\n"},
        r"regencies\.csv, baris 5: nama kabupaten/kota harus diawali",
        id="neither-kabupaten-nor-kota",
    ),
    pytest.param(
        {"villages": SMALL["villages.csv"] + "36.04.17.2003,36.04.17\n"},
        r"villages\.csv, baris 9: ada 2 kolom, seharusnya 3",
        id="short-row",
    ),
    pytest.param(
        {"provinces": SMALL["provinces.csv"] + "11,\n"},
        r"provinces\.csv, baris 4: nama wilayah 11 kosong",
        id="empty-name",
    ),
    pytest.param({"villages": None}, r"villages\.csv: berkas tidak ditemukan", id="missing-file"),
    pytest.param({"provinces": ""}, r"provinces\.csv, baris 1: berkas kosong", id="empty-file"),
]


@pytest.mark.parametrize(("changes", "message"), BROKEN)
def test_broken_files_name_file_and_line_and_leave_the_database_unchanged(wilayah_dir, changes, message):
    wilayah_import(data_dir=wilayah_dir(), province="36")
    before = snapshot()
    folder = wilayah_dir(**changes)

    with pytest.raises(WilayahImportError, match=message):
        wilayah_import(data_dir=folder)

    assert snapshot() == before


def test_not_utf8_is_a_clear_error(wilayah_dir):
    folder = wilayah_dir()
    (folder / "villages.csv").write_bytes(
        "code,district_code,name\n36.04.17.2001,36.04.17,Caren\xe4ng\n".encode("latin-1")
    )

    with pytest.raises(WilayahImportError, match=r"villages\.csv: berkas bukan teks UTF-8"):
        wilayah_import(data_dir=folder)


def test_byte_order_mark_and_blank_lines_are_accepted(wilayah_dir):
    folder = wilayah_dir(provinces="\ufeffcode,name\n36,Banten\n\n91,Papua\n")

    report = wilayah_import(data_dir=folder)

    assert report.levels[1].created == 2


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(WilayahImportError, match="folder data wilayah tidak ditemukan"):
        wilayah_import(data_dir=tmp_path / "nowhere")


def test_a_failure_while_writing_rolls_back_the_levels_already_written(wilayah_dir, monkeypatch):
    real_bulk_create = Region.objects.bulk_create

    def fail_on_villages(objs, **kwargs):
        if any(obj.level == Region.Level.DESA for obj in objs):
            raise RuntimeError("disk full")
        return real_bulk_create(objs, **kwargs)

    monkeypatch.setattr(Region.objects, "bulk_create", fail_on_villages)

    with pytest.raises(RuntimeError):
        wilayah_import(data_dir=wilayah_dir())

    assert not Region.objects.exists()


def test_the_shipped_files_hold_the_whole_country():
    levels = wilayah_read(data_dir=settings.WILAYAH_DATA_DIR)

    assert {level: len(rows) for level, rows in levels.items()} == {1: 38, 2: 514, 3: 7285, 4: 83762}
    kinds = {row.kind for row in levels[4]}
    assert kinds == {"desa", "kelurahan"}

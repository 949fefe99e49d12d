"""Small Kemendagri-shaped CSV folders for the import tests, written to ``tmp_path``."""

from __future__ import annotations

import pytest

# A few real regions: Kabupaten and Kota Serang in Banten, and Sentani in Papua, where
# codes 1xxx are kelurahan, 2xxx desa and 3xxx "Desa Adat" (also desa).
SMALL = {
    "provinces.csv": "code,name\n36,Banten\n91,Papua\n",
    "regencies.csv": (
        "code,province_code,name\n36.04,36,Kabupaten Serang\n36.73,36,Kota Serang\n91.03,91,Kabupaten Jayapura\n"
    ),
    "districts.csv": (
        "code,regency_code,name\n"
        "36.04.17,36.04,Carenang\n"
        "36.04.18,36.04,Binuang\n"
        "36.73.01,36.73,Serang\n"
        "91.03.01,91.03,Sentani\n"
    ),
    "villages.csv": (
        "code,district_code,name\n"
        "36.04.17.2001,36.04.17,Carenang\n"
        "36.04.17.2002,36.04.17,Pamanuk\n"
        "36.04.18.2001,36.04.18,Binuang\n"
        "36.73.01.1002,36.73.01,Cipare\n"
        "91.03.01.1001,91.03.01,Sentani Kota\n"
        "91.03.01.2004,91.03.01,Sereh\n"
        "91.03.01.3007,91.03.01,Desa Adat Yoboi\n"
    ),
}


@pytest.fixture
def wilayah_dir(tmp_path):
    """``wilayah_dir(**changes)``: a folder with the SMALL files, some replaced by ``changes``
    (keyword = file name without ``.csv``; ``None`` leaves the file out)."""

    def write(**changes):
        folder = tmp_path / "wilayah"
        folder.mkdir(exist_ok=True)
        files = dict(SMALL)
        for stem, text in changes.items():
            files[f"{stem}.csv"] = text
        for name, text in files.items():
            path = folder / name
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")
        return folder

    return write

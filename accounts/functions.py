"""Government functions (urusan) that the instrument names as data sources, and how to read them.

The official instrument does not name a kabupaten's OPD: its SUMBER DATA column says "perangkat
daerah yang membidangi urusan kesehatan", "… lingkungan hidup", "… terkait Pasar", BPS or a
national application (ASIK, SIPSN, SIINAS …) (docs/DOMAIN.md, "OPDs by function"). Each kabupaten
maps the functions to its own OPDs once (``accounts.models.OpdFunction``); a new round's entries
are then assigned from that map.

Two readers, both pure functions over text:

* ``functions_in(text)``: the functions a SUMBER DATA text names, in the order it names them
  (the first is the one responsible: "pariwisata dan/atau kesehatan" → pariwisata, kesehatan).
  A national application counts for the function that runs it (ASIK, SITB, Sigizi → kesehatan).
* ``suggested_functions(opd_name, short_name)``: the functions an OPD's name suggests ("Dinas
  Kesehatan" → kesehatan, "BPBD" → kebencanaan), to pre-fill the map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Function:
    code: str
    label: str
    # Words that name the function in a SUMBER DATA text (lower case, matched on word starts).
    source_words: tuple[str, ...]
    # Words of an OPD's name or short name that suggest the function.
    name_words: tuple[str, ...]


FUNCTIONS: tuple[Function, ...] = (
    Function(
        "kesehatan",
        _("Kesehatan"),
        (
            "kesehatan",
            "aplikasi asik",
            "asik",
            "promkes",
            "sitb",
            "tuberkulosis",
            "arbovirosis",
            "sismal",
            "malaria",
            "sinaf",
            "sinar",
            "sirs",
            "sigizi",
            "e-ppgbm",
            "komdat",
            "sikelim",
            "sinapza",
            "napza",
            "simkeswa",
            "silantor",
            "e-satu",
            "satu sehat",
            "sitko",
            "espm",
            "spm",
            "renstra kemenkes",
        ),
        ("kesehatan", "dinkes"),
    ),
    Function(
        "lingkungan_hidup",
        _("Lingkungan hidup"),
        ("lingkungan hidup", "sipsn", "kebersihan"),
        ("lingkungan hidup", "dlh", "dlhk"),
    ),
    Function(
        "pupr",
        _("Pekerjaan umum dan penataan ruang"),
        ("pupr", "pekerjaan umum", "simspam", "sicalmers"),
        ("pekerjaan umum", "pupr", "dpupr"),
    ),
    Function(
        "perumahan",
        _("Perumahan dan kawasan permukiman"),
        ("perumahan", "permukiman", "perkim"),
        ("perumahan", "perkim", "disperkim"),
    ),
    Function("pendidikan", _("Pendidikan"), ("pendidikan", "satuan pendidikan"), ("pendidikan", "disdik", "disdikbud")),
    Function(
        "perdagangan",
        _("Perdagangan dan pasar"),
        ("pasar", "perdagangan", "pangan segar"),
        ("perdagangan", "pasar", "disperindag", "disdag"),
    ),
    Function(
        "perindustrian", _("Perindustrian"), ("perindustrian", "industri", "siinas"), ("perindustrian", "industri")
    ),
    Function("perhubungan", _("Perhubungan"), ("perhubungan", "lalu lintas"), ("perhubungan", "dishub")),
    Function(
        "pariwisata",
        _("Pariwisata"),
        ("pariwisata", "pariwsata", "daya tarik wisata"),
        ("pariwisata", "dispar", "disparbud"),
    ),
    Function(
        "kebencanaan",
        _("Penanggulangan bencana dan kebakaran"),
        ("kebencanaan", "bencana", "kebakaran"),
        ("bencana", "bpbd", "pemadam kebakaran", "damkar"),
    ),
    Function("sosial", _("Sosial"), ("sosial",), ("dinas sosial", "dinsos")),
    Function(
        "pppa",
        _("Pemberdayaan perempuan dan perlindungan anak"),
        ("pppa", "perlindungan perempuan", "perempuan dan anak"),
        ("perempuan", "dp3a", "dp3akb", "dppkbp3a"),
    ),
    Function(
        "ketenagakerjaan",
        _("Ketenagakerjaan"),
        ("ketenagakerjaan", "tenaga kerja"),
        ("tenaga kerja", "ketenagakerjaan", "disnaker", "disnakertrans"),
    ),
    Function(
        "penanaman_modal",
        _("Penanaman modal dan perizinan"),
        ("penanaman modal", "perizinan"),
        ("penanaman modal", "perizinan", "dpmptsp"),
    ),
    Function("umkm", _("Koperasi dan UMKM"), ("umkm", "koperasi"), ("koperasi", "umkm", "diskopumkm")),
    Function("pangan", _("Ketahanan pangan"), ("ketahanan pangan",), ("ketahanan pangan", "dinas pangan", "dkp")),
    Function(
        "kominfo",
        _("Komunikasi dan informatika, statistik"),
        # Not "informasi": every "Sistem Informasi …" application would match it.
        ("komunikasi", "statistik"),
        ("komunikasi", "informatika", "diskominfo", "kominfo"),
    ),
    Function(
        "bps", _("Data statistik (BPS)"), ("bps", "website bps", "data statistik"), ("badan pusat statistik", "bps")
    ),
    Function(
        "kependudukan",
        _("Kependudukan dan pencatatan sipil"),
        ("kependudukan", "dukcapil"),
        ("kependudukan", "dukcapil", "disdukcapil"),
    ),
    Function(
        "perencanaan",
        _("Perencanaan daerah"),
        ("perencanaan daerah", "bappeda", "sipd"),
        ("perencanaan", "bappeda", "bapperida"),
    ),
    Function("hukum", _("Hukum"), ("hukum", "bagian hukum"), ("bagian hukum", "hukum")),
)

BY_CODE = {function.code: function for function in FUNCTIONS}
CHOICES = [(function.code, function.label) for function in FUNCTIONS]


def _pattern(words: tuple[str, ...]) -> re.Pattern:
    # A word start, so "asik" is not found in "klasik" nor "sosial" in "sosialisasi"'s middle.
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})", re.IGNORECASE)


_SOURCE = [(function.code, _pattern(function.source_words)) for function in FUNCTIONS]
_NAME = [(function.code, _pattern(function.name_words)) for function in FUNCTIONS]


def functions_in(text: str) -> list[str]:
    """The codes of the functions ``text`` (a SUMBER DATA cell) names, first named first."""
    found: list[tuple[int, str]] = []
    for code, pattern in _SOURCE:
        match = pattern.search(text or "")
        if match:
            found.append((match.start(), code))
    return [code for _start, code in sorted(found)]


def suggested_functions(*names: str) -> list[str]:
    """The functions an OPD's name (or short name) suggests, first named first ("Dinas
    Perindustrian dan Perdagangan" → perindustrian, perdagangan; "BPBD" → kebencanaan)."""
    found: dict[str, tuple[int, int]] = {}
    for order, name in enumerate(names):
        for code, pattern in _NAME:
            match = pattern.search(name or "")
            if match and code not in found:
                found[code] = (order, match.start())
    return sorted(found, key=found.get)

"""File names: cleaning the name an upload came with, and naming a file in a download.

``clean_filename`` decides what the portal shows and stores as the user's name for a file;
``content_disposition`` writes that name into a response in both forms of RFC 6266, so that
non-ASCII names (``Notulen Rapat Pokja — Désa.pdf``) survive in every browser.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.utils.translation import gettext as _

from .errors import UploadRefused

_UNSAFE_NAME = re.compile(r"[^\w.\- ()\[\]+,&']+", re.UNICODE)


def clean_filename(name: str) -> str:
    """The name shown for a file: what the user called it, minus anything dangerous.

    Names that try to reach another folder or hide bytes are refused, not repaired: they are
    never an honest phone's doing."""
    if name is None or not str(name).strip():
        raise UploadRefused("bad_name", _("Berkas tanpa nama tidak dapat diterima."))
    name = str(name)
    if "\x00" in name or any(unicodedata.category(ch) == "Cc" for ch in name):
        raise UploadRefused("bad_name", _("Nama berkas mengandung karakter kendali (mis. NUL) dan ditolak."))
    if "/" in name or "\\" in name or name.strip().startswith("..") or "/.." in name or "../" in name:
        raise UploadRefused(
            "bad_name", _("Nama berkas berisi jalur folder (mis. ../) dan ditolak. Unggah berkasnya saja.")
        )
    name = unicodedata.normalize("NFC", name).strip()
    # Drop bidi overrides and other format characters that disguise an extension.
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    if not name or name.startswith("."):
        raise UploadRefused("bad_name", _("Nama berkas tidak sah."))
    stem, dot, ext = name.rpartition(".")
    if dot and len(ext) <= 10:
        name = stem[: 190 - len(ext)] + "." + ext
    return name[:200]


_NOT_QUOTABLE = re.compile(r"[^A-Za-z0-9._\- ()\[\]+,&]+")


def ascii_filename(name: str, fallback_extension: str) -> str:
    """An ASCII stand-in for old clients (``filename=``): accents dropped, the rest replaced."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"\s+", " ", _NOT_QUOTABLE.sub("_", plain))
    stem, _dot, extension = plain.rpartition(".") if "." in plain else (plain, "", "")
    stem = stem.strip(" ._")
    if not stem:
        return f"berkas.{fallback_extension}"
    return f"{stem[:140]}.{extension or fallback_extension}"


def content_disposition(name: str, *, inline: bool, extension: str) -> str:
    """Both forms of RFC 6266: ``filename=`` (ASCII) and ``filename*=UTF-8''…`` (RFC 5987)."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_filename(name, extension)}\"; filename*=UTF-8''{quote(name, safe='')}"

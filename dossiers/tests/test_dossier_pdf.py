"""A compiled dossier read back with pypdf: pages, table of contents links, bookmarks, page
footers, attachments, photos from their downscaled copies only, Indonesian text, the manifest."""

import hashlib
import re

from dossiers.tests.conftest import read_pdf
from evidence.models import Blob, EvidenceFile

# --- A compiled dossier --------------------------------------------------------------------------------


def _page_index(reader, reference) -> int:
    return [page.indirect_reference for page in reader.pages].index(reference)


def _outline(reader, items=None, level=0):
    result = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            result.extend(_outline(reader, item, level + 1))
        else:
            result.append((level, item.title, reader.get_destination_page_number(item)))
    return result


def test_compiled_dossier_reads_back(serang_2025, rina, compile_now):
    version = compile_now(serang_2025, rina)
    assert version.state == "done", version.error
    reader, data = read_pdf(version)

    # The stored file is the sealed one.
    assert hashlib.sha256(data).hexdigest() == version.sha256
    assert version.size == len(data)
    assert version.page_count == len(reader.pages)
    assert reader.metadata.title == "Dokumen Penilaian KKS – Kabupaten Serang – Swasti Saba 2025 – Versi 1"
    texts = [page.extract_text() for page in reader.pages]

    # Cover: who, which cycle and version, the QR code's address.
    assert "Kabupaten Serang" in texts[0]
    assert "Swasti Saba 2025" in texts[0]
    assert "Versi 1" in texts[0]
    assert f"https://kks.example.id/dossier/verifikasi/{version.manifest_sha256}/" in texts[0].replace("\n", "")
    assert "Halaman" not in texts[0]

    # Bookmarks: one per chapter, tatanan and kecamatan under their heading, each at its page.
    outline = _outline(reader)
    titles = [(level, title) for level, title, _page in outline]
    assert titles == [
        (0, "Sampul"),
        (0, "Daftar Isi"),
        (0, "Ringkasan Capaian"),
        (0, "1. Profil Umum"),
        (0, "2. Kelembagaan"),
        (0, "3. Pendanaan"),
        (0, "4. Stop Buang Air Besar Sembarangan (ODF)"),
        (0, "5. Capaian per Tatanan"),
        (1, "5.1 Tatanan Kehidupan Masyarakat Sehat Mandiri"),
        (1, "5.2 Tatanan Pasar"),
        (0, "6. Kegiatan"),
        (1, "6.1 Kecamatan Carenang"),
        (0, "7. Titik Pantau"),
        (0, "8. Inovasi"),
        (0, "9. Lampiran Bukti Dukung"),
    ]
    pages = {title: page for _level, title, page in outline}
    assert pages["Sampul"] == 0
    assert "Daftar Isi" in texts[pages["Daftar Isi"]]
    assert "Ringkasan Capaian" in texts[pages["Ringkasan Capaian"]]
    assert "Tatanan Pasar" in texts[pages["5.2 Tatanan Pasar"]]
    assert "Kerja bakti Pasar Carenang" in texts[pages["6.1 Kecamatan Carenang"]]

    # Table of contents: a link per line to the chapter's page, and the page number it prints.
    toc = reader.pages[pages["Daftar Isi"]]
    links = [annotation.get_object() for annotation in toc["/Annots"]]
    targets = {_page_index(reader, link["/Dest"][0]) for link in links}
    assert {pages[title] for title in pages if title not in ("Sampul", "Daftar Isi")} <= targets
    assert all("/URI" not in link.get("/A", {}) for link in links)  # no kks-bab: left over
    line = re.search(r"Tatanan Pasar[ .]*(\d+)", texts[pages["Daftar Isi"]])
    assert int(line.group(1)) == pages["5.2 Tatanan Pasar"] + 1

    # "Halaman X dari Y" on every page but the cover, after the footer's left text.
    total = len(reader.pages)
    for index in range(1, total):
        footer = " ".join(texts[index].replace("\xa0", " ").split()[-17:])
        expected = (
            f"Dokumen Penilaian KKS · Kabupaten Serang · Swasti Saba 2025 · Versi 1 Halaman {index + 1} dari {total}"
        )
        assert footer.endswith(expected), (index, footer)

    # Indonesian money and dates.
    everything = "\n".join(texts)
    assert "Rp 1.250.000" in everything
    assert "18 Maret 2023" in everything
    assert "15 Januari 2024" in everything

    # Evidence PDFs ride along as attachments, byte for byte.
    pdfs = {blob.sha256 for blob in Blob.objects.filter(file_type="pdf")}
    attached = {name: contents[0] for name, contents in reader.attachments.items()}
    assert len(attached) == 2
    assert {hashlib.sha256(content).hexdigest() for content in attached.values()} == pdfs
    assert any(name.endswith("laporan-inspeksi-pasar-2023.pdf") for name in attached)

    # Manifest: every evidence file with its blob's hash, every chapter with its hashes.
    manifest = version.manifest
    expected = {
        (f.pk, f.kind, f.original_name, f.blob.sha256) for f in EvidenceFile.objects.select_related("blob").all()
    }
    assert {(e["id"], e["kind"], e["original_name"], e["sha256"]) for e in manifest["evidence"]} == expected
    assert [c["key"] for c in manifest["chapters"]] == [spec["key"] for spec in version.plan]
    assert all(len(c["fingerprint"]) == 64 and len(c["sha256"]) == 64 for c in manifest["chapters"])


def test_photos_are_embedded_from_their_downscaled_copy_only(serang_2025, rina, compile_now):
    version = compile_now(serang_2025, rina)
    reader, _data = read_pdf(version)
    sizes = set()
    for page in reader.pages:
        for image in page.images:
            sizes.add(image.image.size)
    # The two ≤ 1600 px copies (320×240, 250×150); never the originals (640×480, 600×400, 500×300).
    assert (320, 240) in sizes
    assert (250, 150) in sizes
    assert not {(640, 480), (600, 400), (500, 300)} & sizes
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "foto-belum-diproses.jpg" in text
    assert "foto asli tidak" in text


def test_attachments_stop_at_the_size_limit(serang_2025, rina, compile_now, settings):
    settings.DOSSIER_ATTACHMENTS_MAX_MB = 0  # nothing fits
    version = compile_now(serang_2025, rina)
    reader, _data = read_pdf(version)
    assert not reader.attachments
    assert version.manifest["attachments"] == []
    text = reader.pages[-1].extract_text()
    assert "Tidak disematkan" in text
    assert "laporan-inspeksi-pasar-2023.pdf" in text

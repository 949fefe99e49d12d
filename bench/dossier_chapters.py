"""CPU time of WeasyPrint per page on one chapter of each kind, in a world kept by bench/dossier.py.

    .venv/bin/python bench/dossier.py --small --keep --no-baseline     # once: builds and keeps a world
    .venv/bin/python bench/dossier_chapters.py /tmp/kks-bench-dossier-…   # then, before and after a change
    .venv/bin/python bench/dossier_chapters.py DIR --repeat 5 --only kegiatan,tatanan --save /tmp/pdfs

For each kind (a kegiatan part with photos, the kelembagaan parts, a tatanan chapter, the lampiran,
titik pantau) it builds the chapter's data once, then renders it as the chapter task does
(``chapter_pdf``: the template, then WeasyPrint's layout and PDF) ``--repeat`` times, and prints the
pages, the least CPU time (``time.process_time``) of the render, per chapter and per page, and the
number of Python function calls of one render. On a shared machine the CPU time of the same render
varies by 10–20 %; the count of calls does not, and follows WeasyPrint's layout work (not the time
spent in Pango and HarfBuzz). Figures and what they showed: docs/PERFORMANCE.md, "Dossier compile".
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def kinds(plan) -> dict:
    def first(test):
        return next((spec for spec in plan if test(spec)), None)

    found = {
        "kegiatan": first(lambda s: s.key.startswith("kegiatan-") and len(s.rows) >= 12)
        or first(lambda s: s.key.startswith("kegiatan-")),
        "kelembagaan": first(lambda s: s.key == "kelembagaan"),
        "rencana": first(lambda s: s.key == "kelembagaan-rencana"),
        "pembinaan": first(lambda s: s.key == "kelembagaan-pembinaan"),
        # The longest tatanan of the instrument in the bench's world.
        "tatanan": first(lambda s: s.key == "tatanan-KSM") or first(lambda s: s.key.startswith("tatanan-")),
        "lampiran": first(lambda s: s.key == "lampiran"),
        "titik-pantau": first(lambda s: s.key == "titik-pantau"),
    }
    return {kind: spec for kind, spec in found.items() if spec is not None}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("world", help="the folder a bench/dossier.py --keep run left")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="kinds, comma-separated")
    parser.add_argument("--save", help="a folder to write each chapter's PDF to")
    args = parser.parse_args(argv)
    world_dir = Path(args.world).resolve()
    world = json.loads((world_dir / "world.json").read_text())
    os.environ.update(
        KKS_VAR_DIR=str(world_dir), DJANGO_SETTINGS_MODULE="kks_portal.settings", DEBUG="false", LOG_LEVEL="WARNING"
    )
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from pypdf import PdfReader

    from dossiers.renderer.chapters import chapter_context, chapter_pdf, chapter_plan
    from indicators.models import Assessment

    assessment = Assessment.objects.get(pk=world["assessment"])
    chosen = kinds(chapter_plan(assessment))
    if args.only:
        chosen = {kind: spec for kind, spec in chosen.items() if kind in args.only.split(",")}
    chapter_pdf(chapter_context(assessment, chosen[next(iter(chosen))]))  # warm the process up
    print(f"{'kind':13} {'chapter':26} {'pages':>5} {'CPU s':>7} {'ms/page':>8} {'calls':>9}  (least of {args.repeat})")
    total_seconds = total_pages = 0
    for kind, spec in chosen.items():
        data = chapter_context(assessment, spec)
        profile = cProfile.Profile()
        profile.enable()
        pdf = chapter_pdf(data)
        profile.disable()
        calls = pstats.Stats(profile).total_calls
        seconds = []
        for _ in range(args.repeat):
            started = time.process_time()
            pdf = chapter_pdf(data)
            seconds.append(time.process_time() - started)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        if args.save:
            Path(args.save).mkdir(parents=True, exist_ok=True)
            (Path(args.save) / f"{spec.key}.pdf").write_bytes(pdf)
        best = min(seconds)
        total_seconds += best
        total_pages += pages
        print(f"{kind:13} {spec.key[:26]:26} {pages:5d} {best:7.2f} {best / pages * 1000:8.1f} {calls:9,d}", flush=True)
    print(f"{'all':13} {'':26} {total_pages:5d} {total_seconds:7.2f} {total_seconds / total_pages * 1000:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

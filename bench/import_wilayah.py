"""Time the import of the whole country: a fresh import, then a re-import of the same files.

    .venv/bin/python bench/import_wilayah.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kks .venv/bin/python bench/import_wilayah.py

It never touches a real database: state goes to a temporary KKS_VAR_DIR, and the import runs
in a throw-away database created for the run (a SQLite file in that folder, or on the
DATABASE_URL server a database named ``kks_bench_<pid>``), dropped at the end.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    var_dir = tempfile.mkdtemp(prefix="kks-bench-")
    # Always a fresh folder, whatever the caller's environment says: var/db.sqlite3 stays untouched.
    os.environ["KKS_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "kks_portal.settings"
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from regions.services import wilayah_import

    if connection.vendor == "postgresql":
        connection.settings_dict["TEST"]["NAME"] = f"kks_bench_{os.getpid()}"
    original_name = connection.settings_dict["NAME"]
    print(f"Creating a throw-away {connection.vendor} database and migrating it …", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
        for label in ("fresh import", "re-import"):
            started = time.perf_counter()
            report = wilayah_import(data_dir=settings.WILAYAH_DATA_DIR)
            seconds = time.perf_counter() - started
            print(
                f"{label:13} {report.total:>7,} rows in {seconds:6.2f} s "
                f"({report.created:,} created, {report.updated:,} updated, {report.unchanged:,} unchanged)"
            )
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

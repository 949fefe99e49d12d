"""Printing an ``ImportReport`` from a management command (catalogue and assessment imports)."""

from django.core.management.base import BaseCommand, CommandError

from .importer import ImportReport, Status


def report_to_command(report: ImportReport, *, command: BaseCommand, all_rows: bool, dry_run: bool) -> None:
    """Write the notes, the rows that need attention (all rows with ``all_rows``) and the
    problems; return on success and raise ``CommandError`` (exit 1) when nothing was imported."""
    for note in report.notes:
        command.stdout.write(f"  · {note}")
    for row in report.rows:
        if all_rows or row.status in (Status.ERROR, Status.SKIPPED):
            line = f"  [{row.status_label}] {row.sheet} baris {row.row_label}: {row.subject}"
            if row.message:
                line += f" — {row.message}"
            command.stdout.write(command.style.ERROR(line) if row.status == Status.ERROR else line)
    for problem in report.problems:
        command.stderr.write(command.style.ERROR(f"  ✗ {problem}"))
    if report.imported or (dry_run and report.ok):
        command.stdout.write(command.style.SUCCESS(report.summary()))
        return
    raise CommandError(report.summary())

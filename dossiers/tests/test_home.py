"""The home answers "what now" for each role (kks_portal/dashboard.py): Bappeda's round (stage,
deadlines, late OPD, what blocks submission, a return's reason), the verifiers' queues with due
dates, the next task of an OPD operator and of a secretary. Every link is followed as the person
who sees it, and must open."""

# The workflow fixtures are imported by name, so pytest finds them here.
# ruff: noqa: F811

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import OpdFactory
from dossiers.tests.workflow_fixtures import finished_version, in_review, ready, submitted  # noqa: F401
from dossiers.workflow.services import dossier_return
from indicators.models import DataRequest, IndicatorEntry
from indicators.requests.selectors import today

pytestmark = pytest.mark.django_db


def home_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("dashboard")).status_code == 200
    return len(queries)


def test_the_round_on_bappeda_s_home_costs_the_same_queries_however_much_it_holds(
    open_round, rina, dinkes_serang, wilayah, client_for
):
    """The round panel's queries do not grow with its OPD, late requests or unfinished entries."""
    client = client_for(rina)
    entries = list(open_round.indicator_entries.order_by("pk"))
    IndicatorEntry.objects.filter(pk=entries[0].pk).update(
        assigned_opd=dinkes_serang, status=IndicatorEntry.Status.DRAF
    )
    DataRequest.objects.create(assessment=open_round, opd=dinkes_serang, deadline=today() - datetime.timedelta(days=3))
    small = home_queries(client)
    for n, entry in enumerate(entries[1:], start=1):
        opd = OpdFactory(kabupaten=wilayah["serang"], name=f"Dinas {n}", short_name=f"D{n}")
        IndicatorEntry.objects.filter(pk=entry.pk).update(assigned_opd=opd, status=IndicatorEntry.Status.DRAF)
        DataRequest.objects.create(assessment=open_round, opd=opd, deadline=today() - datetime.timedelta(days=n))
    assert len(entries) >= 4
    assert home_queries(client) == small
    overdue = re.search(r'id="round-overdue">(.*?)</ul>', client.get(reverse("dashboard")).content.decode(), re.S)
    assert all(f"D{n}" in overdue.group(1) for n in range(1, len(entries)))


def section(page: str, marker: str) -> str:
    """The ``<section>`` of the home whose opening tag holds ``marker``."""
    match = re.search(rf"<section[^>]*{marker}.*?</section>", page, re.S)
    assert match, f"no section {marker} on the page"
    return match.group(0)


def hrefs(fragment: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', fragment)]


def opens(client, url: str) -> bool:
    return client.get(url.split("#")[0]).status_code == 200


@pytest.fixture
def open_round(serang_2025):
    """The 2025 round still open for self-assessment, with its deadlines set."""
    cycle = serang_2025.cycle
    cycle.self_assessment_closes = today() + datetime.timedelta(days=20)
    cycle.province_deadline = today() + datetime.timedelta(days=60)
    cycle.save()
    return serang_2025


def test_bappeda_home_shows_the_round_with_working_links(
    open_round, rina, dinkes_serang, wilayah, client_for, django_assert_max_num_queries
):
    entry = open_round.indicator_entries.select_related("indicator").first()
    IndicatorEntry.objects.filter(pk=entry.pk).update(assigned_opd=dinkes_serang, status=IndicatorEntry.Status.DRAF)
    DataRequest.objects.create(assessment=open_round, opd=dinkes_serang, deadline=today() - datetime.timedelta(days=3))
    client = client_for(rina)
    # The round costs a fixed number of queries (the checklist's and the data requests'), not
    # one per indicator, OPD or requirement.
    with django_assert_max_num_queries(40):
        page = client.get(reverse("dashboard")).content.decode()
    round_ = section(page, f'id="round-{open_round.pk}"')
    assert 'data-status="draft"' in round_
    assert "Penilaian mandiri dan penyusunan dossier" in round_
    # Deadlines, soonest first, with the days left.
    deadlines = re.search(r'id="round-deadlines">(.*?)</ul>', round_, re.S).group(1)
    assert deadlines.index("Penilaian mandiri ditutup") < deadlines.index("Batas verifikasi provinsi")
    assert "20 hari lagi" in deadlines
    assert "60 hari lagi" in deadlines
    # The late OPD, with the way to remind it.
    overdue = re.search(r'id="round-overdue">(.*?)</ul>', round_, re.S).group(1)
    assert "Dinkes" in overdue
    assert "1 indikator belum selesai" in overdue
    assert reverse("indicators:request_outstanding", args=[open_round.pk]) in hrefs(round_)
    # What blocks submission: each check leads to the page that fixes its first item.
    blockers = dict(re.findall(r'data-check="(\w+)">.*?<a href="([^"]+)"', round_, re.S))
    assert set(blockers) == {"version", "evidence", "kelembagaan_scores", "kelembagaan_bodies", "odf"}
    assert blockers["odf"] == reverse("indicators:odf_edit", args=[open_round.pk, wilayah["binuang"].code])
    assert blockers["kelembagaan_scores"] == reverse("indicators:kelembagaan_edit", args=[open_round.pk])
    assert blockers["version"] == reverse("dossiers:detail", args=[open_round.pk]) + "#compile-card"
    for url in hrefs(round_):
        assert opens(client, url), url


def test_a_returned_dossier_shows_its_reason_on_bappeda_home(in_review, rina, vina, client_for):
    dossier_return(dossier=in_review, actor=vina, reason="Bukti pasar 2024 belum terbaca, mohon unggah ulang.")
    client = client_for(rina)
    round_ = section(client.get(reverse("dashboard")).content.decode(), 'id="round-')
    returned = re.search(r'id="round-returned".*?</div>\s*</div>', round_, re.S).group(0)
    assert "Bukti pasar 2024 belum terbaca, mohon unggah ulang." in returned
    assert vina.get_full_name() in returned
    review = reverse("dossiers:review", args=[in_review.assessment.pk])
    assert review in hrefs(returned)
    assert opens(client, review)
    # Resubmitting needs a new version: the blocker says so and leads to the compile button.
    assert 'data-check="version"' in round_


def test_province_verifier_home_lists_the_queue_with_due_dates(submitted, vina, nadia, client_for):
    cycle = submitted.assessment.cycle
    cycle.province_deadline = today() + datetime.timedelta(days=5)
    cycle.save()
    client = client_for(vina)
    queue = section(client.get(reverse("dashboard")).content.decode(), 'data-role="province_verifier-queue"')
    assert "Kabupaten Serang" in queue
    assert "Diajukan ke provinsi" in queue
    assert "5 hari lagi" in queue
    review = reverse("dossiers:review", args=[submitted.assessment.pk])
    assert review in hrefs(queue)
    assert opens(client, review)
    # Nothing waits for the national team yet.
    national = section(
        client_for(nadia).get(reverse("dashboard")).content.decode(), 'data-role="national_verifier-queue"'
    )
    assert "Tidak ada dossier yang menunggu verifikasi Anda." in national


def test_opd_operator_home_names_the_next_entry_to_fill(open_round, oscar, dinkes_serang, client_for):
    entries = list(open_round.indicator_entries.select_related("indicator__tatanan").order_by("pk")[:2])
    IndicatorEntry.objects.filter(pk__in=[e.pk for e in entries]).update(
        assigned_opd=dinkes_serang, status=IndicatorEntry.Status.DRAF
    )
    DataRequest.objects.create(assessment=open_round, opd=dinkes_serang, deadline=today() + datetime.timedelta(days=4))
    client = client_for(oscar)
    task = section(client.get(reverse("dashboard")).content.decode(), 'data-role="opd_operator-next"')
    first = entries[0].indicator
    assert f"Isi data indikator {first.tatanan.code} {first.number}. {first.name}" in task
    assert "4 hari lagi" in task
    assert "dan 1 tugas lainnya" in task
    edit = reverse("indicators:entry_edit", args=[open_round.pk, entries[0].pk])
    assert edit in hrefs(task)
    for url in hrefs(task):
        assert opens(client, url), url


def test_secretary_home_links_the_next_thing_the_body_lacks(serang_2025, sari, client_for):
    # The Forum Kecamatan Carenang has its SK and sekretariat, a work plan for 2023 only.
    client = client_for(sari)
    task = section(client.get(reverse("dashboard")).content.decode(), 'data-role="secretary-next"')
    assert "Rencana kerja tahun" in task
    work_plans, more = hrefs(task)
    assert work_plans.endswith("/rencana-kerja/")
    assert more == reverse("forums:secretary_home")
    assert opens(client, work_plans)
    assert opens(client, more)

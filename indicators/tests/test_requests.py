"""Data requests: Bappeda assigns indicators to OPDs with a deadline, OPD operators see their
to-do list and return entries, Bappeda sees what is outstanding and sends reminders."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import OpdFactory, RoleAssignmentFactory, UserFactory
from indicators.models import DataRequest, IndicatorEntry
from indicators.requests.selectors import request_progress
from indicators.requests.services import data_request_assign
from indicators.services import assessment_open
from indicators.tasks import remind_overdue

from .conftest import entry

SELESAI = IndicatorEntry.Status.SELESAI


def today():
    return timezone.localdate()


def in_days(n):
    return today() + datetime.timedelta(days=n)


def outstanding_url(assessment):
    return f"/penilaian/{assessment.pk}/permintaan-data/"


def assign_url(assessment):
    return f"/penilaian/{assessment.pk}/permintaan-data/tugaskan/"


@pytest.fixture
def disdik(assessment, wilayah):
    return OpdFactory(kabupaten=wilayah["serang"], short_name="Disdik")


@pytest.fixture
def olga(wilayah, dinkes_serang):
    """A second operator of Dinkes Serang."""
    user = UserFactory(username="olga", full_name="Olga Dinkes")
    RoleAssignmentFactory(user=user, role=Role.OPD_OPERATOR, region=wilayah["serang"], opd=dinkes_serang)
    return user


@pytest.fixture
def bogor_assessment(small_cycle, root_user, wilayah):
    """Kabupaten Bogor's assessment in the same cycle, its Pasar entries assigned to Dinkes Bogor."""
    OpdFactory(kabupaten=wilayah["bogor"], name="Dinas Kesehatan", short_name="Dinkes")
    return assessment_open(kabupaten=wilayah["bogor"], cycle=small_cycle, actor=root_user)


def overdue_request(assessment, opd, days_late=3):
    """A request whose deadline has passed (the service refuses to set one; time moved on)."""
    return DataRequest.objects.create(assessment=assessment, opd=opd, deadline=in_days(-days_late))


class TestAssign:
    def test_rina_asks_dinkes_for_the_pendidikan_entries_by_a_deadline(self, rina, assessment, dinkes_serang):
        entries = [entry(assessment, "PDD", "1"), entry(assessment, "PDD", "2")]
        data_request = data_request_assign(
            assessment=assessment, opd=dinkes_serang, entries=entries, deadline=in_days(7), actor=rina
        )
        assert data_request.deadline == in_days(7)
        assert data_request.created_by == rina
        assert set(assessment.indicator_entries.filter(assigned_opd=dinkes_serang).values_list("pk", flat=True)) == {
            e.pk for e in entries
        } | {entry(assessment, "PSR", "1").pk, entry(assessment, "PSR", "2").pk}

    def test_assigning_again_updates_the_one_request_of_the_opd(self, rina, assessment, dinkes_serang):
        e = entry(assessment, "PSR", "1")
        data_request_assign(assessment=assessment, opd=dinkes_serang, entries=[e], deadline=in_days(7), actor=rina)
        data_request_assign(
            assessment=assessment, opd=dinkes_serang, entries=[e], deadline=in_days(14), actor=rina, message="Segera"
        )
        (data_request,) = DataRequest.objects.filter(assessment=assessment, opd=dinkes_serang)
        assert data_request.deadline == in_days(14)
        assert data_request.message == "Segera"

    def test_a_deadline_in_the_past_is_refused_and_nothing_changes(self, rina, assessment, disdik):
        e = entry(assessment, "PSR", "1")
        with pytest.raises(ValidationError) as error:
            data_request_assign(assessment=assessment, opd=disdik, entries=[e], deadline=in_days(-1), actor=rina)
        assert "sudah lewat" in error.value.message_dict["deadline"][0]
        e.refresh_from_db()
        assert e.assigned_opd.short_name == "Dinkes"
        assert not DataRequest.objects.exists()

    def test_today_is_a_valid_deadline(self, rina, assessment, disdik):
        data_request_assign(
            assessment=assessment, opd=disdik, entries=[entry(assessment, "PSR", "1")], deadline=today(), actor=rina
        )
        assert DataRequest.objects.get(opd=disdik).deadline == today()

    def test_replace_takes_unticked_entries_away_from_the_opd(self, rina, assessment, dinkes_serang):
        keep = entry(assessment, "PSR", "2")
        data_request_assign(
            assessment=assessment, opd=dinkes_serang, entries=[keep], deadline=in_days(3), actor=rina, replace=True
        )
        assert list(assessment.indicator_entries.filter(assigned_opd=dinkes_serang)) == [keep]
        assert entry(assessment, "PSR", "1").assigned_opd is None

    def test_an_opd_of_another_kabupaten_is_refused(self, rina, assessment, wilayah):
        bogor_dinkes = OpdFactory(kabupaten=wilayah["bogor"], short_name="Dinkes")
        with pytest.raises(ValidationError):
            data_request_assign(
                assessment=assessment,
                opd=bogor_dinkes,
                entries=[entry(assessment, "PSR", "1")],
                deadline=in_days(3),
                actor=rina,
            )

    def test_entries_of_another_assessment_are_refused(self, rina, assessment, bogor_assessment, dinkes_serang):
        with pytest.raises(ValidationError):
            data_request_assign(
                assessment=assessment,
                opd=dinkes_serang,
                entries=[entry(bogor_assessment, "PDD", "1")],
                deadline=in_days(3),
                actor=rina,
            )
        assert entry(bogor_assessment, "PDD", "1").assigned_opd is None

    @pytest.mark.parametrize("persona", ["oscar", "vina", "wawan", "nadia"])
    def test_only_the_bappeda_admin_may_assign(self, request, persona, assessment, dinkes_serang):
        with pytest.raises(Http404):
            data_request_assign(
                assessment=assessment,
                opd=dinkes_serang,
                entries=[entry(assessment, "PDD", "1")],
                deadline=in_days(3),
                actor=request.getfixturevalue(persona),
            )

    def test_the_superuser_may_assign(self, root_user, assessment, dinkes_serang):
        data_request_assign(
            assessment=assessment,
            opd=dinkes_serang,
            entries=[entry(assessment, "PDD", "1")],
            deadline=in_days(3),
            actor=root_user,
        )
        assert entry(assessment, "PDD", "1").assigned_opd == dinkes_serang


class TestAssignPage:
    def test_rina_assigns_ticked_entries_from_the_page(self, client_for, rina, assessment, disdik):
        client = client_for(rina)
        page = client.get(assign_url(assessment))
        assert page.status_code == 200
        e = entry(assessment, "PSR", "2")
        assert f'value="{e.pk}"'.encode() in page.content
        response = client.post(
            assign_url(assessment), {"opd": disdik.pk, "deadline": in_days(5).isoformat(), "entries": [e.pk]}
        )
        assert response.status_code == 302
        assert response["Location"] == outstanding_url(assessment)
        e.refresh_from_db()
        assert e.assigned_opd == disdik
        assert DataRequest.objects.get(opd=disdik).deadline == in_days(5)

    def test_a_past_deadline_is_refused_with_a_message_on_the_page(self, client_for, rina, assessment, disdik):
        e = entry(assessment, "PSR", "2")
        response = client_for(rina).post(
            assign_url(assessment), {"opd": disdik.pk, "deadline": in_days(-2).isoformat(), "entries": [e.pk]}
        )
        assert response.status_code == 200
        assert "sudah lewat" in response.content.decode()
        e.refresh_from_db()
        assert e.assigned_opd.short_name == "Dinkes"

    def test_the_per_opd_form_ticks_the_opd_entries_and_fills_its_deadline(
        self, client_for, rina, assessment, dinkes_serang
    ):
        DataRequest.objects.create(assessment=assessment, opd=dinkes_serang, deadline=in_days(9))
        html = client_for(rina).get(assign_url(assessment) + f"?opd={dinkes_serang.pk}").content.decode()
        psr1, pdd1 = entry(assessment, "PSR", "1"), entry(assessment, "PDD", "1")
        assert f'value="{psr1.pk}" id="entry-{psr1.pk}" checked' in html
        assert f'value="{pdd1.pk}" id="entry-{pdd1.pk}">' in html
        assert in_days(9).isoformat() in html

    @pytest.mark.parametrize("persona", ["oscar", "vina", "wawan"])
    def test_anyone_but_the_bappeda_admin_gets_404(self, request, client_for, persona, assessment, dinkes_serang):
        DataRequest.objects.create(assessment=assessment, opd=dinkes_serang, deadline=in_days(-1))
        client = client_for(request.getfixturevalue(persona))
        base = f"/penilaian/{assessment.pk}"
        assert client.get(assign_url(assessment)).status_code == 404
        assert client.post(assign_url(assessment), {"opd": dinkes_serang.pk}).status_code == 404
        assert client.get(outstanding_url(assessment)).status_code == 404
        assert client.post(f"{base}/permintaan-data/{dinkes_serang.pk}/ingatkan/").status_code == 404
        assert client.post(f"{base}/permintaan-data/ingatkan/").status_code == 404
        assert client.get(f"{base}/dasbor/").status_code == 404


class TestTodo:
    def test_oscar_sees_exactly_the_dinkes_entries(self, client_for, oscar, assessment, bogor_assessment):
        bogor_psr1 = entry(bogor_assessment, "PSR", "1")
        assert bogor_psr1.assigned_opd.short_name == "Dinkes"  # Dinkes Bogor: same name, other kabupaten
        response = client_for(oscar).get("/penilaian/tugas/")
        assert response.status_code == 200
        shown = {e.pk for group in response.context["groups"] for e in group.entries}
        assert shown == {entry(assessment, "PSR", "1").pk, entry(assessment, "PSR", "2").pk}
        html = response.content.decode()
        assert f'data-entry="{bogor_psr1.pk}"' not in html
        assert f'data-assessment="{bogor_assessment.pk}"' not in html
        assert f"/penilaian/{assessment.pk}/isian/{entry(assessment, 'PSR', '1').pk}/" in html

    def test_entries_are_grouped_by_assessment_and_tatanan_with_deadline_and_overdue_marker(
        self, client_for, rina, oscar, assessment, dinkes_serang
    ):
        data_request_assign(
            assessment=assessment,
            opd=dinkes_serang,
            entries=[entry(assessment, "PDD", "1")],
            deadline=in_days(2),
            actor=rina,
        )
        response = client_for(oscar).get("/penilaian/tugas/")
        (group,) = response.context["groups"]
        assert [(t.code, len(t.entries)) for t in group.tatanan] == [("PSR", 2), ("PDD", 1)]
        assert all(e.deadline == in_days(2) and not e.overdue for e in group.entries)
        assert "data-overdue" not in response.content.decode()

        DataRequest.objects.filter(opd=dinkes_serang).update(deadline=in_days(-1))
        done = entry(assessment, "PSR", "1")
        done.status = SELESAI
        done.save()
        response = client_for(oscar).get("/penilaian/tugas/")
        overdue = {e.pk: e.overdue for e in response.context["groups"][0].entries}
        assert overdue == {
            done.pk: False,
            entry(assessment, "PSR", "2").pk: True,
            entry(assessment, "PDD", "1").pk: True,
        }
        assert response.content.decode().count("data-overdue") == 2

    def test_a_closed_assessment_leaves_the_list(self, client_for, oscar, assessment):
        assessment.cycle.self_assessment_closes = in_days(-1)
        assessment.cycle.save()
        response = client_for(oscar).get("/penilaian/tugas/")
        assert response.context["groups"] == []
        assert 'id="no-tasks"' in response.content.decode()

    def test_rina_has_no_tasks(self, client_for, rina, assessment):
        assert client_for(rina).get("/penilaian/tugas/").context["groups"] == []

    def test_oscar_marks_an_entry_selesai(self, client_for, oscar, assessment):
        e = entry(assessment, "PSR", "1")
        response = client_for(oscar).post(
            f"/penilaian/{assessment.pk}/isian/{e.pk}/selesai/", {"next": "/penilaian/tugas/"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/penilaian/tugas/"
        e.refresh_from_db()
        assert e.status == SELESAI
        assert e.updated_by == oscar

    def test_oscar_cannot_mark_an_entry_of_another_opd(self, client_for, oscar, assessment):
        e = entry(assessment, "PDD", "1")
        assert client_for(oscar).post(f"/penilaian/{assessment.pk}/isian/{e.pk}/selesai/").status_code == 404
        e.refresh_from_db()
        assert e.status == IndicatorEntry.Status.KOSONG

    def test_mark_done_does_not_redirect_elsewhere(self, client_for, oscar, assessment):
        e = entry(assessment, "PSR", "1")
        response = client_for(oscar).post(
            f"/penilaian/{assessment.pk}/isian/{e.pk}/selesai/", {"next": "https://evil.example/"}
        )
        assert response["Location"] == "/penilaian/tugas/"


class TestOutstanding:
    def test_counts_per_opd_and_tatanan(self, rina, assessment, dinkes_serang, disdik):
        # Dinkes: PSR1, PSR2 (one selesai); Disdik: PDD1 (selesai), PDD2 unassigned.
        data_request_assign(
            assessment=assessment,
            opd=dinkes_serang,
            entries=[entry(assessment, "PSR", "1"), entry(assessment, "PSR", "2")],
            deadline=in_days(4),
            actor=rina,
        )
        IndicatorEntry.objects.filter(pk=entry(assessment, "PDD", "2").pk).update(assigned_opd=None)
        IndicatorEntry.objects.filter(
            pk__in=[entry(assessment, "PSR", "2").pk, entry(assessment, "PDD", "1").pk]
        ).update(status=SELESAI)
        progress = request_progress(assessment)
        per_opd = {
            r.opd.short_name: (r.assigned, r.selesai, r.outstanding, r.deadline, r.overdue) for r in progress.opds
        }
        assert per_opd == {"Dinkes": (2, 1, 1, in_days(4), False), "Disdik": (1, 1, 0, None, False)}
        per_tatanan = {t.code: (t.total, t.assigned, t.selesai, t.outstanding, t.unassigned) for t in progress.tatanan}
        assert per_tatanan == {"PSR": (2, 2, 1, 1, 0), "PDD": (2, 1, 1, 0, 1)}
        assert progress.unassigned == 1
        assert progress.outstanding == 1

    def test_the_page_shows_overdue_opds_and_the_reminder_button(self, client_for, rina, assessment, dinkes_serang):
        overdue_request(assessment, dinkes_serang)
        html = client_for(rina).get(outstanding_url(assessment)).content.decode()
        row = html[html.index('data-opd="Dinkes"') :]
        row = row[: row.index("</tr>")]
        assert 'data-col="outstanding">2<' in row
        assert "data-overdue" in row
        assert f"/permintaan-data/{dinkes_serang.pk}/ingatkan/" in row
        assert 'id="remind-overdue-form"' in html
        assert 'data-tatanan="PDD"' in html


class TestReminders:
    def test_one_email_per_operator_listing_the_outstanding_indicators(
        self, client_for, rina, oscar, olga, assessment, dinkes_serang, mailoutbox, django_capture_on_commit_callbacks
    ):
        no_email = UserFactory(username="tanpa", email="")
        RoleAssignmentFactory(user=no_email, role=Role.OPD_OPERATOR, region=dinkes_serang.kabupaten, opd=dinkes_serang)
        data_request_assign(
            assessment=assessment,
            opd=dinkes_serang,
            entries=[entry(assessment, "PSR", "1")],
            deadline=in_days(3),
            actor=rina,
            message="Mohon sertakan laporan tahunan.",
        )
        IndicatorEntry.objects.filter(pk=entry(assessment, "PSR", "1").pk).update(status=SELESAI)

        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(rina).post(f"/penilaian/{assessment.pk}/permintaan-data/{dinkes_serang.pk}/ingatkan/")
        assert response.status_code == 302

        assert sorted(m.to[0] for m in mailoutbox) == ["olga@example.org", "oscar@example.org"]
        for message in mailoutbox:
            assert "Dinkes" in message.subject
            assert "PSR 2. Indikator P2" in message.body
            assert "Indikator P1" not in message.body  # already selesai
            assert "Mohon sertakan laporan tahunan." in message.body
            assert "http://testserver/penilaian/tugas/" in message.body
        data_request = DataRequest.objects.get(opd=dinkes_serang)
        assert data_request.reminder_count == 1
        assert data_request.last_reminded_at is not None

    def test_nothing_is_sent_before_the_transaction_commits(
        self, client_for, rina, oscar, assessment, dinkes_serang, mailoutbox, django_capture_on_commit_callbacks
    ):
        overdue_request(assessment, dinkes_serang)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            client_for(rina).post(f"/penilaian/{assessment.pk}/permintaan-data/ingatkan/")
        assert mailoutbox == []
        assert len(callbacks) == 1

    def test_nothing_outstanding_sends_nothing(
        self, rina, oscar, assessment, dinkes_serang, mailoutbox, django_capture_on_commit_callbacks, client_for
    ):
        data_request = overdue_request(assessment, dinkes_serang)
        assessment.indicator_entries.filter(assigned_opd=dinkes_serang).update(status=SELESAI)
        with django_capture_on_commit_callbacks(execute=True):
            client_for(rina).post(f"/penilaian/{assessment.pk}/permintaan-data/{dinkes_serang.pk}/ingatkan/")
        assert mailoutbox == []
        data_request.refresh_from_db()
        assert data_request.reminder_count == 0

    def test_remind_overdue_reminds_only_overdue_opds_once_a_day(
        self, oscar, assessment, dinkes_serang, disdik, mailoutbox, wilayah
    ):
        ida = UserFactory(username="ida", full_name="Ida Disdik")
        RoleAssignmentFactory(user=ida, role=Role.OPD_OPERATOR, region=wilayah["serang"], opd=disdik)
        overdue_request(assessment, dinkes_serang)
        DataRequest.objects.create(assessment=assessment, opd=disdik, deadline=in_days(2))

        assert remind_overdue.delay().get() == 1
        assert [m.to for m in mailoutbox] == [["oscar@example.org"]]
        assert "sudah lewat tenggat" in mailoutbox[0].subject
        assert "PSR 1. Indikator P1" in mailoutbox[0].body
        assert "PSR 2. Indikator P2" in mailoutbox[0].body

        assert remind_overdue.delay().get() == 0  # already reminded today
        assert len(mailoutbox) == 1
        assert DataRequest.objects.get(opd=dinkes_serang).reminder_count == 1
        assert DataRequest.objects.get(opd=disdik).reminder_count == 0

    def test_remind_overdue_skips_closed_assessments(self, oscar, assessment, dinkes_serang, mailoutbox):
        overdue_request(assessment, dinkes_serang)
        assessment.cycle.self_assessment_closes = in_days(-1)
        assessment.cycle.save()
        assert remind_overdue.delay().get() == 0
        assert mailoutbox == []


class TestAssignPageHelpers:
    def test_switching_the_opd_of_a_per_opd_form_does_not_strip_the_other_opd(
        self, client_for, rina, assessment, dinkes_serang, disdik
    ):
        psr1 = entry(assessment, "PSR", "1")
        response = client_for(rina).post(
            assign_url(assessment) + f"?opd={dinkes_serang.pk}",
            {"opd": disdik.pk, "deadline": in_days(5).isoformat(), "entries": [psr1.pk], "replace": "True"},
        )
        assert response.status_code == 302
        assert set(assessment.indicator_entries.filter(assigned_opd=disdik)) == {
            psr1,
            entry(assessment, "PDD", "1"),
            entry(assessment, "PDD", "2"),
        }

    def test_the_per_opd_form_posts_replace(self, client_for, rina, assessment, dinkes_serang):
        psr2 = entry(assessment, "PSR", "2")
        client_for(rina).post(
            assign_url(assessment) + f"?opd={dinkes_serang.pk}",
            {"opd": dinkes_serang.pk, "deadline": in_days(5).isoformat(), "entries": [psr2.pk], "replace": "True"},
        )
        assert list(assessment.indicator_entries.filter(assigned_opd=dinkes_serang)) == [psr2]

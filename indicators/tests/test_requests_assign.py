"""The assign page of the data requests (issue 12): entries of several tatanan in one submit,
the page back with everything as typed after an error, and the OPD each entry has now."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.tests.factories import OpdFactory
from indicators.models import DataRequest, IndicatorEntry
from indicators.requests.forms import DataRequestAssignForm

from .conftest import entry


def in_days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def assign_url(assessment):
    return f"/penilaian/{assessment.pk}/permintaan-data/tugaskan/"


@pytest.fixture
def disdik(assessment, wilayah):
    return OpdFactory(kabupaten=wilayah["serang"], short_name="Disdik")


@pytest.fixture
def dlh(assessment, wilayah):
    return OpdFactory(kabupaten=wilayah["serang"], name="Dinas Lingkungan Hidup", short_name="DLH")


def ticked_ids(html):
    return set(re.findall(r'name="entries" value="(\d+)" id="entry-\d+" checked', html))


def opd_cell(html, e):
    """The text of the "OPD saat ini" cell of ``e``'s row."""
    row = re.search(rf'<tr data-entry="{e.pk}".*?</tr>', html, re.S).group(0)
    return re.sub(r"<[^>]+>", "", re.search(r'<td data-col="opd">(.*?)</td>', row, re.S).group(1)).strip()


def owners(assessment):
    return dict(assessment.indicator_entries.values_list("pk", "assigned_opd__short_name"))


class TestCrossTatananSubmit:
    def test_entries_of_two_tatanan_go_to_the_opd_in_one_submit(self, client_for, rina, assessment, dlh):
        psr2, pdd1 = entry(assessment, "PSR", "2"), entry(assessment, "PDD", "1")
        response = client_for(rina).post(
            assign_url(assessment),
            {
                "opd": dlh.pk,
                "deadline": in_days(10).isoformat(),
                "message": "Mohon data 2023 dan 2024.",
                "entries": [psr2.pk, pdd1.pk],
            },
        )
        assert response.status_code == 302
        assert set(assessment.indicator_entries.filter(assigned_opd=dlh)) == {psr2, pdd1}
        # The others keep the OPD they had.
        assert entry(assessment, "PSR", "1").assigned_opd.short_name == "Dinkes"
        assert entry(assessment, "PDD", "2").assigned_opd.short_name == "Disdik"
        data_request = DataRequest.objects.get(assessment=assessment, opd=dlh)
        assert (data_request.deadline, data_request.message) == (in_days(10), "Mohon data 2023 dan 2024.")

    def test_every_tatanan_is_on_the_one_page_with_its_tools_and_no_reloading_link(self, client_for, rina, assessment):
        html = client_for(rina).get(assign_url(assessment)).content.decode()
        assert re.findall(r'<details[^>]*data-tatanan="(\w+)"', html) == ["PSR", "PDD"]
        assert "?tatanan=" not in html  # "Pilih semua" no longer reloads the page
        assert html.count('data-pick="all"') == 3  # every tatanan and the whole list
        assert html.count('data-pick="none"') == 3
        assert 'type="button" class="btn btn-sm btn-outline-success" data-pick="all"' in html
        assert 'id="entry-filter"' in html
        assert 'class="sticky-bottom bg-body border-top shadow-sm py-2 mt-3" id="assign-bar"' in html
        assert re.search(r'<script src="[^"]*js/request-assign\.js"', html)
        assert 'id="selected-count"' in html


class TestErrorsKeepWhatWasTyped:
    def post(self, client_for, rina, assessment, **data):
        return client_for(rina).post(assign_url(assessment), data)

    def test_no_opd(self, client_for, rina, assessment):
        before = owners(assessment)
        psr1, pdd2 = entry(assessment, "PSR", "1"), entry(assessment, "PDD", "2")
        response = self.post(
            client_for,
            rina,
            assessment,
            opd="",
            deadline=in_days(4).isoformat(),
            message="Tolong cepat",
            entries=[psr1.pk, pdd2.pk],
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert "Pilih OPD yang diminta datanya." in html
        assert ticked_ids(html) == {str(psr1.pk), str(pdd2.pk)}
        assert f'value="{in_days(4).isoformat()}"' in html
        assert "Tolong cepat</textarea>" in html
        assert "<strong data-selected-count>2</strong>" in html
        assert owners(assessment) == before

    def test_a_past_deadline(self, client_for, rina, assessment, dlh):
        before = owners(assessment)
        psr2, pdd1 = entry(assessment, "PSR", "2"), entry(assessment, "PDD", "1")
        response = self.post(
            client_for,
            rina,
            assessment,
            opd=dlh.pk,
            deadline=in_days(-3).isoformat(),
            message="Data sarana",
            entries=[psr2.pk, pdd1.pk],
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert f"Tenggat {in_days(-3):%d-%m-%Y} sudah lewat" in html
        assert ticked_ids(html) == {str(psr2.pk), str(pdd1.pk)}
        assert f'<option value="{dlh.pk}" selected>' in html
        assert f'value="{in_days(-3).isoformat()}"' in html
        assert "Data sarana</textarea>" in html
        assert owners(assessment) == before
        assert not DataRequest.objects.filter(opd=dlh).exists()

    def test_nothing_ticked(self, client_for, rina, assessment, dlh):
        response = self.post(
            client_for, rina, assessment, opd=dlh.pk, deadline=in_days(2).isoformat(), message="Isi semua"
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert 'id="entries-errors">Pilih sedikitnya satu indikator.' in html
        assert ticked_ids(html) == set()
        assert f'<option value="{dlh.pk}" selected>' in html
        assert f'value="{in_days(2).isoformat()}"' in html
        assert "Isi semua</textarea>" in html
        assert not DataRequest.objects.exists()

    def test_all_three_at_once_are_reported_together(self, client_for, rina, assessment):
        response = self.post(client_for, rina, assessment, opd="", deadline=in_days(-1).isoformat(), message="x")
        errors = re.search(r'id="assign-errors">(.*?)</div>', response.content.decode(), re.S).group(1)
        assert "Permintaan data belum disimpan" in errors
        assert "Pilih OPD yang diminta datanya." in errors
        assert "sudah lewat" in errors
        assert "Pilih sedikitnya satu indikator." in errors

    def test_the_per_opd_form_keeps_its_mode_after_an_error(self, client_for, rina, assessment, dinkes_serang):
        psr2 = entry(assessment, "PSR", "2")
        response = client_for(rina).post(
            assign_url(assessment) + f"?opd={dinkes_serang.pk}",
            {"opd": dinkes_serang.pk, "deadline": "", "entries": [psr2.pk], "replace": "True"},
        )
        html = response.content.decode()
        assert "Tentukan tenggat." in html
        assert ticked_ids(html) == {str(psr2.pk)}
        assert 'name="replace" value="True"' in html
        assert set(
            assessment.indicator_entries.filter(assigned_opd=dinkes_serang).values_list("indicator__number", flat=True)
        ) == {"1", "2"}


class TestCurrentOpd:
    def test_each_row_shows_the_opd_the_entry_is_assigned_to(self, client_for, rina, assessment, dlh):
        pdd2 = entry(assessment, "PDD", "2")
        IndicatorEntry.objects.filter(pk=pdd2.pk).update(assigned_opd=dlh)
        psr2 = entry(assessment, "PSR", "2")
        IndicatorEntry.objects.filter(pk=psr2.pk).update(assigned_opd=None)
        html = client_for(rina).get(assign_url(assessment)).content.decode()
        assert opd_cell(html, entry(assessment, "PSR", "1")) == "Dinkes"
        assert opd_cell(html, entry(assessment, "PDD", "1")) == "Disdik"
        assert opd_cell(html, pdd2) == "DLH"
        assert opd_cell(html, psr2) == "belum ditugaskan"

    def test_after_saving_the_page_shows_the_new_opd(self, client_for, rina, assessment, dlh):
        psr1, pdd1 = entry(assessment, "PSR", "1"), entry(assessment, "PDD", "1")
        client = client_for(rina)
        client.post(
            assign_url(assessment), {"opd": dlh.pk, "deadline": in_days(3).isoformat(), "entries": [psr1.pk, pdd1.pk]}
        )
        html = client.get(assign_url(assessment)).content.decode()
        assert (opd_cell(html, psr1), opd_cell(html, pdd1)) == ("DLH", "DLH")


class TestForm:
    def test_every_missing_field_is_reported_by_the_form(self, assessment):
        form = DataRequestAssignForm({"deadline": in_days(-1).isoformat()}, assessment=assessment)
        assert not form.is_valid()
        assert set(form.errors) == {"opd", "deadline", "entries"}
        assert "sudah lewat" in form.errors["deadline"][0]

    def test_today_is_a_valid_deadline(self, assessment, dlh):
        e = entry(assessment, "PSR", "1")
        form = DataRequestAssignForm(
            {"opd": dlh.pk, "deadline": in_days(0).isoformat(), "entries": [e.pk]}, assessment=assessment
        )
        assert form.is_valid(), form.errors

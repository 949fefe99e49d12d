"""A scale option a re-import of the instrument kept only because a score holds it (``retired``,
docs/DOMAIN.md, "Re-importing the instrument") stays valid for the entries that hold it, so the
old score shows and a form sent back unchanged keeps it, and is neither offered nor accepted
anywhere else: the web forms, the API, the Excel import and the automatic kelembagaan score."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from forums.kelembagaan.services import kelembagaan_fill_assessment
from indicators.excel.workbook import assessment_export, assessment_import
from indicators.fieldwork.forms import KelembagaanEntryForm
from indicators.fieldwork.services import kelembagaan_entries_update
from indicators.forms import IndicatorEntryForm
from indicators.models import IndicatorEntry, KelembagaanEntry
from indicators.services import imported_results_record, indicator_entry_update
from tatanan.importer import Status
from tatanan.models import ScaleOption
from tatanan.selectors import is_selectable, selectable_options

from .conftest import entry, option
from .test_fieldwork import kelembagaan_post

RETIRED = "tidak berlaku lagi"


@pytest.fixture
def psr1(assessment):
    """PSR 1, whose option 25 the instrument no longer has."""
    e = entry(assessment, "PSR", "1")
    ScaleOption.objects.filter(indicator=e.indicator, value=25).update(retired=True)
    return e


@pytest.fixture
def retired_25(psr1):
    return option(psr1, 25)


@pytest.fixture
def sk(assessment):
    """The kelembagaan entry (Tim Pembina SK), its item with a retired option of 50."""
    k = KelembagaanEntry.objects.get(assessment=assessment)
    ScaleOption.objects.create(kelembagaan_item=k.item, value=50, order=2, description="SK lama", retired=True)
    return k


def holding(e, value, field="self_score"):
    setattr(e, field, option(e, value) if value is not None else None)
    e.save()
    return e


def test_the_rule(psr1, retired_25):
    retired_25.full_clean()
    assert not is_selectable(retired_25)
    assert is_selectable(retired_25, retired_25.pk)
    assert is_selectable(retired_25, retired_25)
    assert [o.value for o in selectable_options(psr1.indicator)] == [100, 75, 50, 0]
    assert [o.value for o in selectable_options(psr1.indicator, retired_25)] == [100, 75, 50, 25, 0]


# --- Web forms --------------------------------------------------------------------------------


def entry_form(e, score):
    data = {"status": e.status, "self_score": str(score.pk) if score else ""}
    return IndicatorEntryForm(data, entry=e, can_assign=False)


class TestEntryForm:
    def test_not_offered_and_refused_for_an_entry_that_does_not_hold_it(self, psr1, retired_25):
        holding(psr1, 75)
        form = entry_form(psr1, retired_25)
        assert retired_25 not in form.fields["self_score"].queryset
        assert not form.is_valid()
        assert RETIRED in form.errors["self_score"][0]
        assert "Nilai 25" in form.errors["self_score"][0]

    def test_offered_labelled_and_kept_for_the_entry_that_holds_it(self, psr1, retired_25):
        holding(psr1, 25)
        form = entry_form(psr1, retired_25)
        assert form.is_valid(), form.errors
        assert form.cleaned_data["self_score"] == retired_25
        labels = [label for _pk, label in form.fields["self_score"].choices]
        assert "25 – nilai 25 (tidak berlaku lagi)" in labels
        assert "75 – nilai 75" in labels

    def test_the_page_shows_the_old_score_and_saves_another(self, client_for, rina, psr1, retired_25):
        holding(psr1, 25)
        client = client_for(rina)
        url = f"/penilaian/{psr1.assessment_id}/isian/{psr1.pk}/"
        assert "25 – nilai 25 (tidak berlaku lagi)" in client.get(url).content.decode()
        response = client.post(url, {"status": "draf", "self_score": str(option(psr1, 75).pk)})
        assert response.status_code == 302
        psr1.refresh_from_db()
        assert psr1.self_score.value == 75
        # Gone from this entry's choices now that it holds another score.
        page = client.get(url).content.decode()
        assert "(tidak berlaku lagi)" not in page
        response = client.post(url, {"status": "draf", "self_score": str(retired_25.pk)})
        assert response.status_code == 200
        assert RETIRED in response.content.decode()
        psr1.refresh_from_db()
        assert psr1.self_score.value == 75


class TestKelembagaanForm:
    def test_refused_for_an_entry_that_does_not_hold_it(self, client_for, rina, assessment, sk):
        old = sk.item.scale_options.get(value=50)
        form = KelembagaanEntryForm(
            {"entry": sk.pk, "self_score": old.pk, "note": ""}, entries={sk.pk: sk}, initial={"entry": sk.pk}
        )
        assert not form.is_valid()
        assert RETIRED in form.errors["self_score"][0]

        client = client_for(rina)
        url = f"/penilaian/{assessment.pk}/kelembagaan/"
        assert "SK lama" not in client.get(url).content.decode()
        response = client.post(url, kelembagaan_post(assessment, {sk.pk: (old, "")}))
        assert response.status_code == 200
        sk.refresh_from_db()
        assert sk.self_score is None

    def test_shown_and_kept_for_the_entry_that_holds_it(self, client_for, rina, assessment, sk):
        old = sk.item.scale_options.get(value=50)
        KelembagaanEntry.objects.filter(pk=sk.pk).update(self_score=old)
        client = client_for(rina)
        url = f"/penilaian/{assessment.pk}/kelembagaan/"
        page = client.get(url).content.decode()
        assert "50 – SK lama (tidak berlaku lagi)" in page
        response = client.post(url, kelembagaan_post(assessment, {sk.pk: (old, "masih lama")}))
        assert response.status_code == 302
        sk.refresh_from_db()
        assert (sk.self_score, sk.note) == (old, "masih lama")


# --- Services (every surface ends here) -----------------------------------------------------------


def test_the_services_refuse_it_for_an_entry_that_does_not_hold_it(rina, assessment, psr1, retired_25, sk):
    with pytest.raises(ValidationError) as raised:
        indicator_entry_update(entry=psr1, actor=rina, self_score=retired_25)
    assert RETIRED in raised.value.message_dict["self_score"][0]
    with pytest.raises(ValidationError) as raised:
        imported_results_record(assessment=assessment, actor=rina, entries=[(psr1, {"provincial_score": retired_25})])
    assert RETIRED in raised.value.message_dict["provincial_score"][0]
    old = sk.item.scale_options.get(value=50)
    with pytest.raises(ValidationError, match=RETIRED):
        kelembagaan_entries_update(assessment=assessment, actor=rina, changes=[(sk, old, "")])
    psr1.refresh_from_db()
    sk.refresh_from_db()
    assert (psr1.self_score, psr1.provincial_score, sk.self_score) == (None, None, None)


def test_the_services_keep_it_for_the_entry_that_holds_it(rina, assessment, psr1, retired_25):
    holding(psr1, 25)
    holding(psr1, 25, "provincial_score")
    indicator_entry_update(entry=psr1, actor=rina, self_score=retired_25, explanation="tetap")
    imported_results_record(assessment=assessment, actor=rina, entries=[(psr1, {"provincial_score": retired_25})])
    psr1.refresh_from_db()
    assert (psr1.self_score, psr1.provincial_score, psr1.explanation) == (retired_25, retired_25, "tetap")


def test_the_automatic_kelembagaan_score_never_picks_it(rina, assessment, sk):
    """No body in the portal: share 0, the lowest option in force (0), not the retired 50."""
    kelembagaan_fill_assessment(assessment=assessment, actor=rina)
    sk.refresh_from_db()
    assert sk.self_score.value == 0


# --- API --------------------------------------------------------------------------------------


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


class TestApi:
    def test_an_entry_refuses_it_by_id_and_by_value_with_the_field_named(self, client_for, rina, psr1, retired_25):
        client = client_for(rina)
        for data, field in (
            ({"self_score": retired_25.pk}, "self_score"),
            ({"self_score_value": 25}, "self_score_value"),
        ):
            response = patch(client, f"/api/entries/{psr1.pk}/", data)
            assert response.status_code == 400, response.content
            error = response.json()["error"]
            assert list(error["fields"]) == [field]
            assert error["fields"][field] == [
                "Nilai 25 tidak berlaku lagi: opsi skala ini tidak ada di instrumen terbaru dan hanya tetap pada "
                "isian yang sudah memakainya. Pilih salah satu opsi skala yang berlaku."
            ]
        psr1.refresh_from_db()
        assert psr1.self_score is None

    def test_an_entry_that_holds_it_keeps_it(self, client_for, rina, psr1, retired_25):
        holding(psr1, 25)
        client = client_for(rina)
        response = patch(client, f"/api/entries/{psr1.pk}/", {"self_score": retired_25.pk, "explanation": "x"})
        assert response.status_code == 200, response.content
        assert response.json()["self_score"] == {
            "id": retired_25.pk,
            "value": 25,
            "description": "nilai 25",
            "retired": True,
        }
        response = patch(client, f"/api/entries/{psr1.pk}/", {"self_score_value": 25})
        assert response.status_code == 200, response.content

    def test_kelembagaan_offers_and_takes_it_only_where_held(self, client_for, rina, assessment, sk):
        client = client_for(rina)
        url = f"/api/assessments/{assessment.pk}/kelembagaan/"
        old = sk.item.scale_options.get(value=50)
        (listed,) = client.get(url).json()
        assert [o["value"] for o in listed["options"]] == [100, 0]
        for change in ({"self_score": old.pk}, {"self_score_value": 50}):
            response = patch(client, url, {"entries": [{"id": sk.pk, **change}]})
            assert response.status_code == 400, response.content
            assert RETIRED in response.json()["error"]["fields"]["entries"]["0"][0]
        sk.refresh_from_db()
        assert sk.self_score is None

        KelembagaanEntry.objects.filter(pk=sk.pk).update(self_score=old)
        (listed,) = client.get(url).json()
        assert [(o["value"], o["retired"]) for o in listed["options"]] == [(100, False), (0, False), (50, True)]
        response = patch(client, url, {"entries": [{"id": sk.pk, "self_score_value": 50, "note": "lama"}]})
        assert response.status_code == 200, response.content
        sk.refresh_from_db()
        assert (sk.self_score, sk.note) == (old, "lama")


# --- Excel ------------------------------------------------------------------------------------


def workbook_of(assessment):
    return openpyxl.load_workbook(io.BytesIO(assessment_export(assessment=assessment)))


def save(wb) -> io.BytesIO:
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = "penilaian.xlsx"
    return buffer


def cell_of(ws, number, header):
    header_row = next(r for r in range(1, 15) if any(c.value == header for c in ws[r]))
    col = next(c.column for c in ws[header_row] if c.value == header)
    row = next(r for r in range(header_row + 1, ws.max_row + 1) if str(ws.cell(r, 1).value) == number)
    return ws.cell(row, col)


def validation_values(ws, cell) -> str:
    (found,) = [dv.formula1 for dv in ws.data_validations.dataValidation if cell.coordinate in dv.sqref]
    return found


class TestExcel:
    def test_the_export_offers_it_only_to_the_entry_that_holds_it(self, assessment, psr1):
        ws = workbook_of(assessment)["Tatanan 1 Pasar Sehat"]
        assert "25" not in validation_values(ws, cell_of(ws, "1", "NILAI MANDIRI"))
        holding(psr1, 25)
        ws = workbook_of(assessment)["Tatanan 1 Pasar Sehat"]
        assert "25" in validation_values(ws, cell_of(ws, "1", "NILAI MANDIRI"))

    def test_the_import_refuses_it_for_an_entry_that_does_not_hold_it(self, assessment, rina, psr1):
        holding(psr1, 75)
        wb = workbook_of(assessment)
        cell_of(wb["Tatanan 1 Pasar Sehat"], "1", "NILAI MANDIRI").value = 25
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert not report.imported
        (error,) = report.error_rows
        assert error.subject.startswith("PSR 1")
        assert "Nilai mandiri: Nilai 25 tidak berlaku lagi" in error.message
        psr1.refresh_from_db()
        assert psr1.self_score.value == 75

    def test_the_import_keeps_it_for_the_entry_that_holds_it(self, assessment, rina, psr1):
        holding(psr1, 25)
        wb = workbook_of(assessment)
        cell_of(wb["Tatanan 1 Pasar Sehat"], "1", "NILAI MANDIRI").value = 25
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert report.imported, [(r.subject, r.message) for r in report.error_rows]
        assert all(r.status != Status.ERROR for r in report.rows)
        assert IndicatorEntry.objects.get(pk=psr1.pk).self_score.value == 25

    def test_the_kelembagaan_sheet_refuses_it(self, assessment, rina, sk):
        wb = workbook_of(assessment)
        ws = wb["Kelembagaan"]
        row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == sk.item.get_item_display())
        ws.cell(row, 8).value = 50
        report = assessment_import(assessment=assessment, file=save(wb), actor=rina)
        assert not report.imported
        assert RETIRED in report.error_rows[0].message
        sk.refresh_from_db()
        assert sk.self_score is None

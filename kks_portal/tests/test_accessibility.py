"""Accessibility of the main pages of every role, checked by axe-core in the browser (issue 12):
no serious or critical violation on the pages each role's menu links, nor on the pages of their
daily work (the assessment, an entry, the dossier, the body, its activities and work plan, the
verifier's review), on a desktop and, for the secretaries who work from a phone, on a phone too.

One test per role, one browser page per screen size: each page is opened and checked in turn and
the test fails once, listing every violation of every page (conftest.py, ``axe_violations``)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import axe_violations, browser_login, browser_open_menu, fail_on_axe_violations
from dossiers.models import DossierEvent
from dossiers.tests.factories import DossierEventFactory, DossierFactory, DossierVersionFactory
from evidence.tests.factories import ActivityFactory, EvidenceFileFactory
from forums.models import Body, WorkPlan
from forums.tests.factories import (
    BodyFactory,
    DecreeFactory,
    MemberFactory,
    SecretariatFactory,
    WorkPlanFactory,
    WorkPlanItemFactory,
)
from indicators.tests.factories import AssessmentFactory, DataRequestFactory, IndicatorEntryFactory, TitikPantauFactory
from tatanan.tests.factories import EvidenceRequirementFactory, IndicatorFactory, KelembagaanItemFactory

# The markup axe-core judges is the same whatever database and broker serve it, so the check
# runs in the embedded pass only (pass_independent, conftest.py); the pages' behaviour on
# PostgreSQL is the other browser tests' business.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.pass_independent]

Action = DossierEvent.Action


def check_pages(page, urls) -> list[str]:
    """Open each of ``urls`` (each must answer 200) and return the violations of them all."""
    found = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        found += axe_violations(page)
    return found


def check_form_errors(page, url, form) -> list[str]:
    """Send the form ``form`` of ``url`` empty, past the browser's own checks, and return the
    violations of the page that answers with the form's error messages."""
    page.goto(url)
    page.locator(form).evaluate("(form) => { form.noValidate = true; }")
    with page.expect_navigation():
        page.locator(f"{form} [type=submit]").last.click()
    assert page.locator(f"{form} .invalid-feedback").count(), f"{url}: no error message shown"
    return axe_violations(page)


def serang_assessment(wilayah, dinkes_serang):
    """The 2025 assessment of Kabupaten Serang with one indicator filled in and assigned to Dinkes,
    its evidence requirement, one kelembagaan item and the data request to Dinkes."""
    indicator = IndicatorFactory(responsible_opd="Dinkes")
    EvidenceRequirementFactory(indicator=indicator)
    KelembagaanItemFactory(cycle=indicator.cycle)
    assessment = AssessmentFactory(kabupaten=wilayah["serang"], cycle=indicator.cycle)
    entry = IndicatorEntryFactory(assessment=assessment, indicator=indicator, filled=True, assigned_opd=dinkes_serang)
    DataRequestFactory(assessment=assessment, opd=dinkes_serang)
    return assessment, entry


def dossier_at(assessment, *actions, versions=1):
    """The dossier of ``assessment`` with ``versions`` finished versions, moved through ``actions``."""
    dossier = DossierFactory(assessment=assessment)
    for _n in range(versions):
        DossierVersionFactory(dossier=dossier)
    for action in actions:
        DossierEventFactory(dossier=dossier, action=action)
    return dossier


def forum_with_work(region, kind):
    """A body of ``region`` with its SK, secretariat and members, an activity with its minutes,
    last year's work plan submitted for approval and this year's draft."""
    body = BodyFactory(kind=kind, region=region)
    DecreeFactory(body=body, scanned=True)
    SecretariatFactory(body=body, notes="Buka setiap Senin dan Kamis.")
    MemberFactory(body=body)
    activity = ActivityFactory(body=body)
    EvidenceFileFactory(activity=activity)
    submitted = WorkPlanFactory(body=body, year=2023, status=WorkPlan.Status.SUBMITTED, submitted_at=timezone.now())
    WorkPlanItemFactory(work_plan=submitted)
    draft = WorkPlanFactory(body=body)
    WorkPlanItemFactory(work_plan=draft)
    return body, activity, submitted, draft


def secretary_pages(body, activity, submitted, draft) -> list[str]:
    return [
        reverse("dashboard"),
        reverse("forums:body_detail", args=[body.pk]),
        reverse("forums:decree_list", args=[body.pk]),
        reverse("forums:secretariat_edit", args=[body.pk]),
        reverse("forums:member_add", args=[body.pk]),
        reverse("forums:work_plan_list", args=[body.pk]),
        reverse("forums:work_plan_detail", args=[submitted.pk]),
        reverse("forums:work_plan_item_add", args=[draft.pk]),
        reverse("evidence:activity_list", args=[body.pk]),
        reverse("evidence:activity_add", args=[body.pk]),
        reverse("evidence:activity_detail", args=[activity.pk]),
        reverse("evidence:activity_edit", args=[activity.pk]),
        reverse("evidence:body_files", args=[body.pk]),
    ]


def test_anonymous_pages(desktop, wilayah, dinkes_serang, shipped_catalogue):
    assessment, _entry = serang_assessment(wilayah, dinkes_serang)
    version = dossier_at(assessment, Action.SUBMIT).submitted_version
    found = check_pages(
        desktop,
        [
            reverse("login"),
            reverse("password_reset"),
            reverse("about"),
            reverse("dossiers:verify"),
            reverse("dossiers:verify_code", args=[version.sha256]),
        ],
    )
    browser_login(desktop, "tidak-ada", "salah")  # the login form with its error
    assert desktop.locator("#login-form .alert").count()
    found += axe_violations(desktop)
    fail_on_axe_violations(found)


def test_bappeda_pages(desktop, rina, wilayah, dinkes_serang, shipped_catalogue):
    assessment, entry = serang_assessment(wilayah, dinkes_serang)
    dossier_at(assessment, versions=2)
    requirement = entry.indicator.evidence_requirements.get()
    body, _activity, plan, _draft = forum_with_work(wilayah["carenang"], Body.Kind.FORUM_KECAMATAN)
    TitikPantauFactory(assessment=assessment)
    browser_login(desktop, "rina")
    found = check_pages(
        desktop,
        [
            reverse("dashboard"),
            reverse("forums:body_list"),
            reverse("forums:body_detail", args=[body.pk]),
            reverse("forums:work_plan_detail", args=[plan.pk]),
            reverse("indicators:assessment_list"),
            reverse("indicators:assessment_detail", args=[assessment.pk]),
            reverse("indicators:entry_edit", args=[assessment.pk, entry.pk]),
            reverse("indicators:request_outstanding", args=[assessment.pk]),
            reverse("indicators:kelembagaan_edit", args=[assessment.pk]),
            reverse("indicators:titik_pantau_list", args=[assessment.pk]),
            reverse("evidence:assessment_evidence", args=[assessment.pk]),
            reverse("evidence:readiness", args=[assessment.pk]),
            reverse("evidence:requirement_files", args=[assessment.pk, requirement.pk, 2024]),
            reverse("indicators:assessment_dashboard", args=[assessment.pk]),
            reverse("dossiers:detail", args=[assessment.pk]),
            reverse("dossiers:diff", args=[assessment.pk]),
            reverse("accounts:user_list"),
            reverse("accounts:user_create"),
            reverse("accounts:opd_list"),
            reverse("tatanan:cycle_list"),
            reverse("tatanan:cycle_detail", args=[assessment.cycle.award_year]),
            reverse("regions:browse"),
            reverse("regions:detail", args=["36.04"]),
        ],
    )
    fail_on_axe_violations(found)


def test_opd_operator_pages(desktop, oscar, wilayah, dinkes_serang, shipped_catalogue):
    assessment, entry = serang_assessment(wilayah, dinkes_serang)
    browser_login(desktop, "oscar")
    found = check_pages(
        desktop,
        [
            reverse("dashboard"),
            reverse("indicators:todo"),
            reverse("indicators:entry_edit", args=[assessment.pk, entry.pk]),
            reverse("tatanan:cycle_list"),
        ],
    )
    fail_on_axe_violations(found)


@pytest.mark.parametrize(
    ("persona", "region", "kind"),
    [("sari", "carenang", Body.Kind.FORUM_KECAMATAN), ("dewi", "desa_carenang", Body.Kind.POKJA_DESA)],
)
def test_secretary_pages_on_desktop_and_phone(
    desktop, phone, request, wilayah, shipped_catalogue, persona, region, kind
):
    request.getfixturevalue(persona)
    body, *work = forum_with_work(wilayah[region], kind)
    pages = secretary_pages(body, *work)
    found = []
    for page in (desktop, phone):
        browser_login(page, persona)
        found += check_pages(page, pages)
    found += check_form_errors(phone, reverse("forums:member_add", args=[body.pk]), "main form[method=post]")
    browser_open_menu(phone)  # the phone's menu, open
    found += axe_violations(phone)
    fail_on_axe_violations(found)


def test_province_verifier_pages(desktop, vina, wilayah, dinkes_serang, shipped_catalogue):
    assessment, _entry = serang_assessment(wilayah, dinkes_serang)
    dossier_at(assessment, Action.SUBMIT, Action.OPEN_REVIEW)
    browser_login(desktop, "vina")
    found = check_pages(
        desktop,
        [
            reverse("dashboard"),
            reverse("dossiers:queue"),
            reverse("dossiers:review", args=[assessment.pk]),
            reverse("dossiers:detail", args=[assessment.pk]),
            reverse("indicators:assessment_list"),
            reverse("indicators:assessment_detail", args=[assessment.pk]),
            reverse("tatanan:cycle_list"),
            reverse("regions:browse"),
        ],
    )
    fail_on_axe_violations(found)


def test_national_verifier_pages(desktop, nadia, wilayah, dinkes_serang, shipped_catalogue):
    assessment, _entry = serang_assessment(wilayah, dinkes_serang)
    dossier_at(assessment, Action.SUBMIT, Action.OPEN_REVIEW, Action.APPROVE, Action.OPEN_NATIONAL)
    browser_login(desktop, "nadia")
    found = check_pages(
        desktop,
        [
            reverse("dashboard"),
            reverse("dossiers:queue"),
            reverse("dossiers:review", args=[assessment.pk]),
            reverse("indicators:assessment_list"),
            reverse("tatanan:cycle_list"),
            reverse("regions:browse"),
        ],
    )
    fail_on_axe_violations(found)

"""Every field that takes an id, in every API serializer and every form, and what it accepts.

A field that takes an id is a door into another table: its queryset decides which rows a caller
may name. ``FIELDS`` classifies every such field of the project's serializers and forms, found by
walking their classes (``serializer_id_fields``, ``form_id_fields``); a field added later fails
``test_every_id_field_is_classified`` until it gets its line here, as a route does in
``test_authorization``.

Policies:
  SCOPED     the field's own queryset is scoped: by the caller (``accounts.selectors`` scope) and,
             where the rule depends on it, by the parent object (the plan of an item, the body of
             an activity, the entry of a score). Its probe names an object of another kabupaten of
             the same province (Kabupaten Pandeglang, Banten) and of another province (Kabupaten
             Bogor, Jawa Barat) as every persona: refused with the field's error (the API's one
             message "Tidak ditemukan atau di luar wilayah Anda."), the caller's own accepted;
             with a request (``http``), also end to end: 400 and nothing written.
  PARENT     names the object the write goes into (the body of a new activity, the assessment of a
             new titik pantau): the view looks it up through the scoped selector first and answers
             404 outside the caller's reach, as a URL would (``test_authorization`` tries it).
  IN_PARENT  a plain id or code the view or service looks up inside the parent object only (the
             entries of *this* assessment, the desa of *its* kabupaten): 400 otherwise, tried end
             to end where the probe is written.
  GLOBAL     reference data every signed-in user reads: tatanan, cycles, regions (README).
  TEXT       looks like an id by its name, is not one (a comment's body, an activity's name).
Serializer classes in ``RESPONSES`` only describe what the API answers; no request reaches them.

Objects are built in Kabupaten Serang (Banten), where the personas work, and the foreign ones in
Kabupaten Pandeglang (Banten) and Kabupaten Bogor (Jawa Barat).
"""

from __future__ import annotations

import datetime
import importlib
import json
import pkgutil
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework import relations, serializers

from accounts import forms as accounts_forms
from accounts.tests.factories import OpdFactory
from evidence import forms as evidence_forms
from forums.forms import BodyFilterForm
from forums.models import Body, PembinaanVisit, WorkPlan, WorkPlanItem
from forums.selectors import kabupaten_options, kecamatan_options
from forums.workplans import forms as forms_workplans
from forums.workplans.selectors import pembinaan_team_regions_of
from forums.workplans.services import work_plan_item_add
from indicators import forms as indicators_forms
from indicators.excel import forms as forms_excel
from indicators.fieldwork import forms as forms_fieldwork
from indicators.models import TitikPantau
from indicators.requests import forms as forms_requests
from indicators.services import assessment_open
from kks_portal.lib.scoped_fields import OUT_OF_SCOPE
from kks_portal.tests.authz import db_state
from regions.models import Region
from regions.tests import factories as rf
from tatanan.models import Cycle, Indicator, KelembagaanItem, ScaleOption, Tatanan, TatananSet

APPS = ("regions", "accounts", "tatanan", "indicators", "forums", "evidence", "dossiers", "kks_portal")
PERSONAS = ("rina", "oscar", "sari", "tono", "dewi", "vina", "wawan", "nadia", "root")
# Kabupaten other than Serang: one of the personas' province, one of another.
FOREIGN = ("pandeglang", "bogor")
# Who reads each foreign kabupaten (for fields scoped by the caller alone).
READERS = {"pandeglang": frozenset({"vina", "nadia", "root"}), "bogor": frozenset({"wawan", "nadia", "root"})}
EVERYWHERE_ROOT = {place: frozenset({"root"}) for place in FOREIGN}


# --- Finding the fields ---------------------------------------------------------------------------


def _import_project_modules() -> None:
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, app + "."):
            if not any(part in module.name for part in (".tests", ".migrations", ".management")):
                importlib.import_module(module.name)


def _subclasses(cls) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_classes(base) -> list[type]:
    _import_project_modules()
    found = {cls for cls in _subclasses(base) if cls.__module__.split(".")[0] in APPS}
    return sorted(found, key=lambda cls: (cls.__module__, cls.__name__))


def _model_names() -> set[str]:
    return {model._meta.model_name for model in apps.get_models()}


# A name that says "an object of ours": a model's name, or a region level, or *_id / *_code.
ID_NAME = re.compile(r"(^|_)(id|ids|code|codes|desa|kecamatan|kabupaten|region|parent|entries|indicators)$")
ID_HELP = re.compile(r"(?i)\b(ids?|codes?) of\b")


def _names_an_object(name: str, help_text) -> bool:
    return bool(ID_NAME.search(name) or name in _model_names() or ID_HELP.search(str(help_text or "")))


def serializer_id_fields(cls) -> Iterator[tuple[str, Any]]:
    """Writable fields of ``cls`` that take an id: related fields, and plain integers, strings or
    lists of them whose name or help text says they name an object."""
    for name, fld in cls().fields.items():
        if fld.read_only or isinstance(fld, serializers.BaseSerializer):
            continue  # nested serializers are classes of their own
        if isinstance(fld, (relations.RelatedField, relations.ManyRelatedField)):
            yield name, fld
            continue
        child = getattr(fld, "child", None)
        plain = (serializers.IntegerField, serializers.CharField)
        if (isinstance(fld, plain) or isinstance(child, plain)) and _names_an_object(name, fld.help_text):
            yield name, fld


def form_id_fields(form_fields: Mapping[str, forms.Field]) -> Iterator[tuple[str, forms.Field]]:
    """Fields of a form that take an id: model choices, hidden inputs the view reads, and fields
    whose name says they name an object."""
    for name, fld in form_fields.items():
        if (
            isinstance(fld, forms.ModelChoiceField)
            or isinstance(fld.widget, forms.HiddenInput)
            or _names_an_object(name, fld.help_text)
        ):
            yield name, fld


# --- The world ------------------------------------------------------------------------------------


class World:
    """Serang's objects, and the same kinds in Pandeglang and Bogor, on the 2023-onward tatanan."""

    def __init__(self, *, wilayah, users):
        self.users = users
        pandeglang = rf.region(("36.01", "Kabupaten Pandeglang"))
        rf.region(("36.01.01", "Sumur"))
        rf.region(("36.01.01.2001", "Ujungjaya"))
        rf.region(("32.01.01", "Cibinong"))
        rf.region(("32.01.01.2001", "Pondok Rajeg"))
        self.kabupaten = {"serang": wilayah["serang"], "pandeglang": pandeglang, "bogor": wilayah["bogor"]}
        self.kecamatan = {
            "serang": wilayah["carenang"],
            "pandeglang": Region.objects.get(code="36.01.01"),
            "bogor": Region.objects.get(code="32.01.01"),
        }
        self.desa = {
            "serang": wilayah["desa_carenang"],
            "pandeglang": Region.objects.get(code="36.01.01.2001"),
            "bogor": Region.objects.get(code="32.01.01.2001"),
        }
        self.tatanan = Tatanan.objects.get(tatanan_set__code="2023", code="KSM")
        self.cycle = Cycle.objects.create(
            award_year=2041,
            first_data_year=2039,
            last_data_year=2040,
            tatanan_set=TatananSet.objects.get(code="2023"),
            tatanan_selection=Cycle.TatananSelection.CHOSEN,
        )
        self.catalogue = self._indicator("1", local_to=None)
        self.item = KelembagaanItem.objects.create(cycle=self.cycle, component="tim_pembina", item="sk")
        self.item_option = ScaleOption.objects.create(kelembagaan_item=self.item, value=100, order=0, description="SK")
        self.local, self.opd, self.forum, self.plan, self.plan_item, self.assessment = {}, {}, {}, {}, {}, {}
        for place, kabupaten in self.kabupaten.items():
            self.local[place] = self._indicator(f"L{place[:3]}", local_to=kabupaten)
            self.opd[place] = OpdFactory(kabupaten=kabupaten, name="Dinas Kesehatan", short_name="Dinkes")
            self.forum[place] = Body.objects.create(kind=Body.Kind.FORUM_KABKOTA, region=kabupaten)
            Body.objects.create(kind=Body.Kind.FORUM_KECAMATAN, region=self.kecamatan[place])
            self.plan[place] = WorkPlan.objects.create(body=self.forum[place], year=2040)
            self.plan_item[place] = WorkPlanItem.objects.create(
                work_plan=self.plan[place], tatanan=self.tatanan, activity=f"Kegiatan {place}", budget=0
            )
            self.assessment[place] = assessment_open(
                kabupaten=kabupaten, cycle=self.cycle, actor=users["root"], tatanan=[self.tatanan]
            )
        team = Body.objects.create(kind=Body.Kind.TIM_PEMBINA_KABKOTA, region=self.kabupaten["serang"])
        self.visit = PembinaanVisit.objects.create(
            visiting_body=team, target_region=self.kecamatan["serang"], date=datetime.date(2040, 3, 1)
        )

    def _indicator(self, number, *, local_to) -> Indicator:
        indicator = Indicator.objects.create(
            cycle=self.cycle,
            tatanan=self.tatanan,
            number=number,
            order=len(number),
            name=f"Indikator {number}",
            is_local=local_to is not None,
            owner_kabupaten=local_to,
        )
        ScaleOption.objects.create(indicator=indicator, value=100, order=0, description="Ada")
        return indicator

    def entry(self, place):
        return self.assessment[place].indicator_entries.get(indicator=self.catalogue)

    def kelembagaan_entry(self, place):
        return self.assessment[place].kelembagaan_entries.get(item=self.item)

    def option_of(self, place):
        """A scale option of another indicator than the entry's: the kabupaten's local one."""
        return self.local[place].scale_options.get()


# --- Probes ---------------------------------------------------------------------------------------


Value = Callable[[World, str], Any]  # (world, place) → what the field is sent


@dataclass(frozen=True)
class SerializerProbe:
    """Validates the serializer with ``context`` (and ``instance``) built for each persona."""

    foreign: Value
    own: Value  # accepted for ``writer``: proves the refusals are not the field refusing everything
    writer: str = "rina"
    context: Callable[[World], dict] = lambda world: {}
    instance: Callable[[World], Any] | None = None
    many: bool = False
    accepts: Mapping[str, frozenset[str]] = field(default_factory=dict)  # place → personas who may
    message: Any = OUT_OF_SCOPE

    def errors(self, cls, name, world, user, value) -> list[str]:
        request = SimpleNamespace(user=user)
        instance = self.instance(world) if self.instance else None
        data = {name: [value] if self.many else value}
        serializer = cls(instance, data=data, partial=True, context={"request": request, **self.context(world)})
        serializer.is_valid()
        return [str(message) for message in _flat(serializer.errors.get(name, []))]


@dataclass(frozen=True)
class FormProbe:
    """Binds the form built by ``form(world, user, data)``."""

    form: Callable[[World, Any, dict], forms.BaseForm]
    foreign: Value
    own: Value
    writer: str = "rina"
    many: bool = False
    data: Callable[[World], dict] = lambda world: {}
    accepts: Mapping[str, frozenset[str]] = field(default_factory=dict)
    message: Any = OUT_OF_SCOPE  # None: the field's own (Indonesian) message

    def errors(self, cls, name, world, user, value) -> list[str]:
        data = {**self.data(world), name: [value] if self.many else value}
        bound = self.form(world, user, data)
        bound.is_valid()
        return [str(message) for message in bound.errors.get(name, [])]


@dataclass(frozen=True)
class ApiProbe:
    """Sends ``data(world, value)`` to ``url(world)`` as each writer: a foreign value answers 400 in
    the one error shape naming the field, and nothing is written."""

    method: str
    url: Callable[[World], str]
    data: Callable[[World, Any], dict]
    foreign: Value
    writers: tuple[str, ...] = ("rina", "root")


def _flat(errors) -> Iterator[str]:
    if isinstance(errors, dict):
        for value in errors.values():
            yield from _flat(value)
    elif isinstance(errors, list):
        for value in errors:
            yield from _flat(value)
    else:
        yield errors


@dataclass(frozen=True)
class Field:
    policy: str
    note: str = ""
    probe: SerializerProbe | FormProbe | ApiProbe | None = None
    http: ApiProbe | None = None  # a SCOPED field's request, tried end to end as well


def _http_probe(entry: Field) -> ApiProbe | None:
    return entry.probe if isinstance(entry.probe, ApiProbe) else entry.http


SCOPED, PARENT, IN_PARENT, GLOBAL, TEXT = "SCOPED", "PARENT", "IN_PARENT", "GLOBAL", "TEXT"


def scoped(probe, note="", http=None) -> Field:
    return Field(SCOPED, note, probe, http)


# Values sent by the probes.
def local_indicator(world, place):
    return world.local[place].pk


def forum(world, place):
    return world.forum[place].pk


def plan_item(world, place):
    return world.plan_item[place].pk


def kabupaten(world, place):
    return world.kabupaten[place].pk


def kecamatan(world, place):
    return world.kecamatan[place].pk


def opd(world, place):
    return world.opd[place].pk


def body_filter_form(world, user, data):
    choices = [(region.code, region.name) for region in kecamatan_options(user)]
    return BodyFilterForm(data, kecamatan_choices=choices)


def body_filter_form_kabupaten(world, user, data):
    choices = [(region.code, region.name) for region in kabupaten_options(user)]
    return BodyFilterForm(data, kabupaten_choices=choices, kecamatan_choices=[])


def work_plan_item_form(world, user, data):
    return forms_workplans.WorkPlanItemForm(data, user=user, work_plan=world.plan["serang"])


def pembinaan_form(world, user, data):
    return forms_workplans.PembinaanVisitForm(data, team_regions=pembinaan_team_regions_of(user))


def forum_kecamatan(world, place):
    return Body.objects.get(kind=Body.Kind.FORUM_KECAMATAN, region=world.kecamatan[place]).pk


def activity_form(world, user, data):
    return evidence_forms.ActivityForm(data, body=world.forum["serang"])


def entry_form(world, user, data):
    return indicators_forms.IndicatorEntryForm(data, entry=world.entry("serang"), can_assign=True)


def kelembagaan_form(world, user, data):
    entries = {entry.pk: entry for entry in world.assessment["serang"].kelembagaan_entries.all()}
    return forms_fieldwork.KelembagaanEntryForm(data, entries=entries)


def odf_checklist_form(world, user, data):
    return forms_fieldwork.OdfChecklistForm(data, kecamatan=world.kecamatan["serang"])


def usulan_form(world, user, data):
    return forms_fieldwork.UsulanForm(data, assessment=world.assessment["serang"])


def data_request_form(world, user, data):
    return forms_requests.DataRequestAssignForm(data, assessment=world.assessment["serang"])


def titik_pantau_request_form(world, user, data):
    return forms_requests.TitikPantauRequestForm(data, assessment=world.assessment["serang"])


def opd_form(world, user, data):
    return accounts_forms.OpdForm(data, actor=user)


def assessment_open_form(world, user, data):
    return indicators_forms.AssessmentOpenForm(data, user=user)


def assessment_file_open_form(world, user, data):
    return forms_excel.AssessmentFileOpenForm(data, user=user)


def user_create_form(world, user, data):
    return accounts_forms.UserCreateForm(data, actor=user)


def role_add_form(world, user, data):
    return accounts_forms.RoleAddForm(data, actor=user, user=world.users["sari"])


def serang_plan(world):
    return {"work_plan": world.plan["serang"]}


def serang_assessment(world):
    return {"assessment": world.assessment["serang"]}


def serang_entry(world):
    return {"entry": world.entry("serang")}


def serang_body(world):
    return {"body": world.forum["serang"]}


def _serang_entry_url(world):
    return f"/api/entries/{world.entry('serang').pk}/"


def _serang_kelembagaan_url(world):
    return f"/api/assessments/{world.assessment['serang'].pk}/kelembagaan/"


def _activity(world, **fields):
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    return {"body": world.forum["serang"].pk, "title": "Rapat forum", "date": yesterday.isoformat(), **fields}


def _data_request(world, **fields):
    data = {
        "assessment": world.assessment["serang"].pk,
        "opd": world.opd["serang"].pk,
        "entries": [world.entry("serang").pk],
        "deadline": (datetime.date.today() + datetime.timedelta(days=7)).isoformat(),
    }
    return {**data, **fields}


def _in_a_week():
    return (datetime.date.today() + datetime.timedelta(days=7)).isoformat()


def _titik_pantau_request(world, **fields):
    data = {
        "assessment": world.assessment["serang"].pk,
        "opd": world.opd["serang"].pk,
        "tatanan": [world.tatanan.code],
        "deadline": _in_a_week(),
    }
    return {**data, **fields}


def _kelembagaan_request(world, **fields):
    data = {
        "assessment": world.assessment["serang"].pk,
        "regions": [world.kecamatan["serang"].code],
        "documents": ["sk"],
        "deadline": _in_a_week(),
    }
    return {**data, **fields}


def _serang_usulan_url(world):
    return f"/api/assessments/{world.assessment['serang'].pk}/usulan/"


FIELDS: dict[str, Field] = {
    # --- accounts ---------------------------------------------------------------------------------
    "accounts.forms.OpdForm.kabupaten": scoped(
        FormProbe(opd_form, kabupaten, kabupaten, accepts=EVERYWHERE_ROOT, message=None),
        "kabupaten_managed_by(actor)",
    ),
    "accounts.forms.UserCreateForm.opd": scoped(
        FormProbe(user_create_form, opd, opd, accepts=EVERYWHERE_ROOT, message=None), "opds_manageable_by(actor)"
    ),
    "accounts.forms.RoleAddForm.opd": scoped(
        FormProbe(role_add_form, opd, opd, message=None),
        "opds_manageable_by(actor); for the superuser those of the person's kabupaten",
    ),
    "accounts.forms.UserCreateForm.region_code": Field(
        GLOBAL, "a region by code (reference data); the role services refuse one outside the admin scope"
    ),
    "accounts.forms.RoleAddForm.region_code": Field(
        GLOBAL, "a region by code (reference data); the role services refuse one outside the admin scope"
    ),
    # --- indicators -------------------------------------------------------------------------------
    "indicators.forms.AssessmentOpenForm.kabupaten": scoped(
        FormProbe(assessment_open_form, kabupaten, kabupaten, accepts=EVERYWHERE_ROOT, message=None),
        "kabupaten_managed_by(user)",
    ),
    "indicators.forms.AssessmentOpenForm.cycle": Field(GLOBAL, "cycles: the national catalogue"),
    "indicators.excel.forms.AssessmentFileOpenForm.kabupaten": scoped(
        FormProbe(assessment_file_open_form, kabupaten, kabupaten, accepts=EVERYWHERE_ROOT, message=None),
        "kabupaten_managed_by(user)",
    ),
    "indicators.excel.forms.AssessmentFileOpenForm.cycle": Field(GLOBAL, "cycles: the national catalogue"),
    "indicators.forms.AssessmentOpenForm.tatanan": Field(GLOBAL, "tatanan; the service checks the cycle's set"),
    "indicators.forms.IndicatorEntryForm.self_score": scoped(
        FormProbe(
            entry_form,
            lambda w, p: w.option_of(p).pk,
            lambda w, p: w.catalogue.scale_options.get().pk,
            message=None,
        ),
        "the entry's indicator's options",
    ),
    "indicators.forms.IndicatorEntryForm.assigned_opd": scoped(
        FormProbe(entry_form, opd, opd, message=None), "the OPDs of the entry's kabupaten"
    ),
    "indicators.fieldwork.forms.KelembagaanEntryForm.entry": scoped(
        FormProbe(
            kelembagaan_form,
            lambda w, p: w.kelembagaan_entry(p).pk,
            lambda w, p: w.kelembagaan_entry(p).pk,
            message=None,
        ),
        "a hidden id looked up among the assessment's kelembagaan entries",
    ),
    "indicators.fieldwork.forms.KelembagaanEntryForm.self_score": scoped(
        FormProbe(
            kelembagaan_form,
            lambda w, p: w.option_of(p).pk,
            lambda w, p: w.item_option.pk,
            data=lambda w: {"entry": w.kelembagaan_entry("serang").pk},
            message=None,
        ),
        "the kelembagaan item's options",
    ),
    "indicators.fieldwork.forms.OdfChecklistForm.odf_desa": scoped(
        FormProbe(
            odf_checklist_form, lambda w, p: w.desa[p].code, lambda w, p: w.desa[p].code, many=True, message=None
        ),
        "the desa of the kecamatan",
    ),
    "indicators.fieldwork.forms.TitikPantauForm.tatanan": Field(GLOBAL, "tatanan; narrowed to the assessment's"),
    "indicators.fieldwork.forms.TitikPantauForm.desa": Field(
        IN_PARENT, "any code; the fieldwork service refuses a desa outside the assessment's kabupaten"
    ),
    "indicators.fieldwork.forms.TatananChoiceForm.tatanan": Field(GLOBAL, "tatanan of the cycle's set"),
    "indicators.fieldwork.forms.UsulanForm.kecamatan": scoped(
        FormProbe(usulan_form, kecamatan, kecamatan, many=True, message=None),
        "the kecamatan of the assessment's kabupaten",
    ),
    "indicators.fieldwork.forms.UsulanForm.desa": scoped(
        FormProbe(usulan_form, lambda w, p: w.desa[p].code, lambda w, p: w.desa[p].code, many=True, message=None),
        "the desa of the assessment's kabupaten (the service: in a proposed kecamatan)",
    ),
    "indicators.innovations.forms.InnovationForm.tatanan": Field(GLOBAL, "tatanan; narrowed to the assessment's"),
    "indicators.requests.forms.DataRequestAssignForm.opd": scoped(
        FormProbe(data_request_form, opd, opd, message=None), "opds_of(assessment)"
    ),
    "indicators.requests.forms.DataRequestAssignForm.entries": scoped(
        FormProbe(data_request_form, lambda w, p: w.entry(p).pk, lambda w, p: w.entry(p).pk, many=True, message=None),
        "the assessment's entries",
    ),
    "indicators.requests.forms.DataRequestAssignForm.replace": Field(TEXT, "a hidden yes/no"),
    "indicators.requests.forms.TitikPantauRequestForm.opd": scoped(
        FormProbe(titik_pantau_request_form, opd, opd, message=None), "opds_of(assessment)"
    ),
    "indicators.requests.forms.TitikPantauRequestForm.tatanan": Field(GLOBAL, "tatanan; narrowed to the assessment's"),
    "indicators.serializers.AssessmentOpenSerializer.kabupaten": Field(
        PARENT, "the kabupaten the assessment is opened for: assessment_open refuses outside the caller's scope"
    ),
    "indicators.serializers.AssessmentOpenSerializer.cycle": Field(GLOBAL, "award year of a cycle"),
    "indicators.serializers.AssessmentOpenSerializer.tatanan": Field(GLOBAL, "tatanan codes of the cycle's set"),
    "indicators.serializers.DataRequestAssignSerializer.assessment": Field(PARENT, "assessment_for(user): 404"),
    "indicators.serializers.DataRequestAssignSerializer.opd": scoped(
        SerializerProbe(opd, opd, context=serang_assessment),
        "opds_visible_to(user) of the assessment's kabupaten (context assessment)",
        http=ApiProbe("POST", lambda w: "/api/data-requests/", lambda w, v: _data_request(w, opd=v), opd),
    ),
    "indicators.serializers.DataRequestAssignSerializer.entries": scoped(
        SerializerProbe(lambda w, p: w.entry(p).pk, lambda w, p: w.entry(p).pk, context=serang_assessment, many=True),
        "the assessment's entries (context assessment)",
        http=ApiProbe(
            "POST",
            lambda w: "/api/data-requests/",
            lambda w, v: _data_request(w, entries=[v]),
            lambda w, p: w.entry(p).pk,
        ),
    ),
    "indicators.serializers.TitikPantauRequestSerializer.assessment": Field(PARENT, "assessment_for(user): 404"),
    "indicators.serializers.TitikPantauRequestSerializer.opd": scoped(
        SerializerProbe(opd, opd, context=serang_assessment),
        "opds_visible_to(user) of the assessment's kabupaten (context assessment)",
        http=ApiProbe(
            "POST", lambda w: "/api/data-requests/titik-pantau/", lambda w, v: _titik_pantau_request(w, opd=v), opd
        ),
    ),
    "indicators.serializers.TitikPantauRequestSerializer.tatanan": Field(
        GLOBAL, "tatanan codes of the cycle's set (reference data); the service takes only the assessed ones"
    ),
    "indicators.serializers.KelembagaanRequestSerializer.assessment": Field(PARENT, "assessment_for(user): 404"),
    "indicators.serializers.KelembagaanRequestSerializer.regions": Field(
        IN_PARENT,
        "region codes (reference data); data_request_documents takes those of the assessment's kabupaten only",
        ApiProbe(
            "POST",
            lambda w: "/api/data-requests/kelembagaan/",
            lambda w, v: _kelembagaan_request(w, regions=[v]),
            lambda w, p: w.kecamatan[p].code,
        ),
    ),
    "indicators.serializers.UsulanWriteSerializer.kecamatan": Field(
        IN_PARENT,
        "region codes (reference data); assessment_usulan_update takes the kecamatan of the assessment's kabupaten",
        ApiProbe(
            "PUT",
            _serang_usulan_url,
            lambda w, v: {"category": "", "kecamatan": [v]},
            lambda w, p: w.kecamatan[p].code,
        ),
    ),
    "indicators.serializers.UsulanWriteSerializer.desa": Field(
        IN_PARENT,
        "region codes (reference data); assessment_usulan_update takes desa of the proposed kecamatan",
        ApiProbe(
            "PUT",
            _serang_usulan_url,
            lambda w, v: {"category": "", "kecamatan": [w.kecamatan["serang"].code], "desa": [v]},
            lambda w, p: w.desa[p].code,
        ),
    ),
    "indicators.serializers.EntryUpdateSerializer.self_score": scoped(
        SerializerProbe(
            lambda w, p: w.option_of(p).pk,
            lambda w, p: w.catalogue.scale_options.get().pk,
            context=serang_entry,
            message="Nilai harus salah satu opsi skala indikator ini.",
        ),
        "the entry's indicator's options (context entry)",
        http=ApiProbe("PATCH", _serang_entry_url, lambda w, v: {"self_score": v}, lambda w, p: w.option_of(p).pk),
    ),
    "indicators.serializers.EntryUpdateSerializer.assigned_opd": scoped(
        SerializerProbe(opd, opd, context=serang_entry),
        "opds_visible_to(user) of the entry's kabupaten (context entry)",
        http=ApiProbe("PATCH", _serang_entry_url, lambda w, v: {"assigned_opd": v}, opd),
    ),
    "indicators.serializers.InnovationWriteSerializer.assessment": Field(PARENT, "assessment_for(user): 404"),
    "indicators.serializers.InnovationWriteSerializer.tatanan": Field(
        GLOBAL, "a tatanan code (reference data); the service takes only the assessed ones"
    ),
    "indicators.serializers.KelembagaanChangeSerializer.id": Field(
        IN_PARENT,
        "the assessment's kelembagaan entries",
        ApiProbe(
            "PATCH",
            _serang_kelembagaan_url,
            lambda w, v: {"entries": [{"id": v, "note": "Catatan"}]},
            lambda w, p: w.kelembagaan_entry(p).pk,
        ),
    ),
    "indicators.serializers.KelembagaanChangeSerializer.self_score": Field(
        IN_PARENT,
        "the item's options",
        ApiProbe(
            "PATCH",
            _serang_kelembagaan_url,
            lambda w, v: {"entries": [{"id": w.kelembagaan_entry("serang").pk, "self_score": v}]},
            lambda w, p: w.option_of(p).pk,
        ),
    ),
    "indicators.serializers.LocalIndicatorWriteSerializer.tatanan": Field(
        GLOBAL, "a tatanan code (reference data); the service takes only the assessed ones"
    ),
    "indicators.serializers.OdfWriteSerializer.odf_desa": Field(
        IN_PARENT,
        "desa codes of the URL's kecamatan",
        ApiProbe(
            "PUT",
            lambda w: f"/api/assessments/{w.assessment['serang'].pk}/odf/{w.kecamatan['serang'].code}/",
            lambda w, v: {"odf_desa": [v]},
            lambda w, p: w.desa[p].code,
        ),
    ),
    "indicators.serializers.TatananChoiceSerializer.tatanan": Field(GLOBAL, "tatanan codes of the cycle's set"),
    "indicators.serializers.TitikPantauWriteSerializer.assessment": Field(PARENT, "assessment_for(user): 404"),
    "indicators.serializers.TitikPantauWriteSerializer.tatanan": Field(
        GLOBAL, "a tatanan code (reference data); the service takes only the assessed ones"
    ),
    "indicators.serializers.TitikPantauWriteSerializer.desa": Field(
        IN_PARENT,
        "a desa of the assessment's kabupaten",
        ApiProbe(
            "POST",
            lambda w: "/api/titik-pantau/",
            lambda w, v: {
                "assessment": w.assessment["serang"].pk,
                "tatanan": w.tatanan.code,
                "name": "Pasar Baru",
                "kind": TitikPantau.Kind.values[0],
                "desa": v,
            },
            lambda w, p: w.desa[p].code,
        ),
    ),
    # --- tatanan ----------------------------------------------------------------------------------
    "tatanan.forms.InstrumentUploadForm.cycle": Field(GLOBAL, "cycles (superuser only)"),
    "tatanan.forms.CycleNextForm.source": Field(GLOBAL, "cycles (superuser only)"),
    "tatanan.forms.RequirementsMergeForm.owner": Field(
        IN_PARENT, "an indicator or kelembagaan item of the URL's cycle (selectors.requirements_review_owner)"
    ),
    "tatanan.forms.RequirementsMergeForm.requirement_ids": Field(
        IN_PARENT, "the documents of that owner: the form's choices, checked again under lock by the service"
    ),
    "tatanan.forms.RequirementsSplitForm.owner": Field(
        IN_PARENT, "an indicator or kelembagaan item of the URL's cycle (selectors.requirements_review_owner)"
    ),
    "tatanan.forms.RequirementsSplitForm.requirement_id": Field(
        IN_PARENT, "a document of that owner: the form's choices, checked again under lock by the service"
    ),
    "tatanan.forms_local.LocalIndicatorForm.tatanan": Field(GLOBAL, "tatanan; narrowed to the assessment's"),
    # --- forums -----------------------------------------------------------------------------------
    "forums.forms.MemberForm.tatanan": Field(GLOBAL, "tatanan_for_members()"),
    "forums.forms.BodyFilterForm.kecamatan": scoped(
        FormProbe(
            body_filter_form,
            lambda w, p: w.kecamatan[p].code,
            lambda w, p: w.kecamatan[p].code,
            accepts=READERS,
            message=None,
        ),
        "a list filter: kecamatan_options(user), the kecamatan with a body the caller reads",
    ),
    "forums.forms.BodyFilterForm.kabupaten": scoped(
        FormProbe(
            body_filter_form_kabupaten,
            lambda w, p: w.kabupaten[p].code,
            lambda w, p: w.kabupaten[p].code,
            accepts=READERS,
            message=None,
        ),
        "a list filter of a reader of several kabupaten/kota: kabupaten_options(user), those in scope",
    ),
    "forums.workplans.forms.WorkPlanItemForm.tatanan": Field(GLOBAL, "tatanan_for_work_plans()"),
    "forums.workplans.forms.WorkPlanItemForm.activity": Field(TEXT, "the planned activity, in words"),
    "forums.workplans.forms.WorkPlanItemForm.indicator": scoped(
        FormProbe(work_plan_item_form, local_indicator, local_indicator),
        "work_plan_indicators_for(user, work_plan): catalogue, or local to the plan's kabupaten",
    ),
    "forums.workplans.forms.PembinaanVisitForm.team_region": scoped(
        FormProbe(pembinaan_form, kabupaten, kabupaten), "pembinaan_team_regions_of(user)"
    ),
    "forums.workplans.forms.PembinaanVisitForm.target_region": scoped(
        FormProbe(pembinaan_form, kecamatan, kecamatan), "below the caller's teams"
    ),
    "forums.workplans.forms.PembinaanVisitForm.more_targets": scoped(
        FormProbe(pembinaan_form, kecamatan, kecamatan, many=True, message=None), "below the caller's teams"
    ),
    "forums.serializers.MemberSerializer.tatanan": Field(GLOBAL, "tatanan"),
    "forums.serializers.WorkPlanItemSerializer.tatanan": Field(GLOBAL, "tatanan_for_work_plans()"),
    "forums.serializers.WorkPlanItemSerializer.activity": Field(TEXT, "the planned activity, in words"),
    "forums.serializers.WorkPlanItemSerializer.indicator": scoped(
        SerializerProbe(local_indicator, local_indicator, context=serang_plan),
        "work_plan_indicators_for(user, work_plan)",
        http=ApiProbe(
            "POST",
            lambda w: f"/api/work-plans/{w.plan['serang'].pk}/items/",
            lambda w, v: {"tatanan": w.tatanan.pk, "indicator": v, "activity": "Sosialisasi", "budget": "0"},
            local_indicator,
        ),
    ),
    "forums.serializers.WorkPlanCreateSerializer.body": Field(PARENT, "body_list(user), then can_edit_body: 404"),
    "forums.serializers.PembinaanVisitSerializer.target_region": scoped(
        SerializerProbe(kecamatan, kecamatan, instance=lambda world: world.visit),
        "below the visit's team",
        http=ApiProbe("PATCH", lambda w: f"/api/pembinaan/{w.visit.pk}/", lambda w, v: {"target_region": v}, kecamatan),
    ),
    "forums.serializers.PembinaanCreateSerializer.target_region": scoped(
        SerializerProbe(kecamatan, kecamatan, context=lambda world: {"team_region": world.kabupaten["serang"]}),
        "below the team the view found",
        http=ApiProbe(
            "POST",
            lambda w: "/api/pembinaan/",
            lambda w, v: {"team_region": w.kabupaten["serang"].pk, "target_region": v, "date": "2040-04-01"},
            kecamatan,
            writers=("rina",),  # the superuser records for no team: 404 before any field
        ),
    ),
    "forums.serializers.PembinaanCreateSerializer.team_region": scoped(
        SerializerProbe(kabupaten, kabupaten),
        "pembinaan_team_regions_of(user); the view answers 404 before (PARENT) and the field agrees",
    ),
    # --- evidence ---------------------------------------------------------------------------------
    "evidence.forms.ActivityForm.tatanan": Field(GLOBAL, "activity_tatanan_choices()"),
    "evidence.forms.ActivityForm.partner_bodies": scoped(
        FormProbe(activity_form, forum_kecamatan, forum_kecamatan, many=True, message=None),
        "activity_partner_choices(body): the other bodies of the body's kabupaten",
    ),
    "evidence.forms.ActivityForm.indicators": scoped(
        FormProbe(activity_form, local_indicator, local_indicator, many=True, message=None),
        "activity_indicator_choices(body)",
    ),
    "evidence.forms.ActivityForm.work_plan_item": scoped(
        FormProbe(activity_form, plan_item, plan_item, message=None), "activity_work_plan_item_choices(body)"
    ),
    "evidence.serializers.ActivityWriteSerializer.body": scoped(
        SerializerProbe(forum, forum, accepts=READERS),
        "bodies_visible_to(user); on a create the view answers 404 first for a body the caller does not edit",
    ),
    "evidence.serializers.ActivityWriteSerializer.tatanan": Field(GLOBAL, "activity_tatanan_choices()"),
    "evidence.serializers.ActivityWriteSerializer.indicators": scoped(
        SerializerProbe(local_indicator, local_indicator, context=serang_body, many=True),
        "activity_indicator_choices(body) within the caller's indicators",
        http=ApiProbe("POST", lambda w: "/api/activities/", lambda w, v: _activity(w, indicators=[v]), local_indicator),
    ),
    "evidence.serializers.ActivityWriteSerializer.work_plan_item": scoped(
        SerializerProbe(plan_item, plan_item, context=serang_body),
        "activity_work_plan_item_choices(body)",
        http=ApiProbe("POST", lambda w: "/api/activities/", lambda w, v: _activity(w, work_plan_item=v), plan_item),
    ),
    "evidence.serializers.UploadSerializer.replaces": Field(
        IN_PARENT, "documents the upload form; the upload pipeline looks the file up among the owner's current files"
    ),
    "evidence.serializers.BodyReadinessQuerySerializer.cycle": Field(GLOBAL, "award year of a cycle"),
    # --- dossiers ---------------------------------------------------------------------------------
    "dossiers.workflow.forms.CommentForm.body": Field(TEXT, "the comment's text"),
    "dossiers.workflow.forms.CommentForm.chapter": Field(TEXT, "a chapter key of the dossier, checked by the view"),
    "dossiers.workflow.forms.CommentForm.next": Field(TEXT, "where to go back to, checked as a local URL"),
    "dossiers.workflow.forms.CommentForm.entry": Field(IN_PARENT, "an entry of the dossier's assessment (view)"),
    "dossiers.workflow.forms.CommentForm.parent": Field(IN_PARENT, "a comment of the same dossier (view)"),
    "dossiers.workflow.api.CommentCreateSerializer.body": Field(TEXT, "the comment's text"),
    "dossiers.workflow.api.CommentCreateSerializer.parent": Field(IN_PARENT, "a comment of the same dossier (view)"),
}

# Serializers that only describe an answer (``responses=`` of the schema): never given input.
RESPONSES = {
    "accounts.serializers.OpdRefSerializer",
    "accounts.serializers.RegionRefSerializer",
    "dossiers.workflow.api.CheckSerializer",
    "evidence.serializers.UploadResultSerializer",
    "indicators.serializers.IndicatorRefSerializer",
    "indicators.serializers.KelembagaanItemRefSerializer",
    "indicators.serializers.OdfDesaSerializer",
    "indicators.serializers.TatananScoreSerializer",
    "kks_portal.lib.api_schema.ApiErrorDetailSerializer",
    "regions.serializers.RegionAncestorSerializer",
    "regions.serializers.RegionCountsSerializer",
    "regions.serializers.RegionDetailSerializer",
    "regions.serializers.RegionSerializer",
    "tatanan.serializers.TatananSetRefSerializer",
    "accounts.serializers.TokenResponseSerializer",
    "dossiers.serializers.DossierSerializer",
    "dossiers.serializers.FileChangeSerializer",
    "evidence.serializers.AssessmentReadinessSerializer",
    "evidence.serializers.BodyReadinessSerializer",
    "evidence.serializers.DesaReadinessSerializer",
    "evidence.serializers.IndicatorReadinessSerializer",
    "evidence.serializers.KecamatanReadinessSerializer",
    "indicators.serializers.ImprovementSerializer",
    "indicators.serializers.LocalIndicatorSerializer",
    "indicators.serializers.UsulanSerializer",
}


def _key(cls, name: str) -> str:
    return f"{cls.__module__}.{cls.__name__}.{name}"


def all_id_fields(world: World | None = None) -> dict[str, tuple[type, Any]]:
    """Every id-taking field, by registry key. Form fields added in ``__init__`` (the role fields
    of the user forms) are found on the instances the probes build."""
    found: dict[str, tuple[type, Any]] = {}
    for cls in project_classes(serializers.BaseSerializer):
        if f"{cls.__module__}.{cls.__name__}" in RESPONSES:
            continue
        for name, fld in serializer_id_fields(cls):
            found[_key(cls, name)] = (cls, fld)
    for cls in project_classes(forms.BaseForm):
        for name, fld in form_id_fields(cls.base_fields):
            found[_key(cls, name)] = (cls, fld)
    for entry in FIELDS.values():
        if world is not None and isinstance(entry.probe, FormProbe):
            instance = entry.probe.form(world, world.users["root"], {})
            for name, fld in form_id_fields(instance.fields):
                found.setdefault(_key(type(instance), name), (type(instance), fld))
    return found


# --- Tests ----------------------------------------------------------------------------------------


@pytest.fixture
def users(personas):
    return personas


@pytest.fixture
def world(wilayah, users):
    return World(wilayah=wilayah, users=users)


def test_every_id_field_is_classified(world):
    found = all_id_fields(world)
    problems = [
        f"{key} ({type(fld).__name__}) takes an id and is not classified: add it to FIELDS"
        for key, (_cls, fld) in sorted(found.items())
        if key not in FIELDS
    ]
    problems += [
        f"FIELDS classifies {key}, which is no longer an id field: remove the line"
        for key in FIELDS
        if key not in found
    ]
    problems += [
        f"{key} is SCOPED without a probe"
        for key, entry in FIELDS.items()
        if entry.policy == SCOPED and not entry.probe
    ]
    assert not problems, "\n".join(problems)


def test_the_walk_finds_the_fields_it_must():
    """The discovery itself can fail: a related field of a serializer, a model choice of a form, a
    hidden id and a plain integer named after a model must all be found."""

    class Probe(serializers.Serializer):
        indicator = serializers.PrimaryKeyRelatedField(queryset=Indicator.objects.all())
        assessment = serializers.IntegerField()
        note = serializers.CharField()

    class ProbeForm(forms.Form):
        opd = forms.ModelChoiceField(queryset=Indicator.objects.none())
        entry = forms.IntegerField(widget=forms.HiddenInput)
        note = forms.CharField()

    assert [name for name, _f in serializer_id_fields(Probe)] == ["indicator", "assessment"]
    assert [name for name, _f in form_id_fields(ProbeForm.base_fields)] == ["opd", "entry"]


SCOPED_KEYS = sorted(key for key, entry in FIELDS.items() if entry.policy == SCOPED)


@pytest.mark.parametrize("key", SCOPED_KEYS)
def test_a_scoped_field_refuses_another_kabupatens_object(key, world):
    """As every persona, an object of Pandeglang (same province) and of Bogor (another) is refused
    by the field with the one Indonesian message (forms: their own Indonesian message), unless the
    persona may name it there; the caller's own object is accepted (else the test proves nothing)."""
    module, class_name, name = key.rsplit(".", 2)
    cls = getattr(importlib.import_module(module), class_name)
    probe = FIELDS[key].probe
    expected = str(getattr(probe, "message", OUT_OF_SCOPE) or "")
    failures = []
    before = db_state(None)
    for place in FOREIGN:
        value = probe.foreign(world, place)
        for persona in PERSONAS:
            errors = probe.errors(cls, name, world, world.users[persona], value)
            allowed = persona in probe.accepts.get(place, frozenset())
            if allowed:
                continue  # they may name it; the probe does not judge other fields of theirs
            if not errors:
                failures.append(f"{persona}: {place} object {value!r} accepted")
            elif expected and expected not in errors:
                failures.append(f"{persona}: {place} object refused with {errors}, expected {expected!r}")
    own = probe.errors(cls, name, world, world.users[probe.writer], probe.own(world, "serang"))
    if own:
        failures.append(f"{probe.writer}: own object refused: {own}")
    assert db_state(None) == before, "validating wrote something"
    assert not failures, "\n".join(failures)


API_PROBED = sorted(key for key, entry in FIELDS.items() if _http_probe(entry))


@pytest.mark.parametrize("key", API_PROBED)
def test_a_foreign_id_sent_to_the_api_is_400_and_writes_nothing(key, world, client):
    """End to end, for the scoped fields with a request and the ids the indicators API resolves
    inside the assessment or entry the URL names: the Bappeda admin and the superuser (who sees
    everything, so only the parent can refuse) get 400 in the one error shape for an object of
    Pandeglang and of Bogor, and nothing changes in the database or the outbox."""
    probe = _http_probe(FIELDS[key])
    failures = []
    for persona in probe.writers:
        client.force_login(world.users[persona])
        for place in FOREIGN:
            before = db_state(None)
            response = _api(client, probe.method, probe.url(world), probe.data(world, probe.foreign(world, place)))
            code = response.json().get("error", {}).get("code") if response.status_code == 400 else None
            if code != "invalid":
                failures.append(f"{persona}: {place} → {response.status_code} {response.content[:300]!r}")
            if db_state(None) != before:
                failures.append(f"{persona}: {place} → a change in the database")
    assert not failures, "\n".join(failures)


# --- The two work-plan-item routes ----------------------------------------------------------------


def _api(client, method, url, data):
    return client.generic(method, url, json.dumps(data), content_type="application/json")


@pytest.fixture
def rina_client(client, world):
    client.force_login(world.users["rina"])
    return client


@pytest.mark.parametrize("place", FOREIGN)
def test_adding_an_item_with_another_kabupatens_local_indicator_is_400(rina_client, world, place):
    plan = world.plan["serang"]
    data = {"tatanan": world.tatanan.pk, "indicator": world.local[place].pk, "activity": "Sosialisasi", "budget": "0"}
    before = db_state(None)
    response = _api(rina_client, "POST", f"/api/work-plans/{plan.pk}/items/", data)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["indicator"] == [str(OUT_OF_SCOPE)]
    assert db_state(None) == before


def test_a_missing_indicator_answers_like_a_foreign_one(rina_client, world):
    plan = world.plan["serang"]
    data = {"tatanan": world.tatanan.pk, "indicator": 999999, "activity": "Sosialisasi", "budget": "0"}
    response = _api(rina_client, "POST", f"/api/work-plans/{plan.pk}/items/", data)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["indicator"] == [str(OUT_OF_SCOPE)]


@pytest.mark.parametrize("indicator", ["local", "catalogue"])
def test_adding_an_item_with_an_own_local_or_a_catalogue_indicator_is_201(rina_client, world, indicator):
    chosen = world.local["serang"] if indicator == "local" else world.catalogue
    plan = world.plan["serang"]
    data = {"tatanan": world.tatanan.pk, "indicator": chosen.pk, "activity": "Sosialisasi", "budget": "0"}
    response = _api(rina_client, "POST", f"/api/work-plans/{plan.pk}/items/", data)
    assert response.status_code == 201, response.content
    assert plan.items.get(pk=response.json()["id"]).indicator == chosen


@pytest.mark.parametrize("place", FOREIGN)
def test_changing_an_item_to_another_kabupatens_local_indicator_is_400(rina_client, world, place):
    item = world.plan_item["serang"]
    before = db_state(None)
    response = _api(rina_client, "PATCH", f"/api/work-plan-items/{item.pk}/", {"indicator": world.local[place].pk})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["indicator"] == [str(OUT_OF_SCOPE)]
    assert db_state(None) == before
    item.refresh_from_db()
    assert item.indicator is None


@pytest.mark.parametrize("indicator", ["local", "catalogue"])
def test_changing_an_item_to_an_own_local_or_a_catalogue_indicator_is_200(rina_client, world, indicator):
    chosen = world.local["serang"] if indicator == "local" else world.catalogue
    item = world.plan_item["serang"]
    response = _api(rina_client, "PATCH", f"/api/work-plan-items/{item.pk}/", {"indicator": chosen.pk})
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.indicator == chosen


def test_the_superuser_cannot_tie_a_plan_to_another_kabupatens_local_indicator(client, world):
    """The superuser sees every local indicator; the plan's kabupaten still decides."""
    client.force_login(world.users["root"])
    item = world.plan_item["serang"]
    response = _api(client, "PATCH", f"/api/work-plan-items/{item.pk}/", {"indicator": world.local["bogor"].pk})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["indicator"] == [str(OUT_OF_SCOPE)]


def test_the_service_keeps_the_rule_for_every_caller(world):
    """The service is the rule's home: a caller that skips the serializer is refused too."""
    with pytest.raises(ValidationError) as refused:
        work_plan_item_add(
            work_plan=world.plan["serang"],
            actor=world.users["root"],
            tatanan=world.tatanan,
            indicator=world.local["pandeglang"],
            activity="Sosialisasi",
            budget=0,
        )
    assert refused.value.message_dict["indicator"] == [str(OUT_OF_SCOPE)]


def test_the_work_plan_page_offers_the_own_local_indicator_and_refuses_another(rina_client, world):
    plan = world.plan["serang"]
    url = reverse("forums:work_plan_item_add", kwargs={"pk": plan.pk})
    page = rina_client.get(url)
    content = page.content.decode()
    assert world.local["serang"].name in content
    assert world.local["pandeglang"].name not in content
    data = {
        "tatanan": world.tatanan.pk,
        "indicator": world.local["bogor"].pk,
        "activity": "Sosialisasi",
        "budget": "0",
        "funding_source": WorkPlanItem.FundingSource.values[0],
    }
    before = db_state(None)
    response = rina_client.post(url, data)
    assert response.status_code == 200
    assert str(OUT_OF_SCOPE) in response.content.decode()
    assert db_state(None) == before

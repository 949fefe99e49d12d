"""URLs of the work plans (rencana kerja) and pembinaan visits, inside the ``forums`` namespace."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("lembaga/<id:pk>/rencana-kerja/", views.work_plan_list, name="work_plan_list"),
    path("rencana-kerja/menunggu/", views.work_plan_queue, name="work_plan_queue"),
    path("rencana-kerja/<id:pk>/", views.work_plan_detail, name="work_plan_detail"),
    path("rencana-kerja/<id:pk>/kegiatan/tambah/", views.work_plan_item_form, name="work_plan_item_add"),
    path("rencana-kerja/<id:pk>/kegiatan/<id:item_pk>/", views.work_plan_item_form, name="work_plan_item_edit"),
    path(
        "rencana-kerja/<id:pk>/kegiatan/<id:item_pk>/hapus/",
        views.work_plan_item_remove,
        name="work_plan_item_delete",
    ),
    path("rencana-kerja/<id:pk>/ajukan/", views.work_plan_submit_view, name="work_plan_submit"),
    path("rencana-kerja/<id:pk>/setujui/", views.work_plan_decide, {"decision": "approve"}, name="work_plan_approve"),
    path("rencana-kerja/<id:pk>/kembalikan/", views.work_plan_decide, {"decision": "return"}, name="work_plan_return"),
    path("pembinaan/", views.pembinaan_list, name="pembinaan_list"),
    path("pembinaan/tambah/", views.pembinaan_form, name="pembinaan_add"),
    path("pembinaan/<id:pk>/", views.pembinaan_form, name="pembinaan_edit"),
]

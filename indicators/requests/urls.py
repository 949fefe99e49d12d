# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("tugas/", views.todo, name="todo"),
    path("<id:pk>/isian/<id:entry_pk>/selesai/", views.entry_mark_done, name="entry_mark_done"),
    path("<id:pk>/permintaan-data/", views.request_outstanding, name="request_outstanding"),
    path("<id:pk>/permintaan-data/tugaskan/", views.request_assign, name="request_assign"),
    path("<id:pk>/permintaan-data/fungsi-opd/", views.opd_functions, name="opd_functions"),
    path("<id:pk>/permintaan-data/ingatkan/", views.request_remind_overdue, name="request_remind_overdue"),
    path("<id:pk>/permintaan-data/<id:opd_pk>/ingatkan/", views.request_remind, name="request_remind"),
    path("<id:pk>/permintaan-data/titik-pantau/", views.request_titik_pantau, name="request_titik_pantau"),
    path(
        "<id:pk>/permintaan-data/minta/<id:request_pk>/ingatkan/", views.request_remind_one, name="request_remind_one"
    ),
    path("<id:pk>/permintaan-data/minta/<id:request_pk>/batalkan/", views.request_cancel, name="request_cancel"),
    path("<id:pk>/dasbor/", views.assessment_dashboard, name="assessment_dashboard"),
]

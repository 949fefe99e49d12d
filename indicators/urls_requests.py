# URLs of this feature; included by indicators/urls.py (namespace "indicators").
from django.urls import path

from . import views_requests as views

urlpatterns = [
    path("tugas/", views.todo, name="todo"),
    path("<int:pk>/isian/<int:entry_pk>/selesai/", views.entry_mark_done, name="entry_mark_done"),
    path("<int:pk>/permintaan-data/", views.request_outstanding, name="request_outstanding"),
    path("<int:pk>/permintaan-data/tugaskan/", views.request_assign, name="request_assign"),
    path("<int:pk>/permintaan-data/ingatkan/", views.request_remind_overdue, name="request_remind_overdue"),
    path("<int:pk>/permintaan-data/<int:opd_pk>/ingatkan/", views.request_remind, name="request_remind"),
    path("<int:pk>/dasbor/", views.assessment_dashboard, name="assessment_dashboard"),
]

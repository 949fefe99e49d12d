"""URLs of the verification workflow, included in ``dossiers.urls`` (namespace ``dossiers``)."""

from django.urls import path

from . import views_workflow

urlpatterns = [
    path("antrean/", views_workflow.queue, name="queue"),
    path("<int:pk>/ajukan/", views_workflow.submit, name="submit"),
    path("<int:pk>/verifikasi/", views_workflow.review, name="review"),
    path("<int:pk>/verifikasi/mulai/", views_workflow.review_open_view, name="review_open"),
    path("<int:pk>/verifikasi/kembalikan/", views_workflow.return_view, name="return"),
    path("<int:pk>/verifikasi/setujui/", views_workflow.approve_view, name="approve"),
    path("<int:pk>/verifikasi/komentar/", views_workflow.comment, name="comment"),
    path("<int:pk>/pusat/mulai/", views_workflow.national_open_view, name="national_open"),
    path("<int:pk>/pusat/perbaikan/", views_workflow.correction_open_view, name="correction_open"),
    path("<int:pk>/pusat/keputusan/", views_workflow.decide_view, name="decide"),
    path("<int:pk>/berita-acara/<int:ba_pk>/", views_workflow.berita_acara_download, name="berita_acara"),
]

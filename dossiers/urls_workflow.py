"""URLs of the verification workflow, included in ``dossiers.urls`` (namespace ``dossiers``)."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views_workflow

urlpatterns = [
    path("antrean/", views_workflow.queue, name="queue"),
    path("<id:pk>/ajukan/", views_workflow.submit, name="submit"),
    path("<id:pk>/verifikasi/", views_workflow.review, name="review"),
    path("<id:pk>/verifikasi/mulai/", views_workflow.review_open_view, name="review_open"),
    path("<id:pk>/verifikasi/kembalikan/", views_workflow.return_view, name="return"),
    path("<id:pk>/verifikasi/setujui/", views_workflow.approve_view, name="approve"),
    path("<id:pk>/verifikasi/komentar/", views_workflow.comment, name="comment"),
    path("<id:pk>/pusat/mulai/", views_workflow.national_open_view, name="national_open"),
    path("<id:pk>/pusat/perbaikan/", views_workflow.correction_open_view, name="correction_open"),
    path("<id:pk>/pusat/keputusan/", views_workflow.decide_view, name="decide"),
    path("<id:pk>/berita-acara/<id:ba_pk>/", views_workflow.berita_acara_download, name="berita_acara"),
]

"""URLs of the verification workflow, included in ``dossiers.urls`` (namespace ``dossiers``)."""

from django.urls import path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

urlpatterns = [
    path("antrean/", views.queue, name="queue"),
    path("<id:pk>/ajukan/", views.submit, name="submit"),
    path("<id:pk>/verifikasi/", views.review, name="review"),
    path("<id:pk>/verifikasi/mulai/", views.review_open_view, name="review_open"),
    path("<id:pk>/verifikasi/kembalikan/", views.return_view, name="return"),
    path("<id:pk>/verifikasi/setujui/", views.approve_view, name="approve"),
    path("<id:pk>/verifikasi/komentar/", views.comment, name="comment"),
    path("<id:pk>/pusat/mulai/", views.national_open_view, name="national_open"),
    path("<id:pk>/pusat/perbaikan/", views.correction_open_view, name="correction_open"),
    path("<id:pk>/pusat/keputusan/", views.decide_view, name="decide"),
    path("<id:pk>/berita-acara/<id:ba_pk>/", views.berita_acara_download, name="berita_acara"),
]

"""URLs of activities and evidence (``evidence`` namespace, under /bukti/): the pages of
activities, uploads and galleries here; downloads, readiness and the reference point in their
packages.

Every owner of files has a page (``…_files``, or the activity's detail) and an upload URL
(``…_upload``, POST; a GET goes back to the page). A requirement's year 0 means "no data year"."""

from django.urls import include, path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

app_name = "evidence"

urlpatterns = [
    # A body's activities and its own files.
    path("lembaga/<id:pk>/kegiatan/", views.activity_list, name="activity_list"),
    path("lembaga/<id:pk>/kegiatan/tambah/", views.activity_add, name="activity_add"),
    path("lembaga/<id:pk>/", views.body_files, name="body_files"),
    path("lembaga/<id:pk>/unggah/", views.body_upload, name="body_upload"),
    path("lembaga/<id:pk>/galeri/", views.body_gallery, name="body_gallery"),
    # One activity.
    path("kegiatan/<id:pk>/", views.activity_detail, name="activity_detail"),
    path("kegiatan/<id:pk>/ubah/", views.activity_edit, name="activity_edit"),
    path("kegiatan/<id:pk>/hapus/", views.activity_remove_view, name="activity_remove"),
    path("kegiatan/<id:pk>/unggah/", views.activity_upload, name="activity_upload"),
    # An evidence requirement of an assessment, for one data year (0: none).
    path(
        "penilaian/<id:assessment_pk>/syarat/<id:requirement_pk>/<year:year>/",
        views.requirement_files,
        name="requirement_files",
    ),
    path(
        "penilaian/<id:assessment_pk>/syarat/<id:requirement_pk>/<year:year>/unggah/",
        views.requirement_upload,
        name="requirement_upload",
    ),
    # A titik pantau, a pembinaan visit.
    path("titik-pantau/<id:pk>/", views.titik_pantau_files, name="titik_pantau_files"),
    path("titik-pantau/<id:pk>/unggah/", views.titik_pantau_upload, name="titik_pantau_upload"),
    path("pembinaan/<id:pk>/", views.pembinaan_files, name="pembinaan_files"),
    path("pembinaan/<id:pk>/unggah/", views.pembinaan_upload, name="pembinaan_upload"),
    # One attached file: remove (soft). Downloads are in ``downloads/urls.py``.
    path("lampiran/<id:pk>/hapus/", views.file_remove, name="file_remove"),
    # Photos of a tatanan within the user's scope.
    path("galeri/tatanan/<id:pk>/", views.tatanan_gallery, name="tatanan_gallery"),
    path("berkas/", include("evidence.downloads.urls")),
    path("", include("evidence.readiness.urls")),
    path("", include("evidence.reference.urls")),
]

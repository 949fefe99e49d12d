"""Pages of activities, uploads and galleries (``evidence`` namespace, under /bukti/).

Every owner of files has a page (``…_files``, or the activity's detail) and an upload URL
(``…_upload``, POST; a GET goes back to the page). A requirement's year 0 means "no data year"."""

from django.urls import path

from . import views

urlpatterns = [
    # A body's activities and its own files.
    path("lembaga/<int:pk>/kegiatan/", views.activity_list, name="activity_list"),
    path("lembaga/<int:pk>/kegiatan/tambah/", views.activity_add, name="activity_add"),
    path("lembaga/<int:pk>/", views.body_files, name="body_files"),
    path("lembaga/<int:pk>/unggah/", views.body_upload, name="body_upload"),
    path("lembaga/<int:pk>/galeri/", views.body_gallery, name="body_gallery"),
    # One activity.
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("kegiatan/<int:pk>/ubah/", views.activity_edit, name="activity_edit"),
    path("kegiatan/<int:pk>/hapus/", views.activity_remove_view, name="activity_remove"),
    path("kegiatan/<int:pk>/unggah/", views.activity_upload, name="activity_upload"),
    # An evidence requirement of an assessment, for one data year (0: none).
    path(
        "penilaian/<int:assessment_pk>/syarat/<int:requirement_pk>/<int:year>/",
        views.requirement_files,
        name="requirement_files",
    ),
    path(
        "penilaian/<int:assessment_pk>/syarat/<int:requirement_pk>/<int:year>/unggah/",
        views.requirement_upload,
        name="requirement_upload",
    ),
    # A titik pantau, a pembinaan visit.
    path("titik-pantau/<int:pk>/", views.titik_pantau_files, name="titik_pantau_files"),
    path("titik-pantau/<int:pk>/unggah/", views.titik_pantau_upload, name="titik_pantau_upload"),
    path("pembinaan/<int:pk>/", views.pembinaan_files, name="pembinaan_files"),
    path("pembinaan/<int:pk>/unggah/", views.pembinaan_upload, name="pembinaan_upload"),
    # One attached file: remove (soft). Downloads are in ``urls_files``.
    path("lampiran/<int:pk>/hapus/", views.file_remove, name="file_remove"),
    # Photos of a tatanan within the user's scope.
    path("galeri/tatanan/<int:pk>/", views.tatanan_gallery, name="tatanan_gallery"),
]

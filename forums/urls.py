from django.urls import include, path

from kks_portal.lib import url_ids  # noqa: F401  (registers the <id:…> and <year:…> path converters)

from . import views

app_name = "forums"

urlpatterns = [
    path("", views.home, name="home"),
    path("lembaga/", views.body_list_view, name="body_list"),
    path("lembaga/bentuk/", views.body_bulk_setup_view, name="body_bulk_setup"),
    path("lembaga/<id:pk>/", views.body_detail, name="body_detail"),
    path("lembaga/<id:pk>/nama/", views.body_rename_view, name="body_rename"),
    path("lembaga/<id:pk>/sk/", views.decree_list, name="decree_list"),
    path("lembaga/<id:pk>/sk/<id:decree_pk>/berkas/", views.decree_file, name="decree_file"),
    path("lembaga/<id:pk>/anggota/tambah/", views.member_add, name="member_add"),
    path("lembaga/<id:pk>/anggota/impor/", views.member_import_view, name="member_import"),
    path("lembaga/<id:pk>/anggota/impor/contoh/", views.member_import_template_view, name="member_import_template"),
    path("lembaga/<id:pk>/anggota/<id:member_pk>/", views.member_edit, name="member_edit"),
    path("lembaga/<id:pk>/anggota/<id:member_pk>/aktif/", views.member_toggle_active, name="member_toggle_active"),
    path("lembaga/<id:pk>/sekretariat/", views.secretariat_edit, name="secretariat_edit"),
    path("lembaga/<id:pk>/sekretariat/papan-nama/", views.name_board_photo, name="name_board_photo"),
    path("lembaga/<id:pk>/sekretariat/struktur/", views.org_chart_photo, name="org_chart_photo"),
    path("", include("forums.workplans.urls")),
    path("", include("forums.kelembagaan.urls")),
]

from django.urls import path

from trellis.web.people import edit_views, leaving_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("export.csv", views.person_list_csv, name="export_csv"),
    path("export.xlsx", views.person_list_xlsx, name="export_xlsx"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", edit_views.person_edit_page, name="edit"),
    path("<int:person_id>/left/", leaving_views.person_mark_left_view, name="mark_left"),
    path("<int:person_id>/rejoined/", leaving_views.person_mark_rejoined_view, name="mark_rejoined"),
]

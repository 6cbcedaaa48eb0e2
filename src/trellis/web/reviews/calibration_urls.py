"""Calibration's URLs, under /reviews/calibration/."""

from django.urls import path

from trellis.web.reviews import calibration_views as views

app_name = "calibration"

urlpatterns = [
    path("cycles/<int:cycle_id>/", views.cycle_page, name="cycle"),
    path("cycles/<int:cycle_id>/groups/", views.group_create, name="group_create"),
    path("cycles/<int:cycle_id>/target/", views.target_set, name="target"),
    path("groups/<int:group_id>/", views.group_page, name="group"),
    path("groups/<int:group_id>/close/", views.group_close, name="close"),
    path("groups/<int:group_id>/people/<int:participant_id>/", views.participant_page, name="participant"),
    path("groups/<int:group_id>/people/<int:participant_id>/adjust/", views.adjust, name="adjust"),
    path("groups/<int:group_id>/people/<int:participant_id>/notes/", views.note_add, name="note"),
    path("groups/<int:group_id>/people/<int:participant_id>/confirm/", views.confirm, name="confirm"),
]

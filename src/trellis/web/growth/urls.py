from django.urls import path

from trellis.web.growth import one_on_one_views, views

app_name = "growth"
urlpatterns = [
    path("<int:person_id>/gaps/", views.gaps, name="gaps"),
    path("<int:person_id>/paths/", views.paths, name="paths"),
    # 1:1s (one_on_one_views)
    path("one-on-ones/", one_on_one_views.one_on_ones, name="one_on_ones"),
    path("<int:person_id>/one-on-one/", one_on_one_views.one_on_one_guide, name="one_on_one_guide"),
    path("<int:person_id>/one-on-one/start/", one_on_one_views.one_on_one_start, name="one_on_one_start"),
    path("one-on-ones/<int:one_on_one_id>/", one_on_one_views.one_on_one, name="one_on_one"),
    path("one-on-ones/<int:one_on_one_id>/agenda/", one_on_one_views.agenda_add, name="one_on_one_agenda"),
    path(
        "one-on-ones/<int:one_on_one_id>/agenda/tick/",
        one_on_one_views.agenda_tick,
        name="one_on_one_agenda_tick",
    ),
    path(
        "one-on-ones/<int:one_on_one_id>/shared-notes/",
        one_on_one_views.shared_note_create,
        name="one_on_one_shared_note",
    ),
    path(
        "one-on-ones/<int:one_on_one_id>/private-notes/",
        one_on_one_views.private_note_create,
        name="one_on_one_private_note",
    ),
]

from django.urls import path

from trellis.web.growth import heatmap_views, okr_views, one_on_one_views, plan_views, views

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
    # Development plans (plan_views).
    path("<int:person_id>/plan/", plan_views.plan_page, name="plan"),
    path("<int:person_id>/plan/draft/", plan_views.plan_draft, name="plan_draft"),
    path("<int:person_id>/plan/goals/", plan_views.goal_add, name="goal_add"),
    path("<int:person_id>/plan/check-ins/", plan_views.check_in_add, name="check_in_add"),
    path("goals/<int:goal_id>/status/", plan_views.goal_status, name="goal_status"),
    path("goals/<int:goal_id>/actions/", plan_views.action_add, name="action_add"),
    path("goals/<int:goal_id>/progress/", plan_views.progress_add, name="progress_add"),
    path("actions/<int:action_id>/status/", plan_views.action_status, name="action_status"),
    # The OKR tree (okr_views).
    path("objectives/", okr_views.objectives, name="objectives"),
    path("objectives/new/", okr_views.objective_add, name="objective_add"),
    path("objectives/<int:objective_id>/key-results/", okr_views.key_result_add, name="key_result_add"),
    path("key-results/<int:key_result_id>/", okr_views.key_result_measure, name="key_result_measure"),
    # Skills heatmaps (heatmap_views).
    path("heatmap/", heatmap_views.company, name="heatmap"),
    path("heatmap/export/<str:file_format>/", heatmap_views.company_export, name="heatmap_export"),
    path("heatmap/family/<str:family_id>/", heatmap_views.family, name="heatmap_family"),
    path(
        "heatmap/family/<str:family_id>/export/<str:file_format>/",
        heatmap_views.family_export,
        name="heatmap_family_export",
    ),
    path("heatmap/team/<int:person_id>/", heatmap_views.team, name="heatmap_team"),
    path(
        "heatmap/team/<int:person_id>/export/<str:file_format>/",
        heatmap_views.team_export,
        name="heatmap_team_export",
    ),
]

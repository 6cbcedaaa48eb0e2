from django.urls import path

from trellis.web.growth import okr_views, plan_views, views

app_name = "growth"
urlpatterns = [
    path("<int:person_id>/gaps/", views.gaps, name="gaps"),
    path("<int:person_id>/paths/", views.paths, name="paths"),
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
]

"""The URLs of peer and upward feedback and of continuous evidence (namespace "feedback")."""

from django.urls import path

from trellis.web.reviews import feedback_views as views

app_name = "feedback"
urlpatterns = [
    path("requests/", views.requests_page, name="requests"),
    path("answers/<int:assessment_id>/", views.answer, name="answer"),
    path("answers/<int:assessment_id>/<str:competency_id>/", views.answer_save, name="answer_save"),
    path("cycles/<int:cycle_id>/upward/", views.upward_start, name="upward_start"),
    path("cycles/<int:cycle_id>/people/<int:person_id>/", views.participant_feedback, name="participant"),
    path("nominations/<int:peer_nomination_id>/decide/", views.nomination_decide, name="nomination_decide"),
    path("nominations/<int:peer_nomination_id>/start/", views.peer_start, name="peer_start"),
    path("evidence/", views.evidence_mine_page, name="evidence_mine"),
    path("evidence/new/", views.evidence_new, name="evidence_new"),
    path("people/<int:person_id>/evidence/", views.evidence_person, name="evidence_person"),
]

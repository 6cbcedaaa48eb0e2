from django.urls import path

from trellis.web.promotions import views

app_name = "promotions"
urlpatterns = [
    path("", views.promotions_index, name="index"),
    path("request/", views.promotion_request_page, name="request"),
    path("nominate/<int:person_id>/", views.nominate_page, name="nominate"),
    path("<int:nomination_id>/", views.packet_page, name="packet"),
    path("<int:nomination_id>/case/", views.case_save, name="case"),
    path("<int:nomination_id>/decline/", views.request_decline, name="decline"),
    path("<int:nomination_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:nomination_id>/endorse/", views.endorse, name="endorse"),
    path("<int:nomination_id>/decide/", views.decide, name="decide"),
    path("committee/", views.committee_queue_page, name="queue"),
    path("overview/", views.overview_page, name="overview"),
    path("committees/", views.committees_page, name="committees"),
    path("committees/<int:committee_id>/", views.committee_page, name="committee"),
]

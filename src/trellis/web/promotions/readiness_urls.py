from django.urls import path

from trellis.web.promotions import readiness_views

app_name = "readiness"
urlpatterns = [
    path("<int:person_id>/", readiness_views.readiness_detail, name="detail"),
    path("what-if/", readiness_views.readiness_what_if_page, name="what_if"),
]

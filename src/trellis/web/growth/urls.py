from django.urls import path

from trellis.web.growth import views

app_name = "growth"
urlpatterns = [
    path("<int:person_id>/gaps/", views.gaps, name="gaps"),
    path("<int:person_id>/paths/", views.paths, name="paths"),
]

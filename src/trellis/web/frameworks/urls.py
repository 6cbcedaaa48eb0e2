from django.urls import path

from trellis.web.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.index, name="index"),
]

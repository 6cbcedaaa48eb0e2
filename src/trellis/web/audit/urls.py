from django.urls import path

from trellis.web.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="log"),
]

from django.urls import path

from trellis.web.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_index, name="list"),
    path("read/", views.notification_read_all, name="read_all"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
]

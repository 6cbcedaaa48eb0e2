"""The URLs of the web app. Every page needs a signed-in viewer unless its view says otherwise."""

from django.urls import include, path

from trellis.web.people import views as people_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("accounts/", include("trellis.web.accounts.urls")),
    path("framework/", include("trellis.web.frameworks.urls")),
    path("people/", include("trellis.web.people.urls")),
    path("admin/audit/", include("trellis.web.audit.urls")),
]

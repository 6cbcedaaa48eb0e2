from django.urls import path

from trellis.web.frameworks import views

app_name = "frameworks"
urlpatterns = [
    path("", views.index, name="index"),
    # No trailing slash: the address people are given is /framework/search?q=...
    path("search", views.search, name="search"),
    path("lateral-paths/", views.lateral_paths, name="lateral_paths"),
    path("families/<str:family_id>/", views.family, name="family"),
    path("families/<str:family_id>/<str:track_id>/matrix/", views.matrix, name="matrix"),
    path("families/<str:family_id>/<str:track_id>/levels/<str:level_code>/", views.level, name="level"),
]

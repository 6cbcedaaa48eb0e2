from django.urls import path

from trellis.web.growth import heatmap_views, views

app_name = "growth"
urlpatterns = [
    path("<int:person_id>/gaps/", views.gaps, name="gaps"),
    path("<int:person_id>/paths/", views.paths, name="paths"),
    path("heatmap/", heatmap_views.company, name="heatmap"),
    path("heatmap/export/<str:file_format>/", heatmap_views.company_export, name="heatmap_export"),
    path("heatmap/family/<str:family_id>/", heatmap_views.family, name="heatmap_family"),
    path(
        "heatmap/family/<str:family_id>/export/<str:file_format>/",
        heatmap_views.family_export,
        name="heatmap_family_export",
    ),
    path("heatmap/team/<int:person_id>/", heatmap_views.team, name="heatmap_team"),
    path(
        "heatmap/team/<int:person_id>/export/<str:file_format>/",
        heatmap_views.team_export,
        name="heatmap_team_export",
    ),
]

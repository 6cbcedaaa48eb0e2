from django.urls import path

from trellis.web.mobility import views

app_name = "mobility"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("reports/", views.reports, name="reports"),
    path("new/", views.new, name="new"),
    path("<int:opportunity_id>/", views.detail, name="detail"),
    path("<int:opportunity_id>/edit/", views.edit, name="edit"),
    path("<int:opportunity_id>/status/", views.status, name="status"),
    path("<int:opportunity_id>/apply/", views.apply, name="apply"),
    path("<int:opportunity_id>/candidates/", views.candidates, name="candidates"),
    path("applications/<int:application_id>/stage/", views.stage, name="stage"),
]

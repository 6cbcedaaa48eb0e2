from django.urls import path

from trellis.web.accounts import admin_views, invitation_urls, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("password-reset/complete/", views.password_reset_complete, name="password_reset_complete"),
    path("admin/", views.admin_overview, name="admin"),
    path("admin/users/", views.user_list, name="users"),
    path("admin/users/<int:user_id>/status/", admin_views.user_status, name="user_status"),
    path("admin/roles/", admin_views.roles, name="roles"),
    path("admin/roles/add/", admin_views.role_add, name="role_add"),
    path("admin/roles/remove/", admin_views.role_remove, name="role_remove"),
]
urlpatterns += invitation_urls.urlpatterns

from django.urls import path

from trellis.web.accounts import invitation_urls, views

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
]
urlpatterns += invitation_urls.urlpatterns

"""The invitation pages, part of the `accounts` namespace (added to `accounts.urls`)."""

from django.urls import path

from trellis.web.accounts import invitation_views as views

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("admin/invitations/", views.invitation_list, name="invitations"),
    path("admin/invitations/send-all/", views.invitation_send_all, name="invitation_send_all"),
    path("admin/invitations/<int:person_id>/send/", views.invitation_send, name="invitation_send"),
    path("admin/invitations/<int:person_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("admin/invitations/<int:person_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
]

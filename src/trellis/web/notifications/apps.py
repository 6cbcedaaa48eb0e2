from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "trellis.web.notifications"
    label = "notifications"
    verbose_name = "Notifications"

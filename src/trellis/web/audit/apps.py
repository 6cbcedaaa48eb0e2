from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "trellis.web.audit"
    label = "audit"
    verbose_name = "Audit"

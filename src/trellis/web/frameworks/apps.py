from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "trellis.web.frameworks"
    label = "frameworks"
    verbose_name = "Frameworks"

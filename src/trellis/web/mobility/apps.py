from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "trellis.web.mobility"
    label = "mobility"
    verbose_name = "Internal mobility"

from django.apps import AppConfig


class GrowthConfig(AppConfig):
    name = "trellis.web.growth"
    label = "growth"
    verbose_name = "Growth"

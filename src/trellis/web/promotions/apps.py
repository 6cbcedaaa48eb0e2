from django.apps import AppConfig


class PromotionsConfig(AppConfig):
    name = "trellis.web.promotions"
    label = "promotions"
    verbose_name = "Promotions"

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "trellis.web.reviews"
    label = "reviews"
    verbose_name = "Reviews"

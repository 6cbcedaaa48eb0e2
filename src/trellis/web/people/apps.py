from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "trellis.web.people"
    label = "people"
    verbose_name = "People"

"""The review pages, under /reviews/."""

from django.urls import path, register_converter

from trellis.web.reviews import agreement_views, views


class FormSourceConverter:
    """The sources whose form is written here: ``self`` and ``manager`` (peer and upward plug in)."""

    regex = "self|manager"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormSourceConverter, "form_source")

app_name = "reviews"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("agreement/", agreement_views.agreement_overview, name="agreement"),
    path("cycles/", views.cycles, name="cycles"),
    path("cycles/new/", views.cycle_new, name="cycle_new"),
    path("cycles/<int:cycle_id>/", views.cycle_detail, name="cycle"),
    path("cycles/<int:cycle_id>/advance/", views.cycle_advance_view, name="cycle_advance"),
    path("participants/<int:participant_id>/", views.participant_page, name="participant"),
    path("participants/<int:participant_id>/sign-off/", views.participant_sign_off_view, name="sign_off"),
    path("participants/<int:participant_id>/<form_source:source>/", views.assessment_page, name="assessment"),
    path(
        "participants/<int:participant_id>/<form_source:source>/<str:competency_id>/",
        views.rating_save_view,
        name="rating_save",
    ),
]

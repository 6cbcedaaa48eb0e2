"""The URLs of the web app. Every page needs a signed-in viewer unless its view says otherwise."""

from django.conf import settings
from django.urls import include, path

from trellis.web.people import home_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/", include("trellis.web.accounts.urls")),
    path("framework/", include("trellis.web.frameworks.urls")),
    path("framework/authoring/", include("trellis.web.frameworks.authoring_urls")),
    path("people/import/", include("trellis.web.people.import_urls")),
    path("reviews/import/", include("trellis.web.reviews.rating_import_urls")),
    path("people/", include("trellis.web.people.urls")),
    path("readiness/", include("trellis.web.promotions.readiness_urls")),
    path("admin/audit/", include("trellis.web.audit.urls")),
    path("reviews/", include("trellis.web.reviews.urls")),
    path("reviews/calibration/", include("trellis.web.reviews.calibration_urls")),
    path("notifications/", include("trellis.web.notifications.urls")),
    path("feedback/", include("trellis.web.reviews.feedback_urls")),
    path("promotions/", include("trellis.web.promotions.urls")),
    path("growth/", include("trellis.web.growth.urls")),
    path("opportunities/", include("trellis.web.mobility.urls")),
]

if settings.TRELLIS_BENCHMARK_PAGES:
    # The floor page of `make bench`; not mounted unless the benchmark asks for it.
    from trellis.web import benchmark_views

    urlpatterns.append(path("benchmark/floor/", benchmark_views.floor, name="benchmark_floor"))

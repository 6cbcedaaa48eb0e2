"""The WSGI application that `trellis serve` (gunicorn) and other WSGI servers run."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trellis.web.settings")

application = get_wsgi_application()

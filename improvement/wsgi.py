"""The WSGI application gunicorn serves (`gunicorn improvement.wsgi`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "improvement.settings")


def tune_garbage_collection():
    """Full garbage collections were the slowest 5% of dashboard requests (docs/performance.md): take
    what was loaded at start-up out of the collector's sight, and collect the young generation less often."""
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


application = get_wsgi_application()
tune_garbage_collection()

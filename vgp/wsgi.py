"""WSGI entry point (gunicorn vgp.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vgp.settings.base")
application = get_wsgi_application()

from vgp.core.startup import load_and_freeze  # noqa: E402 - needs the settings set up above

load_and_freeze()

"""WSGI entry point: `gunicorn outreach.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outreach.settings")
application = get_wsgi_application()

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawgov.settings.base")

application = get_wsgi_application()

# Without a broker, this process renders reports in the background and sweeps for interrupted ones
# from now on (reports/background.py); with a broker the workers do it.
from reports.background import ensure_supervisor  # noqa: E402  (needs the settings loaded above)

ensure_supervisor()

import os
import sys

from django.core.wsgi import get_wsgi_application

from samenorg.env import ConfigurationError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samenorg.settings.local")

try:
    application = get_wsgi_application()
except ConfigurationError as error:
    # One line instead of a traceback, and exit code 3, on which gunicorn stops instead of restarting workers.
    print(f"Configuration error: {error}", file=sys.stderr)  # noqa: T201
    sys.exit(3)

#!/usr/bin/env bash
# Serve the site on 127.0.0.1:$PORT with a real Celery worker and beat beside it.
# With CELERY_BROKER_URL unset they share kombu's filesystem transport under var/celery.
set -euo pipefail
cd "$(dirname "$0")/.."
port="${PORT:-8000}"

# One worker for every queue (the production topology gives each kind of work its own worker).
.venv/bin/celery --app samenorg worker --beat --queues default,events,email,webhooks,digests --concurrency 1 \
    --loglevel INFO &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null || true; wait "$worker" 2>/dev/null || true' EXIT

echo "Samen Organiseren: http://127.0.0.1:${port}/  (mail lands in var/mail/ unless EMAIL_HOST is set)"
.venv/bin/python manage.py runserver "127.0.0.1:${port}"

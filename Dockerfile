# One image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=samenorg.settings.production \
    SAMENORG_VAR_DIR=/srv/var
WORKDIR /srv/samenorg

RUN pip install --no-cache-dir uv==0.13.8
COPY requirements.lock ./
RUN uv pip install --system --no-cache --require-hashes -r requirements.lock

COPY . .
# collectstatic needs settings but no services: give the production checks throwaway values.
RUN DJANGO_SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(60))') \
    DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://build CACHE_URL=redis://build \
    EMAIL_HOST=build python manage.py collectstatic --no-input --verbosity 0 \
 && useradd --system --home /srv samenorg && mkdir -p /srv/var/media && chown -R samenorg /srv/var
USER samenorg
EXPOSE 8000
# gunicorn.conf.py: 0.0.0.0:8000 unless GUNICORN_BIND or PORT say otherwise; docker-compose.yml runs the workers.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "samenorg.wsgi"]

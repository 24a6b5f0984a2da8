# syntax=docker/dockerfile:1
# KennisCloud: one image for web, worker and beat (docker-compose.yml). Python 3.11, as the
# lock files are compiled for (Makefile: make lock).

# --- Build: a virtualenv with what production runs (requirements.lock), not the dev tools ---
FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/pip install -r /tmp/requirements.lock

# --- Runtime ---------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=kenniscloud.settings.production
RUN useradd --create-home --uid 1000 kenniscloud
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# The whole project, so that a new app is never forgotten; .dockerignore keeps out what the
# site does not run on (tests, .env, the virtualenv, databases, caches). tests/test_image.py
# builds this file set from these two files and runs the site from it. The code stays owned by
# root: the site cannot change itself.
COPY . .
# Static files (collectstatic at start), uploads and private files such as data exports (two
# volumes) and beat's schedule: the only places the site writes.
RUN mkdir -p var/static var/media var/private && chown -R kenniscloud:kenniscloud var
USER kenniscloud
EXPOSE 8000
CMD ["gunicorn", "kenniscloud.wsgi", "--workers", "3", "--bind", "0.0.0.0:8000"]

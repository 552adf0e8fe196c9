# The one image of every Maharat process (release, web, worker, proxy, backup): the same
# scripts as `make prod` (scripts/prod/), started by docker-compose.yml.
FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
        ffmpeg libpango-1.0-0 libpangoft2-1.0-0 fonts-hosny-amiri fonts-noto-core \
        nginx postgresql-client openssl curl espeak-ng librsvg2-bin \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /app --uid 10001 maharat
WORKDIR /app
# The production lock only: tests, browsers and linters are in requirements-dev.lock.
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
# The backup manifest names the deployed revision (the image has no git).
ARG GIT_REVISION=""
ENV GIT_REVISION=$GIT_REVISION
ENV DJANGO_SETTINGS_MODULE=lms.settings PYTHONUNBUFFERED=1 \
    STATIC_ROOT=/app/static MEDIA_ROOT=/srv/media PRIVATE_MEDIA_ROOT=/srv/private
# Translations and static files are part of the image (hashed names, compressed copies):
# production answers 500 on every page whose static files were never collected. The
# build-only values below satisfy the production settings' checks and are not kept.
RUN DEBUG=0 SECRET_KEY=image-build-only SITE_URL=https://build.invalid \
        REGISTRY_SIGNING_KEY=image-build-only EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
        python manage.py compile_translations \
    && DEBUG=0 SECRET_KEY=image-build-only SITE_URL=https://build.invalid \
        REGISTRY_SIGNING_KEY=image-build-only EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend \
        python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /srv/media /srv/private /srv/backups /srv/audit-checkpoints /app/var \
    && chown -R maharat /srv /app/var
USER maharat
EXPOSE 8000
CMD ["scripts/prod/web.sh", "8000"]

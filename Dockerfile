# The KKS Portal image, production profile. One image for every role in docker-compose.yml:
# web (gunicorn), worker and beat (Celery), migrate (one-off).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# WeasyPrint (dossier PDFs) draws text with Pango and subsets fonts with HarfBuzz.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first: a code change then reuses this layer. Every requirement ships wheels
# (psycopg2-binary, Pillow ...), so no compiler is needed.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# The application runs as an unprivileged user that cannot modify its own code.
RUN groupadd --system --gid 10001 kks \
    && useradd --system --uid 10001 --gid kks --no-create-home --home-dir /tmp --shell /usr/sbin/nologin kks

COPY . .

# Static files are built into the image (whitenoise serves them, with hashed names from the
# manifest, so the production profile is needed here). Settings refuse to load without their
# production variables; these dummies exist only during this RUN step, never in a container,
# and nothing here connects to a database, Redis or S3.
RUN KKS_ENV=production \
    SECRET_KEY=build-time-dummy-only-for-collectstatic-never-used-at-runtime-0123456789 \
    ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    REDIS_URL=redis://build.invalid:6379/0 \
    KKS_VAR_DIR=/tmp/kks-build \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/kks-build

USER kks
EXPOSE 8000
CMD ["gunicorn", "--config", "deploy/gunicorn.conf.py", "kks_portal.wsgi"]

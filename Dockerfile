# syntax=docker/dockerfile:1
# Production image of Työkykyportti: gunicorn serving portal.wsgi:app on port 8000.
#
#   docker build -t tyokykyportti .                     (or: make docker)
#   docker run --rm --env-file portal.env tyokykyportti flask --app portal.wsgi db upgrade
#   docker run -d -p 8000:8000 --env-file portal.env tyokykyportti
#
# Migrations are never applied on import or at container start: run the explicit command
# above (one container, before the new version takes traffic). See README.md, "Production".

# --- static assets: GOV.UK Frontend compiled with our neutral (unbranded) look -----------------
FROM node:22-bookworm-slim AS assets
WORKDIR /build
COPY frontend/package.json frontend/package-lock.json frontend/
RUN cd frontend && npm ci --no-audit --no-fund
COPY frontend/ frontend/
COPY static/ static/
RUN mkdir -p static/css static/js && cd frontend && npm run build

# --- the application ------------------------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 portal \
 && useradd --system --uid 10001 --gid portal --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin portal

WORKDIR /app

# Runtime dependencies only (no dev extras), pinned by requirements.lock. This layer changes only
# when pyproject.toml or the lock does.
COPY pyproject.toml requirements.lock ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/runtime.txt \
 && pip install -c requirements.lock -r /tmp/runtime.txt \
 && rm /tmp/runtime.txt

# The code runs from /app, not from site-packages: portal/config.py finds templates/,
# translations/, migrations/ and questionnaires/ beside the portal package.
COPY portal/ portal/
COPY questionnaires/ questionnaires/
COPY templates/ templates/
COPY translations/ translations/
COPY migrations/ migrations/
COPY babel.cfg ./
COPY --from=assets /build/static/ static/
ENV PYTHONPATH=/app

# Compiled catalogs are not committed; build them here. Fuzzy (unreviewed) entries are left out.
RUN for domain in messages selko; do \
      if [ -n "$(find translations -name "$domain.po" -print -quit)" ]; then \
        pybabel compile -d translations -D "$domain"; \
      fi; \
    done

USER portal

ENV PORTAL_ENV=production \
    WEB_CONCURRENCY=3
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]

# WEB_CONCURRENCY sets the number of workers; FORWARDED_ALLOW_IPS names the load balancer(s)
# whose X-Forwarded-* headers gunicorn trusts (see README.md).
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", \
     "--access-logfile", "-", "--timeout", "60", "portal.wsgi:app"]

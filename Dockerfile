# syntax=docker/dockerfile:1
# AeThex Live: one image for every role. The default command is the ASGI server (uvicorn workers);
# worker, beat and the nginx front door ("media") run the same image with another command:
#   docker run IMAGE celery -A aethex worker --queues default,media,payments
#   docker run IMAGE celery -A aethex beat
#   docker run IMAGE python manage.py runnginx --bind 0.0.0.0 --port 8080 --upstream web:8000

# --- builder: the virtualenv and the front-end libraries ------------------------------------
FROM python:3.11-slim-bookworm AS builder
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- final: slim runtime, non-root ----------------------------------------------------------------
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=aethex.settings \
    DEBUG=false \
    VAR_DIR=/app/var \
    PORT=8000
# ffmpeg for the media tasks (VODs, clips, thumbnails); nginx + nginx-rtmp for the front door
# and, later, RTMP ingest. Installing nginx does not start it in a container.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg nginx libnginx-mod-rtmp \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin aethex
WORKDIR /app
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app/node_modules /app/node_modules
COPY . /app
# Static files are part of the image (hashed names, served by the front door). The key only
# exists for this build step; the running containers get the real one from the environment.
RUN SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only-not-secret \
        python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/var/media /app/var/run /app/var/log /app/var/nginx \
    && chown -R aethex:aethex /app/var
USER aethex
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["sh", "-c", "exec uvicorn aethex.asgi:application --host 0.0.0.0 --port \"$PORT\" --workers \"${WEB_WORKERS:-2}\" --lifespan off --loop uvloop --http httptools --ws websockets-sansio --ws-per-message-deflate false --proxy-headers --no-access-log"]

"""AeThex Live settings, read from the environment.

Zero environment variables give a working laptop: SQLite, local files, an in-process
channel layer, a local-memory cache and eager Celery. DATABASE_URL, REDIS_URL,
AWS_STORAGE_BUCKET_NAME and EMAIL_URL switch on the production parts. The README's
table lists every variable.
"""

from __future__ import annotations

import hashlib
import hmac
import tempfile
from pathlib import Path
from typing import Any

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from aethex import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(config.raw("VAR_DIR") or BASE_DIR / "var")

DEBUG = config.flag("DEBUG", True)
SECRET_KEY = config.raw("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (50+ random characters).")
    SECRET_KEY = "dev-insecure-" + "x" * 50
elif not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long when DEBUG is off.")

ALLOWED_HOSTS = config.listing(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = config.listing("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = "AeThex Live"
SITE_URL = config.raw("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files: no CDN needed offline
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.headless",
    "allauth.usersessions",
    "aethex",
    "accounts",
    "channels_app",
    "streams",
    "chat",
    "social",
    "analytics",
    "vods",
    "monetization",
    "integrations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserLocaleMiddleware",
]

ROOT_URLCONF = "aethex.urls"
WSGI_APPLICATION = "aethex.wsgi.application"
ASGI_APPLICATION = "aethex.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aethex.context_processors.site",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATABASES = {"default": config.database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# Persistent connections: every socket connect makes a few trips to the database thread, and each
# trip would otherwise open a connection and close it again (on SQLite half the connect's CPU).
DATABASES["default"]["CONN_MAX_AGE"] = config.integer("DB_CONN_MAX_AGE", 60, minimum=0)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # psycopg 3; checked before reuse so a restarted server costs one error at most.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Several ASGI workers and Celery share the file: WAL lets readers run beside a writer, and
    # IMMEDIATE transactions queue writers instead of failing them with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, cache, Celery --------------------------------------
REDIS_URL = config.redis_url("REDIS_URL")
if REDIS_URL:
    CHANNEL_LAYERS: dict[str, Any] = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py 8 caps pools at 100 and times sockets out after 5 s (STACK.md): lift both.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "max_connections": 1000, "socket_timeout": None}],
                "capacity": 1000,
                "expiry": 30,
            },
        }
    }
    CACHES: dict[str, Any] = {
        "default": {
            "BACKEND": "aethex.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "aethex",
            # A blocking pool queues a burst (1,000 sockets joining) instead of failing it.
            "OPTIONS": {
                "pool_class": "redis.BlockingConnectionPool",
                "max_connections": 64,
                "timeout": 10,
                "socket_connect_timeout": 2,
                "socket_timeout": 2,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "aethex"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# ffmpeg work goes to the `media` queue: a worker pool on the ingest machines (they see HLS_DIR).
CELERY_TASK_ROUTES = {
    "streams.tasks.grab_thumbnails": {"queue": "media"},
    "vods.tasks.archive_vod": {"queue": "media"},
}
CELERY_BEAT_SCHEDULE: dict[str, Any] = {
    "end-stale-streams": {"task": "streams.tasks.end_stale_streams", "schedule": 15.0},
    "sample-viewers": {"task": "streams.tasks.sample_viewers", "schedule": 60.0},
    "poll-stream-health": {"task": "streams.tasks.poll_stream_health", "schedule": 10.0},
    "grab-thumbnails": {"task": "streams.tasks.grab_thumbnails", "schedule": 60.0},
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth and accounts ---------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = config.choice(
    "ACCOUNT_EMAIL_VERIFICATION", "optional" if DEBUG else "mandatory", ("mandatory", "optional", "none")
)
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AeThex Live] "
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {}  # allauth's defaults, kept on explicitly
if not config.flag("ACCOUNT_RATE_LIMITS", True):
    ACCOUNT_RATE_LIMITS = False
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_ONLY = False
USERSESSIONS_TRACK_ACTIVITY = config.flag("USERSESSIONS_TRACK_ACTIVITY", True)

# --- API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "allauth.headless.contrib.rest_framework.authentication.XSessionTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["accounts.permissions.TokenHasScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "aethex.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "aethex.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": config.raw("API_THROTTLE_ANON", "120/min"),
        "user": config.raw("API_THROTTLE_USER", "600/min"),
        "tokens": "20/hour",
        "avatar": "30/hour",
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AeThex Live API",
    "DESCRIPTION": (
        "Public API of AeThex Live. Authenticate with a browser session, allauth's X-Session-Token "
        "(apps), or `Authorization: Bearer <personal API token>` (bots and scripts). Errors are "
        '`{"error": {"code", "message", "fields"}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Static and media files -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(config.raw("STATIC_ROOT") or VAR_DIR / "static")
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/hls", BASE_DIR / "node_modules" / "hls.js" / "dist"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(config.raw("MEDIA_ROOT") or VAR_DIR / "media")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

AWS_STORAGE_BUCKET_NAME = config.raw("AWS_STORAGE_BUCKET_NAME")
STORAGES: dict[str, Any] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": config.raw("AWS_S3_ENDPOINT_URL") or None,  # R2, MinIO
            "region_name": config.raw("AWS_S3_REGION_NAME") or None,
            "custom_domain": config.raw("AWS_S3_CUSTOM_DOMAIN") or None,  # CDN in front of the bucket
            "querystring_auth": config.flag("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
        },
    }

# --- E-mail --------------------------------------------------------------------
globals().update(config.email("EMAIL_URL"))
DEFAULT_FROM_EMAIL = config.raw("DEFAULT_FROM_EMAIL", "AeThex Live <noreply@aethex.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("pt-br", "Português"),
]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Security ------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = config.flag("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = config.flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = config.integer("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = config.flag("SECURE_HSTS_PRELOAD", True)
    # /healthz is probed over plain HTTP by load balancers and the container HEALTHCHECK.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Logging -------------------------------------------------------------------
LOG_LEVEL = config.choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # daphne logs every request line with its query string; access logs come from nginx instead.
        "daphne.access": {"level": "WARNING"},
    },
}

# --- Accounts limits ------------------------------------------------------------
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MIN_DIMENSION = 64
AVATAR_MAX_DIMENSION = 4096
AVATAR_SIZE = 256
API_TOKENS_PER_USER = 25
SIGNUP_OPEN = config.flag("SIGNUP_OPEN", True)

# --- Channels and streaming -------------------------------------------------------------
CHANNELS_PER_USER = config.integer("CHANNELS_PER_USER", 1, minimum=1, maximum=100)
STREAM_KEY_SECRET = config.raw("STREAM_KEY_SECRET")  # pepper for stream-key hashes; SECRET_KEY if unset
# nginx-rtmp calls /ingest/rtmp/* with this secret, only from these addresses (CIDR). `runmedia`
# writes the same value into the nginx config, so by default it is derived from SECRET_KEY.
INGEST_SHARED_SECRET = (
    config.raw("INGEST_SHARED_SECRET")
    or hmac.new(SECRET_KEY.encode(), b"aethex-ingest-callbacks", hashlib.sha256).hexdigest()
)
if len(INGEST_SHARED_SECRET) < 32:
    raise ImproperlyConfigured("INGEST_SHARED_SECRET must be at least 32 characters long.")
INGEST_ALLOWED_ADDRESSES = config.networks("INGEST_ALLOWED_ADDRESSES", ["127.0.0.1/32", "::1/128"])
RTMP_PORT = config.integer("RTMP_PORT", 1935, minimum=1, maximum=65535)
RTMP_PUBLIC_URL = config.raw("RTMP_PUBLIC_URL", "rtmp://127.0.0.1:1935/live").rstrip("/")
HLS_DIR = Path(config.raw("HLS_DIR") or VAR_DIR / "hls")
HLS_URL = config.raw("HLS_URL", "/hls/")
HLS_FRAGMENT_SECONDS = config.integer("HLS_FRAGMENT_SECONDS", 1, minimum=1, maximum=10)
HLS_PLAYLIST_SECONDS = config.integer("HLS_PLAYLIST_SECONDS", 4, minimum=2, maximum=60)
RECORDINGS_DIR = Path(config.raw("RECORDINGS_DIR") or VAR_DIR / "recordings")
RTMP_CONTROL_URL = config.raw("RTMP_CONTROL_URL", "http://127.0.0.1:8000/_rtmp/control")
RTMP_STAT_URL = config.raw("RTMP_STAT_URL", "http://127.0.0.1:8000/_rtmp/stat")
INGEST_UPDATE_SECONDS = config.integer("INGEST_UPDATE_SECONDS", 10, minimum=2, maximum=300)
# A live session with no `update` callback for this long is ended by the beat task (crashed ingest).
STREAM_STALE_SECONDS = config.integer("STREAM_STALE_SECONDS", 45, minimum=10, maximum=3600)
# A viewer socket that misses heartbeats for this long stops counting.
# Sending in chat needs a verified e-mail (channels may also require it with their own mode).
CHAT_REQUIRE_VERIFIED_EMAIL = config.flag("CHAT_REQUIRE_VERIFIED_EMAIL", True)
# Messages per 30 s per user in one room; moderators (and bots made moderators) get more.
CHAT_RATE_LIMIT = config.integer("CHAT_RATE_LIMIT", 20, minimum=1)
CHAT_RATE_LIMIT_MODERATOR = config.integer("CHAT_RATE_LIMIT_MODERATOR", 100, minimum=1)
PRESENCE_TTL_SECONDS = config.integer("PRESENCE_TTL_SECONDS", 45, minimum=10, maximum=600)
# ASGI processes behind the front door in `make run` (scripts/web.sh; one socket each).
WEB_WORKERS = config.integer("WEB_WORKERS", 2, minimum=1, maximum=64)

# --- Directory, search and trending (streams/directory.py, streams/trending.py) -----------------
# Trending reads activity from apps above streams through these dotted paths, so streams never
# imports them: each is `(*, since: datetime) -> {stream_id: count}`.
STREAMS_ACTIVITY_SOURCES = ["chat.activity.message_counts"]
CELERY_BEAT_SCHEDULE["compute-trending"] = {"task": "streams.tasks.compute_trending", "schedule": 60.0}
# Full-text search ranking and trigram lookups (typos) on PostgreSQL; SQLite searches with icontains.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    INSTALLED_APPS.append("django.contrib.postgres")

# --- Follows and notifications (social) -------------------------------------------------
# A channel that went live (and notified) this recently, or whose last session ended this
# recently, does not notify its followers again: a flaky encoder reconnecting is one stream.
GO_LIVE_RENOTIFY_MINUTES = config.integer("GO_LIVE_RENOTIFY_MINUTES", 10, minimum=0, maximum=24 * 60)
# Followers per fan-out task: one SELECT, one bulk INSERT and one SMTP connection each.
GO_LIVE_CHUNK_SIZE = config.integer("GO_LIVE_CHUNK_SIZE", 1000, minimum=1, maximum=10_000)

# --- VOD library and playback (vods: access.py, media.py) --------------------------------------
# Dotted path of `(*, user, channel) -> bool`: may this viewer watch subscribers-only VODs?
# Monetization answers it; empty means only the channel's team can watch them.
VODS_SUBSCRIBER_CHECK = config.raw("VODS_SUBSCRIBER_CHECK", "monetization.selectors.is_subscribed")
# Behind the nginx front door (`make run` sets it): VOD files are answered with X-Accel-Redirect to
# its internal location once Django has checked access; otherwise Django streams them itself.
VODS_ACCEL_REDIRECT = config.flag("VODS_ACCEL_REDIRECT", False)
VODS_ACCEL_PREFIX = "/_protected/media/"
# With object storage, segments redirect to presigned URLs that expire after this long.
VODS_PRESIGNED_SECONDS = config.integer("VODS_PRESIGNED_SECONDS", 300, minimum=30, maximum=86400)
# A viewer counts one view of a VOD per this many seconds.
VODS_VIEW_WINDOW_SECONDS = config.integer("VODS_VIEW_WINDOW_SECONDS", 4 * 3600, minimum=60)

# --- VOD archival (vods/services/archive.py) ------------------------------------------------
# Delete the raw FLV recordings once their VOD is ready (keep them to re-archive by hand).
VODS_DELETE_RECORDINGS = config.flag("VODS_DELETE_RECORDINGS", True)
# Wait after a stream ends before archiving, so a late record_done of a split recording joins in.
VODS_ARCHIVE_DELAY_SECONDS = config.integer("VODS_ARCHIVE_DELAY_SECONDS", 5, minimum=0, maximum=600)
# Where a run remuxes before uploading (needs ~1.1x the recording's size free while it works).
VODS_SCRATCH_DIR = Path(config.raw("VODS_SCRATCH_DIR") or tempfile.gettempdir())
CELERY_BEAT_SCHEDULE["purge-expired-vods"] = {"task": "vods.tasks.purge_expired_vods", "schedule": 86400.0}

# --- Alerts overlay (integrations) -------------------------------------------------------
# The overlay URL's query string is a secret: request-line loggers redact it (nginx does too).
LOGGING["filters"] = {"redact_overlay_tokens": {"()": "integrations.logs.RedactOverlayTokens"}}
_request_loggers: Any = LOGGING["loggers"]
for _logger in ("django.server", "uvicorn.access", "daphne.access"):
    _request_loggers.setdefault(_logger, {}).setdefault("filters", []).append("redact_overlay_tokens")

# --- Clips (vods/clips) ----------------------------------------------------------------------------
# Rendering runs ffmpeg and reads the live recordings: the media workers (they see RECORDINGS_DIR).
CELERY_TASK_ROUTES["vods.clips.tasks.render_clip"] = {"queue": "media"}

# --- Creator analytics (analytics/): roll-ups and raw retention ------------------------------------
# Roll-ups recompute from raw rows (idempotent): hourly rows every 10 min (current and previous
# hour), daily rows every hour (today and yesterday, UTC), pruning once a day.
ANALYTICS_RAW_RETENTION_DAYS = config.integer("ANALYTICS_RAW_RETENTION_DAYS", 90, minimum=2, maximum=3650)
# Beacons (POST /analytics/visit) per client address per minute before 429.
ANALYTICS_VISIT_RATE_PER_MINUTE = config.integer("ANALYTICS_VISIT_RATE_PER_MINUTE", 30, minimum=1)
CELERY_BEAT_SCHEDULE["analytics-rollup-hourly"] = {"task": "analytics.tasks.rollup_hourly", "schedule": 600.0}
CELERY_BEAT_SCHEDULE["analytics-rollup-daily"] = {"task": "analytics.tasks.rollup_daily", "schedule": 3600.0}
CELERY_BEAT_SCHEDULE["analytics-prune-raw"] = {
    "task": "analytics.tasks.prune_raw_analytics",
    "schedule": 86400.0,
}

# --- Monetization: Stripe through dj-stripe, the ledger, tiers and donations (monetization/) ------
# Zero env vars: the local Stripe test server (`manage.py runlocalstripe`, started by `make run`) on
# STRIPE_API_HOST with a test key; production sets real keys and leaves STRIPE_API_HOST empty.
INSTALLED_APPS.append("djstripe")
STRIPE_LOCAL_PORT = config.integer("STRIPE_LOCAL_PORT", 8420, minimum=1, maximum=65535)
# dj-stripe points the stripe library at STRIPE_API_HOST whenever the setting exists: only set it when used.
# Without a key: the local test server on a laptop (DEBUG), money switched off in production.
_stripe_key = config.raw("STRIPE_SECRET_KEY")
_stripe_host = config.raw(
    "STRIPE_API_HOST", "" if _stripe_key or not DEBUG else f"http://127.0.0.1:{STRIPE_LOCAL_PORT}"
)
MONETIZATION_ENABLED = bool(_stripe_key or _stripe_host)
if _stripe_host:
    STRIPE_API_HOST = _stripe_host.rstrip("/")
STRIPE_SECRET_KEY = config.raw("STRIPE_SECRET_KEY", "sk_test_aethexlocalstripe000000000000")
STRIPE_PUBLISHABLE_KEY = config.raw("STRIPE_PUBLISHABLE_KEY", "pk_test_aethexlocalstripe000000000000")
STRIPE_WEBHOOK_SECRET = config.raw(
    "STRIPE_WEBHOOK_SECRET",
    "whsec_"
    + hmac.new(SECRET_KEY.encode(), b"aethex-local-stripe-webhooks", hashlib.sha256).hexdigest()[:32],
)
if (
    not STRIPE_SECRET_KEY.startswith(("sk_test_", "sk_live_", "rk_test_", "rk_live_"))
    or len(STRIPE_SECRET_KEY) < 32
):
    raise ImproperlyConfigured("STRIPE_SECRET_KEY must be a Stripe secret key (sk_test_… or sk_live_…).")
if not STRIPE_WEBHOOK_SECRET.startswith("whsec_"):
    raise ImproperlyConfigured("STRIPE_WEBHOOK_SECRET must be a webhook signing secret (whsec_…).")
# The local test server has no Checkout: our own test checkout page takes its place (monetization/README.md).
STRIPE_LOCAL_CHECKOUT = config.flag("STRIPE_LOCAL_CHECKOUT", bool(_stripe_host))
STRIPE_LIVE_MODE = STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_"))
STRIPE_TEST_SECRET_KEY = "" if STRIPE_LIVE_MODE else STRIPE_SECRET_KEY
STRIPE_LIVE_SECRET_KEY = STRIPE_SECRET_KEY if STRIPE_LIVE_MODE else ""
DJSTRIPE_WEBHOOK_SECRET = STRIPE_WEBHOOK_SECRET
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
STRIPE_CURRENCY = config.raw("STRIPE_CURRENCY", "usd").lower()
# The platform's cut of every payment, and the processor's fee as booked until the real one is reconciled.
PLATFORM_FEE_PERCENT = config.integer("PLATFORM_FEE_PERCENT", 10, minimum=0, maximum=90)
PROCESSOR_FEE_BASIS_POINTS = config.integer("PROCESSOR_FEE_BASIS_POINTS", 290, minimum=0, maximum=2000)
PROCESSOR_FEE_FIXED_CENTS = config.integer("PROCESSOR_FEE_FIXED_CENTS", 30, minimum=0, maximum=1000)
SUBSCRIPTION_PRICE_MIN_CENTS = config.integer("SUBSCRIPTION_PRICE_MIN_CENTS", 299, minimum=50)
SUBSCRIPTION_PRICE_MAX_CENTS = config.integer("SUBSCRIPTION_PRICE_MAX_CENTS", 9999, minimum=100)
DONATION_MIN_CENTS = config.integer("DONATION_MIN_CENTS", 100, minimum=50)
DONATION_MAX_CENTS = config.integer("DONATION_MAX_CENTS", 50_000, minimum=100)
if SUBSCRIPTION_PRICE_MIN_CENTS > SUBSCRIPTION_PRICE_MAX_CENTS or DONATION_MIN_CENTS > DONATION_MAX_CENTS:
    raise ImproperlyConfigured("Monetization bounds: each minimum must not exceed its maximum.")
CELERY_TASK_ROUTES["monetization.tasks.*"] = {"queue": "payments"}
CELERY_BEAT_SCHEDULE["expire-gifted-subscriptions"] = {
    "task": "monetization.tasks.expire_gifted_subscriptions",
    "schedule": 300.0,
}

# --- Payouts (monetization/payouts.py) -------------------------------------------------------------
# A creator asks for at least this much; the monthly run pays every ready channel above it.
PAYOUT_MINIMUM_CENTS = config.integer("PAYOUT_MINIMUM_CENTS", 5000, minimum=100)
# When on, monthly automatic payouts wait for staff approval in the admin like requested ones.
PAYOUT_REQUIRE_APPROVAL = config.flag("PAYOUT_REQUIRE_APPROVAL", False)
CELERY_BEAT_SCHEDULE["monthly-payouts"] = {
    "task": "monetization.tasks.monthly_payouts",
    "schedule": crontab(minute=0, hour=6, day_of_month=1),
}

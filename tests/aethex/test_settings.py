from __future__ import annotations

import pytest

from tests.aethex.subprocess_django import run_django

SETUP = "import django; django.setup(); from django.conf import settings; print('ok')"
GOOD_KEY = "k" * 60


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "false"}, "SECRET_KEY must be set when DEBUG is off"),
        ({"DEBUG": "false", "SECRET_KEY": "short"}, "at least 50 characters"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"DATABASE_URL": "mysql://db/aethex"}, "DATABASE_URL must be a sqlite:// or postgres:// URL"),
        ({"DATABASE_URL": "postgres://user@host:5432/"}, "DATABASE_URL must name a database"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL must be a redis://"),
        ({"REDIS_URL": "redis://127.0.0.1:port/0"}, "REDIS_URL has an invalid port"),
        ({"REDIS_URL": "redis:///0"}, "REDIS_URL must name a host"),
        ({"EMAIL_URL": "carrier-pigeon://loft"}, "EMAIL_URL must be an smtp://"),
        (
            {"DB_CONN_MAX_AGE": "forever", "DATABASE_URL": "postgres://u@h/db"},
            "DB_CONN_MAX_AGE must be an integer",
        ),
        (
            {"SECURE_HSTS_SECONDS": "-1", "DEBUG": "0", "SECRET_KEY": GOOD_KEY},
            "SECURE_HSTS_SECONDS must be between",
        ),
        ({"ACCOUNT_EMAIL_VERIFICATION": "sometimes"}, "ACCOUNT_EMAIL_VERIFICATION must be one of"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL must be one of"),
        ({"INGEST_SHARED_SECRET": "short"}, "INGEST_SHARED_SECRET must be at least 32"),
        ({"INGEST_ALLOWED_ADDRESSES": "127.0.0.1,localhost"}, "'localhost' is not an IP address or CIDR"),
        ({"CHANNELS_PER_USER": "0"}, "CHANNELS_PER_USER must be between 1 and 100"),
    ],
)
def test_malformed_environment_fails_with_a_clear_message(tmp_path, env, message):
    result = run_django(SETUP, tmp_path, **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_zero_environment_is_a_working_laptop(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'],"
        " s.CHANNEL_LAYERS['default']['BACKEND'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND,"
        " s.STORAGES['default']['BACKEND'], s.ACCOUNT_EMAIL_VERIFICATION)"
    )
    result = run_django(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "channels.layers.InMemoryChannelLayer",
        "True",
        "django.core.mail.backends.console.EmailBackend",
        "django.core.files.storage.FileSystemStorage",
        "optional",
    ]


def test_production_environment_switches_on_the_real_parts(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "d = s.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], s.CACHES['default']['BACKEND'],"
        " s.CHANNEL_LAYERS['default']['BACKEND'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER,"
        " s.EMAIL_BACKEND, s.EMAIL_HOST, s.STORAGES['default']['BACKEND'], s.ACCOUNT_EMAIL_VERIFICATION)"
    )
    result = run_django(
        code,
        tmp_path,
        DEBUG="false",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="live.example.com",
        DATABASE_URL="postgres://aethex:pw@db.internal:5432/aethex",
        REDIS_URL="redis://cache.internal:6379/0",
        EMAIL_URL="smtp+tls://mailer:secret@smtp.example.com:587",
        AWS_STORAGE_BUCKET_NAME="aethex-media",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "60",
        "True",
        "aethex.cache.RedisCache",
        "channels_redis.core.RedisChannelLayer",
        "redis://cache.internal:6379/0",
        "False",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        "storages.backends.s3.S3Storage",
        "mandatory",
    ]


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    code = (
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    result = run_django(
        code, tmp_path, DEBUG="false", SECRET_KEY="p9" + GOOD_KEY + "Zq!7x", ALLOWED_HOSTS="live.example.com"
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout

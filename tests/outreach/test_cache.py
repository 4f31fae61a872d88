"""The cache backend from CACHE_URL (issue 17 item 3): local memory by default, Redis in production.

The Redis test talks to 127.0.0.1:6379 (CI runs Redis there); it is skipped only when Redis does not answer
and the run is not in CI.
"""

import os
import socket
import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured

from outreach.settings import cache_from_url
from tests.test_platform import run_settings

REDIS = "redis://127.0.0.1:6379/1"


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_the_default_is_local_memory():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache_from_url("") == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": ""}


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("rediss://cache.internal:6380/0", "django.core.cache.backends.redis.RedisCache"),
        ("locmem://outreach", "django.core.cache.backends.locmem.LocMemCache"),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache"),
    ],
)
def test_cache_url_names_the_backend(url, backend):
    entry = cache_from_url(url)
    assert entry["BACKEND"] == backend
    if "redis" in backend:
        assert entry["LOCATION"] == url and entry["KEY_PREFIX"] == "outreach"


@pytest.mark.parametrize("url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "file:///tmp/cache"])
def test_an_unknown_cache_url_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL must be"):
        cache_from_url(url)


PRINT = (
    "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'], s.DATABASE_ROUTERS, "
    "s.DATABASES.get('replica', {}).get('HOST'), s.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'])"
)


def test_the_settings_read_the_cache_and_the_replica_from_the_environment():
    environment = {
        "DEBUG": "1",
        "CACHE_URL": REDIS,
        "DATABASE_REPLICA_URL": "postgres://reader@standby.internal:5432/outreach",
        "DISABLE_SERVER_SIDE_CURSORS": "1",
    }
    done = run_settings(environment, "shell", "--no-imports", "-c", PRINT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "['outreach.routers.ReplicaRouter']",
        "standby.internal",
        "True",
    ]
    done = run_settings(
        {"DEBUG": "1"}, "shell", "--no-imports", "-c", PRINT
    )  # unset: local memory, no router, no replica
    assert done.stdout.split() == ["django.core.cache.backends.locmem.LocMemCache", "[]", "None", "False"]


def test_redis_stores_reads_and_forgets():
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis does not answer on 127.0.0.1:6379 in CI")
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    entry = cache_from_url(REDIS)
    cache = RedisCache(entry["LOCATION"], {"KEY_PREFIX": f"outreach-test-{uuid.uuid4().hex[:8]}"})
    cache.set("year", {"year": 2014, "cities": ["合肥市"]}, timeout=30)
    assert cache.get("year") == {"year": 2014, "cities": ["合肥市"]}
    cache.delete("year")
    assert cache.get("year") is None

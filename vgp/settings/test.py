"""Settings for the test suite: fast hashers, local-memory email, tasks run at once."""

import os

os.environ.setdefault("DJANGO_ENV", "test")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VGP_REQUIRE_2FA = True  # tests run the production posture; a test may override it
DEBUG = False
LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}  # noqa: F405

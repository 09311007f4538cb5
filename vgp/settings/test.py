"""Settings for the test suite: fast hashers, local-memory email, tasks run at once."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("DJANGO_ENV", "test")

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
VGP_REQUIRE_2FA = True  # tests run the production posture; a test may override it
DEBUG = False
LOGGING["root"] = {"handlers": ["console"], "level": "WARNING"}  # noqa: F405
# Search indexes of this test process, away from the development ones; tests that count
# results point each test at its own folder (vgp/legal/testing.py).
SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="vgp-test-search-"))  # noqa: F405
atexit.register(shutil.rmtree, SEARCH_INDEX_DIR, True)
# load_demo in tests: a few synthetic legal documents, not the real corpus (tested apart).
LEGAL_DEMO_SAMPLES = False
LEGAL_DEMO_SYNTHETIC = 30
# The registration task runs at once (immediate backend) after every API submission.
FEEDBACK_INTAKE_KICK_SECONDS = 0
# Shared versions read on every call: a test's queries must not depend on the one before.
SHARED_VERSION_CHECK_SECONDS = 0.0

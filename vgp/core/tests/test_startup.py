"""The web process's start: the URLconf loaded, the objects alive frozen out of collections."""

from __future__ import annotations

import gc
import importlib

import pytest

from vgp.core.startup import load_and_freeze


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_startup_freezes_what_is_loaded(unfrozen):
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    load_and_freeze()
    assert gc.get_freeze_count() > 10_000
    # What the first request needs is among them: the admin's views were imported.
    assert importlib.import_module("vgp.documents.admin_views")


def test_the_wsgi_module_starts_that_way(unfrozen, monkeypatch):
    called = []
    monkeypatch.setattr("vgp.core.startup.load_and_freeze", lambda: called.append(True))
    import vgp.wsgi

    called.clear()
    importlib.reload(vgp.wsgi)
    assert called == [True]
    assert callable(vgp.wsgi.application)

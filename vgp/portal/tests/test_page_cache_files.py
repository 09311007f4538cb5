"""The page cache's files, which nginx serves to anonymous visitors (ADR 0006)."""

from __future__ import annotations

import gzip
import http.client
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from vgp.portal import page_cache
from vgp.portal.demo import ensure_home_pages
from vgp.portal.models import HomePage
from vgp.testing import nginx
from vgp.testing.nginx import needs_nginx


@pytest.fixture
def pages_dir(settings, tmp_path) -> Path:
    """PAGE_CACHE_DIR in a fresh directory."""
    settings.PAGE_CACHE_DIR = str(tmp_path / "pages")
    return tmp_path / "pages"


def served_by_nginx(pages_dir: Path, path: str, host: str = "testserver") -> bytes | None:
    """What nginx's try_files finds: <dir>/current/<host><path>index.html, following the link."""
    file = pages_dir / "current" / host / path.lstrip("/") / "index.html"
    return file.read_bytes() if file.is_file() else None


def current_generation(pages_dir: Path) -> Path:
    return (pages_dir / "current").resolve()


def publish_intro(page: HomePage, intro: str) -> None:
    page.intro = intro
    page.save_revision().publish()


def test_an_anonymous_page_is_written_for_nginx(client, home_pages, pages_dir):
    # Given a citizen who opens the home page and the English one
    response = client.get("/")
    english = client.get("/en/")
    # Then nginx finds both as files, byte for byte what Django sent, with a gzip twin
    assert served_by_nginx(pages_dir, "/") == response.content
    assert served_by_nginx(pages_dir, "/en/") == english.content
    assert b'lang="en"' in english.content
    gz = current_generation(pages_dir) / "testserver" / "index.html.gz"
    assert gzip.decompress(gz.read_bytes()) == response.content


def test_the_file_is_under_the_host_without_its_port(client, home_pages, pages_dir):
    client.get("/", HTTP_HOST="testserver:8443")
    assert served_by_nginx(pages_dir, "/", host="testserver") is not None


def test_no_file_for_a_signed_in_user(client, home_pages, pages_dir, citizen):
    client.force_login(citizen)
    assert client.get("/").status_code == 200
    assert served_by_nginx(pages_dir, "/") is None


def test_no_file_for_a_query_string(client, home_pages, pages_dir):
    assert client.get("/?utm_source=bao-chi").status_code == 200
    assert served_by_nginx(pages_dir, "/") is None


def test_no_file_when_the_cache_is_off(client, home_pages, pages_dir, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/")
    assert served_by_nginx(pages_dir, "/") is None


def test_no_files_without_a_directory(client, home_pages, settings, tmp_path):
    settings.PAGE_CACHE_DIR = ""
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"


def test_purge_swaps_the_generation(client, home_pages, pages_dir):
    # Given the home page written to the current generation
    client.get("/")
    old = current_generation(pages_dir)
    assert (old / "testserver" / "index.html").is_file()
    # When the cache is purged
    page_cache.purge()
    # Then `current` points to a new, empty generation: nginx finds nothing and asks Django
    new = current_generation(pages_dir)
    assert new != old
    assert list(new.iterdir()) == []
    assert served_by_nginx(pages_dir, "/") is None
    # And the next visit writes the page into the new generation
    assert client.get("/")["X-Cache"] == "MISS"
    assert (new / "testserver" / "index.html").is_file()


def test_purge_deletes_retired_generations_after_their_grace(home_pages, pages_dir, monkeypatch):
    page_cache.purge()
    first = current_generation(pages_dir)
    page_cache.purge()
    # The generation retired a moment ago is kept: nginx may be opening a file in it
    assert first.is_dir()
    monkeypatch.setattr(page_cache, "GENERATION_GRACE_SECONDS", -1)
    page_cache.purge()
    generations = [p for p in pages_dir.iterdir() if p.name.startswith("gen-")]
    assert generations == [current_generation(pages_dir)]


def test_a_published_change_is_fresh_within_five_seconds(client, home_pages, pages_dir):
    # Given the home page kept as a file for nginx
    client.get("/")
    assert served_by_nginx(pages_dir, "/") is not None
    # When an editor publishes a new intro
    started = time.monotonic()
    publish_intro(home_pages.vietnamese, "<p>Thông báo khẩn của Văn phòng Chính phủ.</p>")
    # Then nginx has no file for it at once, so the very next visitor gets a fresh rendering
    assert served_by_nginx(pages_dir, "/") is None
    response = client.get("/")
    assert "Thông báo khẩn của Văn phòng Chính phủ." in response.content.decode()
    assert "Thông báo khẩn" in served_by_nginx(pages_dir, "/").decode()
    assert time.monotonic() - started < 5


def test_unpublishing_removes_the_page_from_nginx(client, home_pages, pages_dir):
    client.get("/en/")
    assert served_by_nginx(pages_dir, "/en/") is not None
    home_pages.english.unpublish()
    assert served_by_nginx(pages_dir, "/en/") is None
    assert home_pages.vietnamese.title in client.get("/en/").content.decode()


def test_a_restriction_added_later_removes_the_page_from_nginx(client, home_pages, pages_dir):
    # nginx checks no view restriction: the file must go when the page becomes restricted
    client.get("/en/")
    assert served_by_nginx(pages_dir, "/en/") is not None
    PageViewRestriction.objects.create(
        page=home_pages.english, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau"
    )
    assert served_by_nginx(pages_dir, "/en/") is None
    assert 'name="password"' in client.get("/en/").content.decode()
    assert served_by_nginx(pages_dir, "/en/") is None


def test_publishing_in_a_transaction_purges_again_on_commit(
    home_pages, pages_dir, django_capture_on_commit_callbacks
):
    # The admin publishes inside a transaction: a page rendered from data read before the
    # commit must land in a generation that the commit retires.
    with django_capture_on_commit_callbacks(execute=True):
        publish_intro(home_pages.vietnamese, "<p>Bản mới.</p>")
        during = current_generation(pages_dir)
    assert current_generation(pages_dir) != during


def test_a_rendering_that_started_before_a_purge_writes_into_the_old_generation(
    client, home_pages, pages_dir, monkeypatch
):
    # Given a request that resolved the current generation, then renders while an editor
    # publishes (the purge happens in the middle of its rendering)
    client.get("/en/")  # the generation exists
    old = current_generation(pages_dir)
    serve = HomePage.serve

    def serve_while_publishing(self, request, *args, **kwargs):
        page_cache.purge()
        return serve(self, request, *args, **kwargs)

    monkeypatch.setattr(HomePage, "serve", serve_while_publishing)
    client.get("/")
    # Then its page went into the old generation, which nginx no longer reads
    assert (old / "testserver" / "index.html").is_file()
    assert served_by_nginx(pages_dir, "/") is None


def test_a_purge_by_another_process_retires_this_process_s_cache_entries(
    client, home_pages, pages_dir
):
    # Each worker has its own local-memory cache; the file generation is shared by all.
    client.get("/")
    assert client.get("/")["X-Cache"] == "HIT"
    page_cache._purge_files(pages_dir)  # what another worker's purge does to the files
    assert client.get("/")["X-Cache"] == "MISS"


class TestWhatBecomesAFile:
    @pytest.fixture
    def generation(self, tmp_path) -> Path:
        return tmp_path / "gen"

    @pytest.mark.parametrize(
        ("host", "path", "expected"),
        [
            ("testserver", "/", "testserver/index.html"),
            ("testserver:8000", "/tin-tuc/bai-viet/", "testserver/tin-tuc/bai-viet/index.html"),
            ("Cong.Example.gov.vn", "/en/", "cong.example.gov.vn/en/index.html"),
        ],
    )
    def test_where_a_page_goes(
        self, rf: RequestFactory, settings, generation, host, path, expected
    ):
        settings.ALLOWED_HOSTS = ["*"]
        request = rf.get(path, HTTP_HOST=host)
        assert page_cache.page_file(generation, request) == generation / expected

    @pytest.mark.parametrize(
        ("host", "path"),
        [
            ("testserver", "/tin-tuc"),  # nginx looks up only paths ending in "/"
            ("testserver", "/a/../b/"),
            ("testserver", "/a//b/"),
            ("testserver", "/.index.html.tmp/"),
            ("..", "/"),
            ("a..b", "/"),
        ],
    )
    def test_nothing_outside_the_generation(
        self, rf: RequestFactory, settings, generation, host, path
    ):
        settings.ALLOWED_HOSTS = ["*"]
        request = rf.get(path, HTTP_HOST=host)
        request.path = path  # as a client could send it, before any normalisation
        assert page_cache.page_file(generation, request) is None

    def test_only_what_nginx_can_send_identically(self):
        assert page_cache.is_file_storable(HttpResponse("<p>ok</p>"))
        assert not page_cache.is_file_storable(HttpResponse("{}", content_type="application/json"))
        assert not page_cache.is_file_storable(
            HttpResponse("ok", headers={"Cache-Control": "max-age=60"})
        )
        assert not page_cache.is_file_storable(HttpResponse("ok", headers={"Link": "</x>; rel=x"}))

    def test_a_deleted_generation_is_not_brought_back(self, generation):
        page_cache.write_page_file(generation, generation / "testserver" / "index.html", b"old")
        assert not generation.exists()


@needs_nginx
def test_the_nginx_configuration_is_valid(tmp_path):
    conf = nginx.render(tmp_path, port=18080, upstream_port=18001)
    error_log = str(tmp_path / "error.log")
    command = shutil.which("nginx") or "nginx"
    result = subprocess.run(  # noqa: S603 - fixed arguments, files of this test
        [command, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", error_log],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def nginx_site(live_server, settings, tmp_path) -> Iterator[tuple[int, Path]]:
    """nginx with deploy/nginx/vgp.conf on loopback in front of the live server."""
    settings.PAGE_CACHE_DIR = str(tmp_path / "pages")
    upstream_port = int(live_server.url.rsplit(":", 1)[1])
    with nginx.running_nginx(tmp_path, upstream_port) as port:
        yield port, tmp_path / "pages"


def _get(port: int, path: str, cookie: str = "") -> tuple[int, dict[str, list[str]], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        headers: dict[str, list[str]] = {}
        for name, value in response.getheaders():
            headers.setdefault(name.lower(), []).append(value)
        return response.status, headers, response.read().decode()
    finally:
        conn.close()


def _from_nginx_file(headers: dict[str, list[str]]) -> bool:
    # nginx sends an ETag with every file, Django never does for a page.
    return headers.get("x-cache") == ["HIT"] and "etag" in headers


@needs_nginx
def test_through_nginx_a_published_change_is_fresh_at_once(nginx_site, transactional_db):
    port, _pages = nginx_site
    pages = ensure_home_pages()
    # Given the home page rendered once by Django, then served by nginx from its file
    status, headers, _body = _get(port, "/")
    assert status == 200 and headers["x-cache"] == ["MISS"]
    status, headers, body = _get(port, "/")
    assert status == 200 and _from_nginx_file(headers)
    # with the headers Django sends, each once
    assert headers["x-frame-options"] == ["DENY"]
    assert headers["x-content-type-options"] == ["nosniff"]
    assert headers["referrer-policy"] == ["same-origin"]
    assert headers["content-language"] == ["vi"]
    assert headers["content-type"] == ["text/html; charset=utf-8"]
    # When an editor publishes a new intro
    published = time.monotonic()
    publish_intro(pages.vietnamese, "<p>Chính phủ họp phiên thường kỳ tháng 11.</p>")
    # Then the next visitor through nginx reads it, well within 5 seconds
    status, headers, body = _get(port, "/")
    assert "Chính phủ họp phiên thường kỳ tháng 11." in body
    assert time.monotonic() - published < 5
    assert _from_nginx_file(_get(port, "/")[1])


@needs_nginx
def test_through_nginx_who_gets_files(nginx_site, transactional_db):
    port, _pages = nginx_site
    ensure_home_pages()
    _get(port, "/")
    _get(port, "/en/")
    assert _from_nginx_file(_get(port, "/")[1])
    english = _get(port, "/en/")[1]
    assert _from_nginx_file(english) and english["content-language"] == ["en"]
    # A visitor who once opened a form (csrftoken only) still gets the file
    assert _from_nginx_file(_get(port, "/", cookie="csrftoken=abc")[1])
    # Signed-in users, flash messages and query strings always reach Django
    assert not _from_nginx_file(_get(port, "/", cookie="csrftoken=abc; sessionid=xyz")[1])
    assert not _from_nginx_file(_get(port, "/", cookie="messages=x")[1])
    assert not _from_nginx_file(_get(port, "/?utm_source=bao-chi")[1])

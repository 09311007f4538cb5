"""Wagtail's admin speaks Vietnamese: VGP's own catalogue of Wagtail's strings.

The catalogue lives in vgp/locale_wagtail (see its README) and is built by its build.py
from Wagtail's English catalogues and our translations/*.json.
"""

from __future__ import annotations

import datetime as dt
import gettext
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_simple

from vgp.testing.factories import UserFactory

LOCALE_WAGTAIL = Path(__file__).resolve().parents[2] / "locale_wagtail"
MESSAGES = LOCALE_WAGTAIL / "vi" / "LC_MESSAGES"
CATALOGUES = [MESSAGES / "django.po", MESSAGES / "djangojs.po"]


def _load_build() -> ModuleType:
    """vgp/locale_wagtail/build.py is a script, not a package: import it by path."""
    spec = importlib.util.spec_from_file_location(
        "vgp_locale_wagtail_build", LOCALE_WAGTAIL / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


build = _load_build()


def _msgfmt() -> str:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        if os.environ.get("CI"):
            pytest.fail("msgfmt (GNU gettext) is required in CI to check the catalogues")
        pytest.skip("msgfmt (GNU gettext) is not installed: cannot check the catalogues")
    return msgfmt


# --- the strings officials see every day -----------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "vietnamese"),
    [
        ("Create", "Tạo"),
        ("Save", "Lưu"),
        ("Search…", "Tìm kiếm…"),
        ("Sign in", "Đăng nhập"),
        ("Log out", "Đăng xuất"),
        ("Dashboard", "Bảng điều khiển"),
        ("Delete", "Xóa"),
        ("Edit", "Sửa"),
        ("Users", "Người dùng"),
        ("Add a user", "Thêm người dùng"),
        ("Groups", "Nhóm"),
        ("Settings", "Thiết lập"),
        ("Help", "Trợ giúp"),
        ("Pages", "Trang"),
        ("Images", "Hình ảnh"),
        ("Documents", "Tài liệu"),
        ("Snippets", "Đoạn nội dung dùng chung"),
        ("Collections", "Thư mục"),
        ("Publish", "Xuất bản"),
        ("Unpublish", "Ngừng xuất bản"),
        ("Save draft", "Lưu bản nháp"),
        ("Submit for moderation", "Gửi kiểm duyệt"),
        ("Workflows", "Quy trình duyệt"),
        ("Sites", "Trang thông tin"),
        ("Redirects", "Chuyển hướng"),
        ("Locales", "Ngôn ngữ"),
        ("Bulk actions", "Thao tác hàng loạt"),
    ],
)
def test_common_admin_strings_are_vietnamese(msgid: str, vietnamese: str):
    with translation.override("vi"):
        assert translation.gettext(msgid) == vietnamese


@pytest.mark.parametrize("count", [1, 5])
def test_plural_entries_have_their_single_vietnamese_form(count: int):
    with translation.override("vi"):
        matches = translation.ngettext(
            "There is %(counter)s match", "There are %(counter)s matches", count
        )
        deleted = translation.ngettext(
            "%(num_parent_objects)d page has been deleted",
            "%(num_parent_objects)d pages have been deleted",
            count,
        )
    assert matches % {"counter": count} == f"Có {count} kết quả phù hợp"
    assert deleted % {"num_parent_objects": count} == f"Đã xóa {count} trang"


def test_model_names_read_well_inside_the_sentences():
    with translation.override("vi"):
        message = translation.gettext("The %(model_name)s could not be created due to errors.")
    assert message % {"model_name": "cơ quan"} == "Không tạo được cơ quan do có lỗi."


def test_relative_dates_are_vietnamese_too():
    # Django's own vi catalogue lacks timesince's strings; ours carries them, and Wagtail's
    # "just now" only works if its "0 minutes" reads exactly like timesince's output.
    now = timezone.now()
    with translation.override("vi"):
        assert timesince_simple(now) == "vừa xong"
        assert timesince_simple(now - dt.timedelta(minutes=5)) == "5\xa0phút trước"
        assert timesince_simple(now - dt.timedelta(hours=3)) == "3\xa0giờ trước"


def test_the_javascript_catalogue_is_vietnamese():
    js = gettext.translation("djangojs", localedir=LOCALE_WAGTAIL, languages=["vi"])
    assert js.gettext("Main menu") == "Menu chính"
    assert js.gettext("Toggle sidebar") == "Ẩn/hiện thanh bên"
    assert js.ngettext("%(num)s error", "%(num)s errors", 3) == "%(num)s lỗi"


# --- the catalogues themselves -----------------------------------------------------------


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_msgfmt_accepts_the_catalogue(po: Path, tmp_path: Path):
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own files
        [_msgfmt(), "--check", "-o", str(tmp_path / "out.mo"), str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_nearly_every_entry_is_translated(po: Path):
    entries = build.parse_po(po.read_text(encoding="utf-8"))[1:]  # [0] is the header
    translated = [e for e in entries if e.translated]
    assert len(entries) > 50
    assert len(translated) / len(entries) >= 0.98, [e.msgid for e in entries if not e.translated]


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.name)
def test_the_compiled_catalogue_matches_the_po(po: Path):
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale = []
    for entry in build.parse_po(po.read_text(encoding="utf-8"))[1:]:
        key = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is not None:
            if compiled.get((key, 0)) != entry.msgstr[0]:
                stale.append(entry.msgid)
        elif compiled.get(key) != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert stale == [], "the .mo is older than its .po: run vgp/locale_wagtail/build.py"


@pytest.mark.parametrize("domain", build.DOMAINS)
def test_the_catalogue_covers_the_installed_wagtail(domain: str):
    """Every (msgctxt, msgid) of Wagtail's English catalogues is in ours, context kept."""
    ours = {e.key for e in build.parse_po((MESSAGES / f"{domain}.po").read_text("utf-8"))[1:]}
    upstream = set(build.collect(domain))
    assert upstream - ours == set(), "Wagtail changed: run vgp/locale_wagtail/build.py"
    assert ours - upstream == set()


def test_entries_with_a_context_stay_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Wagtail 8.0 has no msgctxt, but the build keeps contexts apart should it get some."""
    source = build.parse_po(
        'msgid ""\nmsgstr ""\n\n'
        '#, python-format\nmsgctxt "verb"\nmsgid "Order"\nmsgstr ""\n\n'
        'msgctxt "noun"\nmsgid "Order"\nmsgstr ""\n\n'
        'msgid "Order"\nmsgstr ""\n'
    )[1:]
    assert [e.key for e in source] == [("verb", "Order"), ("noun", "Order"), (None, "Order")]

    batch = tmp_path / "01_batch.json"
    batch.write_text(
        json.dumps(
            [
                {"msgctxt": "verb", "msgid": "Order", "msgstr": "Sắp xếp"},
                {"msgctxt": "noun", "msgid": "Order", "msgstr": "Đơn hàng"},
            ]
        ),
        encoding="utf-8",
    )
    (tmp_path / "02_batch.json").write_text(
        json.dumps({"Order": "Thứ tự", "noun\u0004Order": "Thứ tự đặt hàng"}), encoding="utf-8"
    )
    monkeypatch.setattr(build, "TRANSLATIONS_DIR", tmp_path)
    translations = build.load_translations()
    for entry in source:
        entry.msgstr = [translations[entry.key][0]]

    po = tmp_path / "django.po"
    po.write_text(
        build.header("django", "test", "2025-01-01 00:00+0000")
        + "\n\n"
        + "\n\n".join(build.format_entry(e) for e in source)
        + "\n",
        encoding="utf-8",
    )
    assert [e.key for e in build.parse_po(po.read_text("utf-8"))[1:]] == [e.key for e in source]
    subprocess.run(  # noqa: S603 - fixed arguments, files of this test
        [_msgfmt(), "--check", "-o", str(tmp_path / "django.mo"), str(po)], check=True
    )
    with (tmp_path / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert compiled.pgettext("verb", "Order") == "Sắp xếp"
    assert compiled.pgettext("noun", "Order") == "Thứ tự đặt hàng"  # the later batch wins
    assert compiled.gettext("Order") == "Thứ tự"


# --- the admin, as an official sees it ----------------------------------------------------


def _shows(html: str, text: str) -> bool:
    """Visible in the HTML, or in the JSON the sidebar is drawn from (\\u-escaped)."""
    return text in html or json.dumps(text)[1:-1] in html


@pytest.fixture
def superuser_client(client, settings, db):
    settings.VGP_REQUIRE_2FA = False  # the second factor has its own tests
    user = UserFactory(username="quantri")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    client.force_login(user)
    return client


def test_the_dashboard_is_in_vietnamese(superuser_client):
    response = superuser_client.get("/quan-tri/")

    assert response.status_code == 200
    html = response.content.decode()
    for vietnamese in [
        "Bảng điều khiển",
        "Tóm tắt trang thông tin",
        "Phím tắt",
        "Bỏ qua, đến nội dung chính",
        "Trang",
        "Hình ảnh",
        "Tài liệu",
        "Báo cáo",
        "Thiết lập",
        "Trợ giúp",
    ]:
        assert _shows(html, vietnamese), vietnamese
    for english in ["Dashboard", "Site summary", "Keyboard shortcuts", "Reports", "Editor Guide"]:
        assert english not in html, english


def test_the_users_page_is_in_vietnamese(superuser_client):
    response = superuser_client.get("/quan-tri/users/")

    assert response.status_code == 200
    html = response.content.decode()
    for vietnamese in [
        "Người dùng",
        "Thêm người dùng",
        "Tên đăng nhập",
        "Cấp truy cập",
        "Đăng nhập lần cuối",
        "Lọc theo",
        "Vừa xong",
    ]:
        assert _shows(html, vietnamese), vietnamese
    for english in ["Add a user", "Username", "Access level", "Last login", "Filter by", "minutes"]:
        assert english not in html, english


def test_the_admin_javascript_catalogue_is_in_vietnamese(superuser_client):
    response = superuser_client.get(reverse("wagtailadmin_javascript_catalog"))

    assert response.status_code == 200
    assert _shows(response.content.decode(), "Menu chính")

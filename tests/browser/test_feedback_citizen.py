"""A citizen on a phone in a real browser: sends a petition, follows it with the tracking code,
answers the agency's question; every page passes axe (WCAG 2.1 AA).

Ông Trần Văn Dũng uses a 390 x 844 phone with JavaScript, so the ALTCHA widget does its proof of
work when he ticks it. The staff's steps (route, accept, ask) are the actions themselves, called
on the live server's database from the test, as the other browser tests create their data.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings

from vgp.accounts.roles import Role
from vgp.agencies.models import AgencyKind
from vgp.feedback import actions
from vgp.feedback.models import FeedbackItem, Sector, Status
from vgp.feedback.testing import province, submit
from vgp.testing.factories import AgencyFactory, UserFactory

from .accessibility import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = Path(tempfile.gettempdir())
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Office:
    """The people and agencies of the story."""

    base_url: str
    ministry: Any
    receptionist: Any
    clerk: Any
    unit_head: Any
    handler: Any
    leader: Any


@pytest.fixture
def office(site) -> Iterator[Office]:
    base_url, _pages = site
    # A transactional test starts from empty tables: the sectors of the data migration too.
    for slug, name in (("dat-dai", "Đất đai"), ("khac", "Lĩnh vực khác")):
        Sector.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name})
    province()
    government_office = AgencyFactory(
        code="000.00.00.G22", name_vi="Văn phòng Chính phủ", kind=AgencyKind.MINISTRY_LEVEL
    )
    ministry = AgencyFactory(
        code="000.00.00.G12", name_vi="Bộ Tài chính", name_en="Ministry of Finance"
    )

    def official(username: str, agency: Any, role: str) -> Any:
        return UserFactory(username=username, agency=agency, roles=[role])

    # A solution is quick to find in a test browser; the protocol is the same.
    with override_settings(FEEDBACK_POW_MAX_NUMBER=2000):
        yield Office(
            base_url=base_url,
            ministry=ministry,
            receptionist=official("hanh", government_office, Role.FEEDBACK_RECEPTION),
            clerk=official("tung", ministry, Role.CLERK),
            unit_head=official("thao", ministry, Role.UNIT_HEAD),
            handler=official("minh", ministry, Role.HANDLER),
            leader=official("quang", ministry, Role.LEADER),
        )


def phone(open_page: Any, javascript: bool = True) -> Any:
    return open_page(width=PHONE["width"], height=PHONE["height"], javascript=javascript)


def settle(page: Any) -> None:
    page.wait_for_load_state("networkidle")


def check(page: Any, name: str, ignore: dict[str, str] | None = None) -> None:
    """One h1, nothing wider than the phone, axe clean; a screenshot to look at."""
    page.screenshot(path=str(SHOTS / f"feedback-{name}.png"), full_page=True)
    assert page.locator("main h1").count() == 1, page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"
    assert_accessible(page, ignore)


def fill_petition(page: Any) -> None:
    page.check("input[name=kind][value=petition]")
    page.fill("#id_name", "Trần Văn Dũng")
    page.fill("#id_address", "Số 12 phố Hàng Bông, quận Hoàn Kiếm")
    page.select_option("#id_province", label="Ủy ban nhân dân thành phố Hà Nội")
    page.fill("#id_email", "dung.tran@example.vn")
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_title", "Đề nghị rút ngắn thời gian cấp giấy chứng nhận")
    page.fill(
        "#id_content",
        "Đề nghị rút ngắn thời gian cấp giấy chứng nhận quyền sử dụng đất xuống 10 ngày làm việc.",
    )
    page.select_option("#id_sector", label="Đất đai")
    page.check("#id_consent_to_publish")


def test_a_citizen_sends_a_petition_follows_it_and_answers_a_question(office, open_page):
    base = office.base_url
    page = phone(open_page)

    # Given ông Dũng on the section's home page, on his phone
    page.goto(base + "/phan-anh-kien-nghi/")
    settle(page)
    check(page, "home")

    # When he opens the form and sends it empty, every problem is listed and linked
    page.get_by_role("link", name=re.compile("^Gửi phản ánh|^Send a submission")).first.click()
    settle(page)
    check(page, "form")
    page.get_by_role("button", name=re.compile("^(Gửi|Send)$")).click()
    settle(page)
    assert page.locator(".error-summary li").count() >= 5
    assert not FeedbackItem.objects.exists()
    check(page, "form-errors")
    page.locator(".error-summary a[href='#id_name']").click()
    assert page.evaluate("location.hash") == "#id_name"

    # A denunciation is never published: choosing one takes the consent box away
    page.check("input[name=kind][value=denunciation]")
    assert not page.locator("#id_consent_to_publish").is_visible()
    assert page.locator(".feedback-consent__denunciation").is_visible()

    # When he fills it in, ticks "I am not a robot" with the keyboard and waits for the check
    fill_petition(page)
    page.locator("altcha-widget input[type=checkbox]").first.focus()
    page.keyboard.press("Space")
    page.wait_for_selector("altcha-widget [data-state=verified]", timeout=30_000)
    assert page.locator("input[name=altcha]").first.input_value()
    page.get_by_role("button", name=re.compile("^(Gửi|Send)$")).click()
    settle(page)

    # Then he gets his tracking code
    item = FeedbackItem.objects.get()
    assert page.locator(".feedback-code").inner_text().strip() == item.code
    assert item.title == "Đề nghị rút ngắn thời gian cấp giấy chứng nhận"
    check(page, "submitted")

    # When he follows it with his phone number (the code comes prefilled from the link)
    page.locator(".feedback-actions a.button").first.click()
    settle(page)
    assert page.input_value("#id_code") == item.code
    page.fill("#id_contact", "+84 912 345 678")
    page.locator("form.feedback-form button[type=submit]").click()
    settle(page)
    assert item.code in page.locator(".listing__kicker").inner_text()
    check(page, "tracking")

    # And the Ministry asks him for the receipt of his application
    item = actions.route(office.receptionist, item, office.ministry)
    item = actions.accept(office.clerk, item)
    actions.request_information(
        office.handler, item, question="Đề nghị ông gửi bản chụp giấy biên nhận hồ sơ."
    )
    page.reload()
    settle(page)
    assert "Đề nghị ông gửi bản chụp giấy biên nhận hồ sơ." in page.content()
    check(page, "question")

    # Then he answers there, with the photo of the receipt, without typing his contact again
    page.fill("#id_answer", "Tôi gửi kèm bản chụp giấy biên nhận ngày 12/3.")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "bien-nhan.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.get_by_role("button", name=re.compile("answer|trả lời", re.IGNORECASE)).click()
    settle(page)
    item.refresh_from_db()
    assert item.status == Status.ACCEPTED
    assert "Tôi gửi kèm bản chụp giấy biên nhận ngày 12/3." in page.content()
    assert "bien-nhan.pdf" in page.content()
    check(page, "answered-question")


def test_without_javascript_the_form_still_goes_through(office, open_page):
    page = phone(open_page, javascript=False)
    page.goto(office.base_url + "/phan-anh-kien-nghi/gui/")
    fill_petition(page)
    page.get_by_role("button", name=re.compile("^(Gửi|Send)$")).click()
    page.wait_for_load_state()

    item = FeedbackItem.objects.get()
    assert page.locator(".feedback-code").inner_text().strip() == item.code


def test_the_answered_list_and_an_answer_are_accessible(office, open_page):
    # Given two answers published with their senders' consent
    questions = {
        "Chậm cấp giấy chứng nhận quyền sử dụng đất": (
            "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất từ tháng 3 mà chưa có kết quả."
        ),
        "Hỏi về lệ phí trước bạ": "Xin hỏi mức lệ phí trước bạ nhà ở năm nay là bao nhiêu?",
    }
    for title, content in questions.items():
        item = submit(title=title, content=content, sector=Sector.objects.get(slug="dat-dai"))
        item = actions.route(office.receptionist, item, office.ministry)
        item = actions.accept(office.clerk, item)
        item = actions.assign(office.unit_head, item, office.handler)
        item = actions.draft_reply(
            office.handler, item, text="Bộ Tài chính đã chỉ đạo giải quyết hồ sơ trong tháng này."
        )
        actions.approve_reply(office.leader, item)
    page = phone(open_page)

    # When anyone searches them without diacritics
    page.goto(office.base_url + "/phan-anh-kien-nghi/da-tra-loi/?q=chung+nhan")
    settle(page)
    assert page.locator(".item-list__entry").count() == 1
    check(page, "answered-list")

    # And with a date that cannot be read, the problem is on the field
    page.goto(office.base_url + "/phan-anh-kien-nghi/da-tra-loi/?date_from=31%2F02%2F2025")
    settle(page)
    assert page.locator(".error-summary a[href='#id_date_from']").count() == 1
    check(page, "answered-list-error")

    page.goto(office.base_url + "/phan-anh-kien-nghi/da-tra-loi/")
    page.locator(".card-item__title a").first.click()
    settle(page)
    check(page, "answer")

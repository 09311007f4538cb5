"""Citizen feedback in the back office, in a real browser: a complaint goes from reception to
the Ministry of Finance's clerk, unit head, handler and leader, each signed in with password
and authenticator code; the inbox and the item page are accessible (WCAG 2.1 AA)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django_otp.plugins.otp_totp.models import TOTPDevice

from vgp.accounts.roles import Role
from vgp.agencies.models import AgencyKind
from vgp.feedback import actions
from vgp.feedback.models import FeedbackItem, Kind, RoutingRule, Sector, Status
from vgp.feedback.testing import submit
from vgp.testing.factories import PASSWORD, AgencyFactory, UserFactory
from vgp.workdays.deadlines import VN_TZ

from .accessibility import assert_accessible
from .test_staff_login import current_code

pytestmark = pytest.mark.browser

INBOX = "/quan-tri/phan-anh-kien-nghi/"
SCREENSHOTS = "/tmp/feedback-admin-{}.png"  # noqa: S108 - looked at by the developer
REPLY = (
    "Bộ Tài chính trả lời ông Trần Văn Dũng: Cục Thuế thành phố Hà Nội đã hoàn thuế thu nhập cá "
    "nhân năm 2025 cho ông ngày 10/3/2026. Bộ Tài chính cảm ơn ông đã phản ánh."
)


@dataclass
class FeedbackDesk:
    base_url: str
    item: FeedbackItem
    users: dict[str, Any]
    ministry: Any


def _official(username: str, agency: Any, role: str, first: str, last: str) -> Any:
    user = UserFactory(
        username=username, agency=agency, roles=[role], first_name=first, last_name=last
    )
    TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)
    return user


@pytest.fixture
def feedback_desk(site) -> FeedbackDesk:
    """Reception at the Government Office, the Ministry of Finance's desk, one new complaint
    about a tax refund and some thirty other submissions in every stage."""
    base_url, _pages = site
    office = AgencyFactory(
        code="000.00.00.G22",
        name_vi="Văn phòng Chính phủ",
        abbreviation="VPCP",
        kind=AgencyKind.MINISTRY_LEVEL,
    )
    ministry = AgencyFactory(
        code="000.00.00.G12",
        name_vi="Bộ Tài chính",
        abbreviation="BTC",
        kind=AgencyKind.MINISTRY,
    )
    users = {
        "reception": _official("hanh", office, Role.FEEDBACK_RECEPTION, "Hạnh", "Đỗ Thị"),
        "clerk": _official("tung", ministry, Role.CLERK, "Tùng", "Nguyễn Văn"),
        "unit_head": _official("thao", ministry, Role.UNIT_HEAD, "Thảo", "Lê Thị"),
        "handler": _official("minh", ministry, Role.HANDLER, "Minh", "Phạm Văn"),
        "leader": _official("quang", ministry, Role.LEADER, "Quang", "Hoàng Văn"),
    }
    # get_or_create: a transactional test empties the tables the data migration filled.
    tax, _ = Sector.objects.get_or_create(slug="thue", defaults={"name": "Thuế, phí, lệ phí"})
    RoutingRule.objects.create(sector=tax, agency=ministry, note="Thuế, phí")
    _thirty_others(users, ministry, tax)
    item = submit(
        sector=tax,
        title="Chậm hoàn thuế thu nhập cá nhân năm 2025",
        content=(
            "Tôi nộp hồ sơ đề nghị hoàn thuế thu nhập cá nhân năm 2025 từ tháng 1 nhưng đến nay "
            "đã quá hạn mà chưa được hoàn, cũng không nhận được thông báo lý do."
        ),
    )
    return FeedbackDesk(base_url, item, users, ministry)


def _thirty_others(users: dict[str, Any], ministry: Any, tax: Sector) -> None:
    titles = [
        "Phí trước bạ thu sai mức",
        "Hóa đơn điện tử bị từ chối không rõ lý do",
        "Kiến nghị cho nộp lệ phí trước bạ trực tuyến",
        "Chậm trả lời công văn hỏi chính sách thuế",
        "Sai thông tin mã số thuế cá nhân",
        "Chậm hoàn thuế giá trị gia tăng",
    ]

    def one(n: int, stage: str) -> None:
        item = submit(sector=tax, title=f"{titles[n % len(titles)]} ({n + 1})")
        if stage == "received":
            return
        item = actions.route(users["reception"], item, ministry)
        if stage == "routed":
            return
        item = actions.accept(users["clerk"], item)
        if stage == "accepted":
            return
        item = actions.assign(users["unit_head"], item, users["handler"])
        if stage == "assigned":
            return
        item = actions.draft_reply(users["handler"], item, text=REPLY)
        if stage == "answered":
            actions.approve_reply(users["leader"], item)

    stages = ["received", "routed", "accepted", "assigned", "in_approval", "answered"]
    # A third of them overdue since January.
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=VN_TZ), tick=False):
        for n, stage in enumerate(stages[:5] * 2):
            one(n, stage)
    for n, stage in enumerate(stages * 3, start=10):
        one(n, stage)


def sign_in(open_page: Any, desk: FeedbackDesk, who: str) -> Any:
    user = desk.users[who]
    page = open_page(width=1280, height=900)
    page.goto(desk.base_url + "/quan-tri/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(TOTPDevice.objects.get(user=user)))
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == desk.base_url + "/quan-tri/", f"{who} could not sign in"
    return page


def snapshot(page: Any, name: str) -> None:
    """The whole page (Wagtail's admin scrolls inside its layout: a tall window shows it all)."""
    page.set_viewport_size({"width": 1280, "height": 2400})
    page.screenshot(path=SCREENSHOTS.format(name))
    page.set_viewport_size({"width": 1280, "height": 900})


def open_item(page: Any, desk: FeedbackDesk) -> None:
    page.goto(desk.base_url + INBOX)
    page.get_by_role("link", name=desk.item.code).click()
    page.wait_for_load_state()


def take_step(page: Any, step: str) -> None:
    page.locator(f"form[action$='/buoc/{step}/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".messages ul > li.success").count() == 1, page.content()[:3000]


def status_of(desk: FeedbackDesk) -> str:
    return FeedbackItem.objects.get(pk=desk.item.pk).status


def test_a_complaint_goes_from_reception_to_an_approved_answer(
    feedback_desk: FeedbackDesk, open_page: Any
) -> None:
    desk = feedback_desk

    # Reception: the inbox, then the complaint, routed where the rule suggests.
    page = sign_in(open_page, desk, "reception")
    page.goto(desk.base_url + INBOX)
    snapshot(page, "inbox-reception")
    assert page.locator("tbody tr").count() >= 30
    assert_accessible(page)
    open_item(page, desk)
    assert page.locator("#id_route-agency").input_value() == str(desk.ministry.pk)
    snapshot(page, "item-reception")
    assert_accessible(page)
    take_step(page, "route")
    assert status_of(desk) == Status.ROUTED

    # The ministry's clerk accepts it.
    page = sign_in(open_page, desk, "clerk")
    page.goto(desk.base_url + INBOX + "?queue=mine")
    snapshot(page, "inbox-clerk-queue")
    open_item(page, desk)
    take_step(page, "accept")
    assert status_of(desk) == Status.ACCEPTED

    # The unit head assigns anh Minh.
    page = sign_in(open_page, desk, "unit_head")
    snapshot(page, "dashboard-unit-head")
    open_item(page, desk)
    page.select_option("#id_assign-handler", str(desk.users["handler"].pk))
    take_step(page, "assign")
    assert status_of(desk) == Status.ASSIGNED

    # The handler drafts the reply.
    page = sign_in(open_page, desk, "handler")
    open_item(page, desk)
    page.fill("#id_draft-reply", REPLY)
    take_step(page, "draft")
    assert status_of(desk) == Status.IN_APPROVAL

    # The leader reads the public version and approves.
    page = sign_in(open_page, desk, "leader")
    open_item(page, desk)
    snapshot(page, "item-leader-approval")
    assert_accessible(page)
    page.fill("#id_approve-public_title", "Chậm hoàn thuế thu nhập cá nhân (đã trả lời)")
    take_step(page, "approve")
    item = FeedbackItem.objects.get(pk=desk.item.pk)
    assert item.status == Status.ANSWERED and item.published_at is not None
    assert "Trần Văn Dũng" not in item.public_reply
    snapshot(page, "item-answered")
    assert_accessible(page)


def test_a_denunciation_hides_its_author_until_asked(
    feedback_desk: FeedbackDesk, open_page: Any
) -> None:
    desk = feedback_desk
    users = desk.users
    item = actions.route(users["reception"], submit(kind=Kind.DENUNCIATION), desk.ministry)
    item = actions.assign(
        users["unit_head"], actions.accept(users["clerk"], item), users["handler"]
    )

    page = sign_in(open_page, desk, "handler")
    page.goto(f"{desk.base_url}{INBOX}{item.pk}/")
    assert "Trần Văn Dũng" not in page.content()
    page.locator("form[action$='/danh-tinh/'] button").click()
    page.wait_for_load_state()
    assert "Trần Văn Dũng" in page.content()
    snapshot(page, "item-identity")
    assert_accessible(page)

"""Official documents in the back office, in a real browser (issue 6).

An incoming letter of the Ministry of Home Affairs goes from the Government Office's clerk to
the leader, the General Affairs Department's head and its handler; the handler's reply goes
through the review chain, the clerk issues and dispatches it to the Legal Affairs Department,
whose clerk registers the copy; the handler reports the letter handled and the leader closes
it. Every official signs in with password and authenticator code, in their own browser, in
Vietnamese. Every kind of documents page is checked with axe-core (WCAG 2.1 AA), and the
incoming list and the document page are photographed at desk and phone width.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from vgp.accounts.roles import Role
from vgp.agencies.models import Agency
from vgp.documents import actions, testing
from vgp.documents.models import (
    Delivery,
    DeliveryStatus,
    Direction,
    Document,
    EventKind,
    ReviewStep,
    Status,
    Task,
    TaskRole,
    Urgency,
)
from vgp.search.engine import forget_open_indexes
from vgp.testing.factories import PASSWORD
from vgp.workdays.deadlines import VN_TZ

from .accessibility import axe_violations, describe
from .test_staff_login import current_code

pytestmark = pytest.mark.browser

LOGIN = "/quan-tri/login/"
DASHBOARD = "/quan-tri/"
SCREENSHOTS = "/tmp/documents-{}.png"  # noqa: S108 - looked at by the developer
DESK = {"width": 1280, "height": 900}
PHONE = 390

SYMBOL = "1925/BNV-TCBC"
SUMMARY = "Về việc góp ý dự thảo Nghị định quy định chức năng, nhiệm vụ của Văn phòng Chính phủ"
INSTRUCTIONS = "Vụ Tổng hợp chủ trì, Vụ Pháp luật phối hợp; báo cáo trước hạn."
REPLY_SUMMARY = "Về việc tham gia ý kiến dự thảo Nghị định của Bộ Nội vụ"
REPLY_CONTENT = (
    "Văn phòng Chính phủ thống nhất với dự thảo Nghị định; đề nghị Vụ Pháp luật rà soát "
    "điều 5 về trình tự ban hành trước khi gửi Bộ Nội vụ."
)


@dataclass
class Desk:
    base_url: str
    office: Agency
    general: Agency
    legal: Agency
    home: Agency
    users: dict[str, Any]
    browser: Any
    pages: dict[str, Any] = field(default_factory=dict)
    contexts: list[Any] = field(default_factory=list)


def letter_pdf(*lines: str) -> bytes:
    """A one-page PDF with a text layer, as a scanned and recognised letter would be."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for row, line in enumerate(lines):
        pdf.drawString(72, 770 - 18 * row, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _official(username: str, agency: Agency, role: Role, name: str, **extra: Any) -> Any:
    user = testing.official(username, agency, role, name=name, unit=extra.pop("unit", None))
    for attribute, value in extra.items():
        setattr(user, attribute, value)
    if extra:
        user.save()
    TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)
    return user


@pytest.fixture
def documents_desk(site, browser, settings, tmp_path) -> Iterator[Desk]:
    """The Government Office with its General Affairs (TH) and Legal Affairs (PL) departments,
    its officials with their authenticator apps, and some thirty documents in every stage."""
    base_url, _pages = site
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    settings.SEARCH_INDEX_DIR.mkdir()
    forget_open_indexes()
    testing.ensure_document_types()  # a transactional test flushed the migration's rows
    office = testing.government_office()
    general = testing.general_affairs(office)
    legal = testing.legal_affairs(office)
    home = testing.home_affairs()
    users = {
        "clerk": _official("lan", office, Role.CLERK, "Trần Thị Lan", position="Văn thư"),
        "leader": _official(
            "hung", office, Role.LEADER, "Nguyễn Văn Hùng", position="Phó Chủ nhiệm"
        ),
        "unit_head": _official("mai", office, Role.UNIT_HEAD, "Lê Thị Mai", unit=general),
        "handler": _official("nam", office, Role.HANDLER, "Phạm Văn Nam", unit=general),
        "legal_clerk": _official("hoa", office, Role.CLERK, "Bùi Thị Hoa", unit=legal),
    }
    desk = Desk(base_url, office, general, legal, home, users, browser)
    _thirty_others(desk)
    yield desk
    for context in desk.contexts:
        context.close()
    forget_open_indexes()


INCOMING_OTHERS = [
    ("BTC-NSNN", "Bộ Tài chính", "Về việc bổ sung dự toán ngân sách nhà nước năm 2026"),
    ("BNNMT-TCTL", "Bộ Nông nghiệp và Môi trường", "Về việc ứng phó với mưa lũ tại miền Trung"),
    ("UBND-VP", "Ủy ban nhân dân thành phố Hà Nội", "Về việc báo cáo tình hình kinh tế - xã hội"),
    ("BTP-PLDSKT", "Bộ Tư pháp", "Về việc thẩm định dự thảo Nghị định sửa đổi Nghị định 30"),
    ("BXD-QLN", "Bộ Xây dựng", "Về việc đề nghị hướng dẫn chính sách nhà ở xã hội"),
]
OUTGOING_OTHERS = [
    ("TB", "Thông báo kết luận của Phó Thủ tướng tại cuộc họp về chuyển đổi số"),
    ("KH", "Kế hoạch tổ chức Hội nghị tổng kết công tác văn phòng năm 2026"),
    ("BC", "Báo cáo tình hình thực hiện nhiệm vụ Chính phủ giao tháng 11"),
    ("GM", "Giấy mời họp về dự thảo Nghị quyết phiên họp Chính phủ thường kỳ"),
]


def _thirty_others(desk: Desk) -> None:
    """Twenty incoming letters (registered … closed, returned; a third of them overdue) and
    ten outgoing documents (draft … dispatched to the Ministry of Home Affairs), taken through
    the actions. None is a Công văn issued by the Office nor a copy for Legal Affairs: the
    letter of the test gets the numbers 01/VPCP-TH and 01 in those series."""
    users = desk.users
    clerk, leader, head, handler = (
        users["clerk"],
        users["leader"],
        users["unit_head"],
        users["handler"],
    )
    stages = ["registered", "presented", "directed", "in_progress", "reported", "closed"]

    def incoming(n: int, stage: str, age: int) -> None:
        suffix, sender, summary = INCOMING_OTHERS[n % len(INCOMING_OTHERS)]
        now = timezone.localdate()
        document = testing.incoming(
            clerk,
            number_symbol=f"{310 + 7 * n}/{suffix}",
            issuer_name=sender,
            summary=f"{summary} (lần {n + 1})",
            document_date=now - dt.timedelta(days=2),
            urgency=[Urgency.NORMAL, Urgency.URGENT, Urgency.NORMAL, Urgency.FLASH][n % 4],
            due_on=now + dt.timedelta(days=age),
        )
        if stage == "returned":
            actions.return_to_sender(clerk, document, reason="Gửi nhầm cơ quan.")
            return
        if stage == "registered":
            return
        actions.present(clerk, document, leader=leader)
        if stage == "presented":
            return
        lead_unit = desk.general if stage != "directed" or n % 2 else desk.legal
        actions.direct(
            leader,
            document,
            lead_unit=lead_unit,
            supporting_units=[desk.legal] if lead_unit == desk.general else [],
            due_on=now + dt.timedelta(days=age),
            instructions="Đề nghị xử lý đúng hạn.",
        )
        if stage == "directed":
            return
        task = Task.objects.get(document=document, role=TaskRole.LEAD, status="open")
        actions.assign_handler(head, task, handler)
        if stage == "in_progress":
            return
        actions.report_done(handler, document, result="Đã có ý kiến trả lời.")
        if stage == "reported":
            return
        actions.close(leader, document)

    def outgoing(n: int, stage: str) -> None:
        code, summary = OUTGOING_OTHERS[n % len(OUTGOING_OTHERS)]
        document = testing.draft(
            handler,
            document_type=testing.doc_type(code),
            summary=f"{summary} ({n + 1})",
            signer=leader,
            recipients=[desk.home],
            external_recipients=["Sở Nội vụ thành phố Hà Nội"] if n % 2 else [],
            urgency=Urgency.URGENT if n % 3 == 0 else Urgency.NORMAL,
        )
        if stage == "draft":
            return
        actions.submit_for_review(handler, document)
        if stage == "in_review":
            return
        for reviewer in (head, leader, leader):
            step = actions.pending_steps(reviewer, Document.objects.get(pk=document.pk))[0]
            actions.review(reviewer, step, decision="approve")
        if stage == "approved":
            return
        document = actions.issue(clerk, Document.objects.get(pk=document.pk))
        if stage == "issued":
            return
        paper = list(
            document.deliveries.filter(recipient__isnull=True).values_list("pk", flat=True)
        )
        actions.dispatch(clerk, document, on_paper=paper)

    # A third of the letters came a month ago, with deadlines now passed.
    month_ago = timezone.localdate() - dt.timedelta(days=30)
    with time_machine.travel(dt.datetime.combine(month_ago, dt.time(9), tzinfo=VN_TZ), tick=False):
        for n, stage in enumerate(["registered", "presented", "directed", "in_progress"] * 2):
            incoming(n, stage, age=14)
    for n, stage in enumerate([*stages, *stages[:4], "returned", "closed"], start=8):
        incoming(n, stage, age=5 + n)
    for n, stage in enumerate(["draft", "in_review", "approved", "issued", "dispatched"] * 2):
        outgoing(n, stage)
    assert Document.objects.filter(direction=Direction.INCOMING).count() == 20
    assert Document.objects.filter(direction=Direction.OUTGOING).count() == 10


# --- Accessibility ---------------------------------------------------------------------------

# Violations found by this test in pages of vgp/documents and reported to their author (issue
# 6): exempted at these nodes only (the rule still runs everywhere else), each with a warning in
# the test's summary while it is there. Remove an entry once its page is fixed.
KNOWN_VIOLATIONS: dict[tuple[str, str], str] = {
    # (axe rule, a marker in the node's HTML): why it is tolerated for now. Empty: the urgency
    # tag's contrast and the keyboard access to sideways-scrolling tables are fixed.
}


def settle(page: Any) -> None:
    """Wagtail's badge on a menu with new items pings for 25 s (``ping-warning``, five times
    5 s): end it, so that ``axe_violations`` (which waits for every animation) does not wait
    25 s on every page before judging it."""
    page.evaluate(
        """() => document.getAnimations()
                .filter((a) => a.animationName === "ping-warning")
                .forEach((a) => a.finish())"""
    )


def assert_accessible(page: Any) -> None:
    """No WCAG 2.1 A/AA violation but the known ones, at their nodes."""
    settle(page)
    remaining = []
    for violation in axe_violations(page):
        nodes = []
        for node in violation["nodes"]:
            known = [
                reason
                for (rule, marker), reason in KNOWN_VIOLATIONS.items()
                if rule == violation["id"] and marker in node["html"]
            ]
            if known:
                warnings.warn(
                    f"known {violation['id']} on {page.url}: {known[0]}", UserWarning, stacklevel=2
                )
            else:
                nodes.append(node)
        if nodes:
            remaining.append({**violation, "nodes": nodes})
    assert not remaining, (
        f"axe found {len(remaining)} WCAG 2.1 AA violation(s) on {page.url}:\n"
        + describe(remaining)
    )


# --- Browser helpers --------------------------------------------------------------------------


def signed_in(desk: Desk, who: str) -> Any:
    """``who``'s own browser (a context of their own), signed in once with password and code:
    a TOTP code is accepted once, so each official keeps their tab for the whole test."""
    if who in desk.pages:
        return desk.pages[who]
    user = desk.users[who]
    context = desk.browser.new_context(viewport=DESK, locale="vi-VN")
    desk.contexts.append(context)
    page = context.new_page()
    page.goto(desk.base_url + LOGIN)
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_otp_token", current_code(TOTPDevice.objects.get(user=user)))
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert page.url == desk.base_url + DASHBOARD, f"{who} could not sign in"
    desk.pages[who] = page
    return page


def go(page: Any, desk: Desk, path: str) -> None:
    response = page.goto(desk.base_url + path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"


def click_to(page: Any, locator: Any) -> None:
    """Click a link or a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        locator.click()


def labels(page: Any, *choices: Any) -> list[str]:
    """The labels of ``choices`` in the page's language (the officials read Vietnamese)."""
    with translation.override(page.locator("html").get_attribute("lang") or "vi"):
        return [str(choice.label) for choice in choices]


def success_message(page: Any) -> str:
    messages = page.locator(".messages li.success")
    assert messages.count() == 1, page.locator(".messages").inner_text()
    return messages.inner_text()


def take_step(page: Any, step: str, target: Any = None, **fields: Any) -> str:
    """Fill one step's form on the document page (opening it first) and send it; returns
    the success message."""
    key = step if target is None else f"{step}-{target.pk}"
    action = f"/buoc/{step}/" if target is None else f"/buoc/{step}/{target.pk}/"
    details = page.locator(f"details#step-{key}")
    assert details.count() == 1, f"step {key} is not offered"
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator(f"form[action$='{action}']")
    for name, value in fields.items():
        widget = form.locator(f"#id_{key}-{name}")
        if widget.evaluate("e => e.tagName") == "SELECT":
            widget.select_option(value)
        else:
            widget.fill(value)
    click_to(page, form.locator("button[type=submit]"))
    return success_message(page)


def open_from(page: Any, desk: Desk, path: str, name: str) -> None:
    """Open a document from a list by the link that names it."""
    go(page, desk, path)
    click_to(page, page.get_by_role("link", name=name, exact=True).first)


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


OVERFLOW_JS = """() => {
    // Visible elements reaching past the window's right edge, unless a box that fits the window
    // clips or scrolls them (a table in its scroll box, a visually hidden header).
    const width = window.innerWidth;
    const found = [];
    for (const element of document.querySelectorAll("body *")) {
        const box = element.getBoundingClientRect();
        if (!box.width || !box.height || box.right <= width + 1) continue;
        let held = false;
        for (let parent = element.parentElement; parent && !held; parent = parent.parentElement) {
            const style = getComputedStyle(parent);
            const clips = /auto|scroll|hidden|clip/.test(style.overflowX) || style.clip !== "auto";
            held = clips && parent.getBoundingClientRect().right <= width + 1;
        }
        if (held) continue;
        const name = `${element.tagName.toLowerCase()}.${element.getAttribute("class")}`;
        found.push(`${name} reaches ${Math.round(box.right)}px`);
    }
    return found.slice(0, 10);
}"""


def snapshot(page: Any, desk: Desk, name: str) -> None:
    """``/tmp/documents-<name>-1280.png`` and ``-390.png``: the page as it is, then the same
    address opened on a phone (a context of its own with the same session: a window narrowed
    after loading keeps Wagtail's desk layout). The whole page each time (Wagtail's admin
    scrolls inside its layout: a tall window shows it all); on the phone, nothing wider than
    the screen and nothing inaccessible."""
    page.set_viewport_size({"width": DESK["width"], "height": 3200})
    try:
        page.screenshot(path=SCREENSHOTS.format(f"{name}-{DESK['width']}"))
    finally:
        page.set_viewport_size(DESK)
    phone = desk.browser.new_context(
        storage_state=page.context.storage_state(),
        viewport={"width": PHONE, "height": 3200},
        locale="vi-VN",
        is_mobile=True,
        has_touch=True,
    )
    try:
        small = phone.new_page()
        go(small, desk, page.url.removeprefix(desk.base_url))
        small.screenshot(path=SCREENSHOTS.format(f"{name}-{PHONE}"))
        assert small.evaluate(OVERFLOW_JS) == [], f"{name} is wider than a phone"
        assert_accessible(small)
    finally:
        phone.close()


def timeline(page: Any) -> list[str]:
    return page.locator(
        "ol.documents-timeline > li .documents-timeline__head strong"
    ).all_inner_texts()


def delivery_row(page: Any, recipient: str) -> dict[str, str]:
    """The status of the copy sent to ``recipient`` and the times it records (only those that
    happened), by what they stand for: ``{"status": …, "sent": …, "read": …}``."""
    row = page.locator("tr", has=page.locator("th[scope=row]", has_text=recipient))
    times = {
        time.get_attribute("data-time"): time.locator("dd").inner_text().strip()
        for time in row.locator("[data-time]").all()
    }
    return {"status": row.locator(".documents-deliveries__status").inner_text().strip(), **times}


# --- The test -------------------------------------------------------------------------------


def test_a_letter_is_registered_handled_answered_and_the_answer_registered_by_the_other_unit(
    documents_desk: Desk,
) -> None:
    desk = documents_desk
    users = desk.users
    today = timezone.localdate()
    incoming_list = reverse("documents_incoming:index")
    outgoing_list = reverse("documents_outgoing:index")
    my_work = reverse("documents:my_work")

    # 1. The clerk: the incoming register, then the form, once with a mistake.
    clerk = signed_in(desk, "clerk")
    go(clerk, desk, incoming_list)
    assert clerk.locator("table.documents-list tbody tr").count() == 20
    assert_accessible(clerk)
    snapshot(clerk, desk, "incoming-list")
    go(clerk, desk, outgoing_list)
    assert clerk.locator("table.documents-list tbody tr").count() == 10
    assert_accessible(clerk)
    go(clerk, desk, incoming_list)
    click_to(clerk, clerk.locator(f"a[href='{reverse('documents:register')}']").first)
    assert_accessible(clerk)

    pdf = {
        "name": "1925-BNV-TCBC.pdf",
        "mimeType": "application/pdf",
        "buffer": letter_pdf("BO NOI VU", "So: 1925/BNV-TCBC", "V/v gop y du thao Nghi dinh"),
    }
    clerk.select_option("#id_document_type", str(testing.doc_type("CV").pk))
    clerk.fill("#id_number_symbol", "công văn số mười chín")
    clerk.fill("#id_document_date", dmy(today - dt.timedelta(days=2)))
    clerk.select_option("#id_issuer", str(desk.home.pk))
    clerk.fill("#id_signer_name", "Nguyễn Duy Thăng")
    clerk.fill("#id_summary", SUMMARY)
    clerk.check(f"input[name=urgency][value='{Urgency.URGENT.value}']")
    clerk.fill("#id_due_on", dmy(today + dt.timedelta(days=14)))
    clerk.fill("#id_page_count", "2")
    clerk.set_input_files("#id_main_file", files=[pdf])
    click_to(clerk, clerk.locator("form.documents-form button[type=submit]"))
    error = clerk.locator(".w-field__wrapper", has=clerk.locator("#id_number_symbol"))
    error = error.locator(".error-message")
    assert "83/2008/QĐ-TTg" in error.inner_text()
    assert clerk.locator("#id_number_symbol").get_attribute("aria-invalid") == "true"
    assert not Document.objects.filter(summary=SUMMARY).exists()
    assert_accessible(clerk)
    clerk.fill("#id_number_symbol", SYMBOL)
    clerk.set_input_files("#id_main_file", files=[pdf])  # a file is never kept by a failed form
    number = (
        Document.objects.filter(
            agency=desk.office, direction=Direction.INCOMING, arrival_year=today.year
        ).count()
        + 1
    )
    click_to(clerk, clerk.locator("form.documents-form button[type=submit]"))
    letter = Document.objects.get(direction=Direction.INCOMING, number_symbol=SYMBOL)
    assert clerk.url == f"{desk.base_url}{reverse('documents:document', args=[letter.pk])}"
    assert letter.reference == f"{number:02d}/{today.year}"
    assert letter.reference in success_message(clerk)
    assert letter.reference in clerk.locator("h1").inner_text()
    assert (letter.urgency, letter.issuer, letter.due_on) == (
        Urgency.URGENT,
        desk.home,
        today + dt.timedelta(days=14),
    )
    assert clerk.get_by_role("link", name="1925-BNV-TCBC.pdf").is_visible()
    assert_accessible(clerk)
    take_step(clerk, "present", leader=str(users["leader"].pk), note="Khẩn: kính trình anh Hùng.")
    letter.refresh_from_db()
    assert (letter.status, letter.holder) == (Status.PRESENTED, users["leader"])

    # 2. The leader finds it in his work and directs the handling.
    leader = signed_in(desk, "leader")
    open_from(leader, desk, my_work, letter.reference)
    details = leader.locator("details#step-direct")
    details.locator(f"input[name='direct-supporting_units'][value='{desk.legal.pk}']").check()
    take_step(
        leader,
        "direct",
        lead_unit=str(desk.general.pk),
        due_on=dmy(today + dt.timedelta(days=10)),
        instructions=INSTRUCTIONS,
    )
    letter.refresh_from_db()
    assert (letter.status, letter.holder_unit) == (Status.DIRECTED, desk.general)
    lead = letter.tasks.get(role=TaskRole.LEAD)
    assert letter.tasks.get(role=TaskRole.SUPPORT).unit == desk.legal

    # 3. The head of General Affairs assigns anh Nam.
    head = signed_in(desk, "unit_head")
    open_from(head, desk, incoming_list, letter.reference)
    take_step(head, "assign", lead, handler=str(users["handler"].pk))
    letter.refresh_from_db()
    assert (letter.status, letter.holder) == (Status.IN_PROGRESS, users["handler"])

    # 4. The handler: his work, a note, then the reply, sent for review.
    handler = signed_in(desk, "handler")
    go(handler, desk, my_work)
    assert_accessible(handler)
    open_from(handler, desk, my_work, letter.reference)
    take_step(handler, "note", text="Đã trao đổi với Vụ Pháp luật về điều 5.")
    click_to(handler, handler.locator(f"a[href$='?reply_to={letter.pk}']"))
    assert handler.locator("#id_in_reply_to").input_value() == str(letter.pk)
    handler.select_option("#id_document_type", str(testing.doc_type("CV").pk))
    handler.fill("#id_summary", REPLY_SUMMARY)
    handler.fill("#id_content", REPLY_CONTENT)
    handler.select_option("#id_recipients", [str(desk.legal.pk)])
    handler.select_option("#id_signer", str(users["leader"].pk))
    assert_accessible(handler)
    click_to(handler, handler.locator("form.documents-form button[type=submit]"))
    reply = Document.objects.get(direction=Direction.OUTGOING, summary=REPLY_SUMMARY)
    assert reply.in_reply_to == letter and reply.status == Status.DRAFT
    assert list(reply.deliveries.values_list("recipient", flat=True)) == [desk.legal.pk]
    success_message(handler)
    take_step(handler, "submit")
    reply.refresh_from_db()
    assert reply.status == Status.IN_REVIEW

    # The unit head approves, from the drafts waiting for her.
    reply_url = reverse("documents:document", args=[reply.pk])
    go(head, desk, my_work)
    click_to(head, head.locator(f"#work-reviews a[href='{reply_url}']"))
    assert_accessible(head)
    take_step(head, "review", pending(reply, "unit_head"), comment="Đồng ý.")
    # The leader approves at the leader's step, then signs.
    go(leader, desk, my_work)
    click_to(leader, leader.locator(f"#work-reviews a[href='{reply_url}']"))
    take_step(leader, "review", pending(reply, "leader"))
    take_step(leader, "review", pending(reply, "signer"), comment="Ký.")
    reply.refresh_from_db()
    assert reply.status == Status.APPROVED

    # 5. The clerk issues it (its number and symbol) and dispatches it.
    go(clerk, desk, outgoing_list + "?status=approved")
    assert clerk.locator("table.documents-list tbody tr").count() == 3
    click_to(clerk, clerk.locator(f"table.documents-list a[href='{reply_url}']"))
    take_step(clerk, "issue")
    reply.refresh_from_db()
    assert reply.number_symbol == "01/VPCP-TH"
    assert clerk.locator("h1").inner_text().strip().startswith("01/VPCP-TH")
    take_step(clerk, "dispatch")
    reply.refresh_from_db()
    assert reply.status == Status.DISPATCHED
    delivery = Delivery.objects.get(document=reply)
    assert delivery.status == DeliveryStatus.DELIVERED

    # 6. The clerk of Legal Affairs: arrived in her work and in the incoming list.
    legal_clerk = signed_in(desk, "legal_clerk")
    go(legal_clerk, desk, my_work)
    arrivals = legal_clerk.locator("#work-arrivals")
    assert arrivals.get_by_role("link", name="01/VPCP-TH").count() == 1
    assert_accessible(legal_clerk)
    go(legal_clerk, desk, incoming_list + "?status=received")
    (received,) = labels(legal_clerk, Status.RECEIVED)
    row = legal_clerk.locator("table.documents-list tbody tr", has_text="01/VPCP-TH")
    assert row.count() == 1 and received in row.text_content()
    click_to(legal_clerk, row.get_by_role("link"))
    copy = Document.objects.get(source_delivery=delivery)
    assert legal_clerk.url.endswith(reverse("documents:document", args=[copy.pk]))
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.READ
    take_step(legal_clerk, "register")
    copy.refresh_from_db()
    assert (copy.status, copy.agency, copy.reference) == (
        Status.REGISTERED,
        desk.legal,
        f"01/{today.year}",
    )
    assert copy.reference in legal_clerk.locator("h1").inner_text()
    assert_accessible(legal_clerk)

    # The Office's clerk sees the copy read and registered on the document she sent.
    go(clerk, desk, reply_url)
    (registered,) = labels(clerk, DeliveryStatus.REGISTERED)
    delivery = delivery_row(clerk, "Vụ Pháp luật")
    assert delivery["status"] == registered, delivery
    assert delivery.get("read") and delivery.get("registered"), delivery  # read at, registered at
    steps = timeline(clerk)
    assert steps[:6] == labels(
        clerk,
        EventKind.DRAFTED,
        EventKind.SUBMITTED,
        EventKind.REVIEW_APPROVED,
        EventKind.REVIEW_APPROVED,
        EventKind.REVIEW_APPROVED,
        EventKind.ISSUED,
    )
    # Dispatched and delivered in the same instant (the page lists "delivered" first).
    assert sorted(steps[6:8]) == sorted(labels(clerk, EventKind.DISPATCHED, EventKind.DELIVERED))
    assert steps[8:] == labels(clerk, EventKind.READ, EventKind.RECEIPT)
    assert_accessible(clerk)
    snapshot(clerk, desk, "outgoing-document")

    # 7. The handler reports the letter handled; the leader closes it.
    go(handler, desk, reverse("documents:document", args=[letter.pk]))
    take_step(handler, "report", result="Đã trả lời bằng Công văn 01/VPCP-TH.")
    go(leader, desk, reverse("documents:document", args=[letter.pk]))
    take_step(leader, "close", note="Hoàn thành.")
    letter.refresh_from_db()
    assert letter.status == Status.CLOSED
    assert timeline(leader) == labels(
        leader,
        EventKind.REGISTERED,
        EventKind.PRESENTED,
        EventKind.DIRECTED,
        EventKind.ASSIGNED,
        EventKind.NOTE,
        EventKind.REPLY_LINKED,
        EventKind.REPORTED,
        EventKind.CLOSED,
    )
    assert_accessible(leader)
    snapshot(leader, desk, "document")

    # The pages that follow the work: tracking, the registers, the processing report.
    for path in (
        reverse("documents:tracking"),
        reverse("documents_registers"),
        reverse("documents_report"),
    ):
        go(leader, desk, path)
        assert_accessible(leader)


def pending(document: Document, kind: str) -> ReviewStep:
    return ReviewStep.objects.get(document=document, kind=kind, status="pending")

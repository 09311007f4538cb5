"""Demo official documents (``load_demo``; idempotent).

The Government Office's clerk (``vanthu``), leader (``lanhdao``), the General Affairs
Department's head and handler (``truongvu``, ``chuyenvien``) and the Legal Affairs
Department's clerk (``vanthu.pl``) take every step through the real actions, so the demo has
incoming documents in each stage of handling (one urgent, one classified, one overdue), an
outgoing reply in review, one issued and dispatched inside the system (received and registered
by Legal Affairs), and one recalled. The letters are invented.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from vgp.agencies.models import Agency

from . import actions
from .models import Document, DocumentType, Secrecy, Urgency

OFFICE = "000.00.00.G22"
GENERAL_AFFAIRS = "G22.01"
LEGAL_AFFAIRS = "G22.07"
ACCOUNTS = ("vanthu", "lanhdao", "truongvu", "chuyenvien", "vanthu.pl")


def letter_pdf(*lines: str) -> bytes:
    """A one-page PDF with a text layer, as a scanned and recognised letter would be."""
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    for row, line in enumerate(lines):
        page.drawString(72, 770 - 18 * row, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def load_demo_documents() -> str:
    users = {user.username: user for user in get_user_model().objects.filter(username__in=ACCOUNTS)}
    office = Agency.objects.filter(code=OFFICE).first()
    general = Agency.objects.filter(code=GENERAL_AFFAIRS).first()
    legal = Agency.objects.filter(code=LEGAL_AFFAIRS).first()
    if office is None or general is None or legal is None or len(users) < len(ACCOUNTS):
        return "skipped (the Office's units or the demo accounts are missing)"
    if Document.objects.filter(agency=office).exists():
        return "already loaded"
    clerk, leader = users["vanthu"], users["lanhdao"]
    head, handler, legal_clerk = users["truongvu"], users["chuyenvien"], users["vanthu.pl"]
    today = timezone.localdate()

    def letter(number_symbol: str, summary: str, sender: str, **fields: Any) -> Document:
        kind = DocumentType.objects.get(code=fields.pop("type", "CV"))
        return actions.register_incoming(
            clerk,
            agency=office,
            document_type=kind,
            number_symbol=number_symbol,
            summary=summary,
            issuer_name=sender,
            document_date=today - dt.timedelta(days=fields.pop("age", 3)),
            **fields,
        )

    # Registered, waiting to be presented.
    letter("1520/BTC-NSNN", "Về việc bổ sung dự toán ngân sách năm 2026", "Bộ Tài chính")
    # Urgent, presented to the leader.
    urgent = letter(
        "88/CĐ-BNNMT",
        "Về việc ứng phó bão số 12 và mưa lũ tại các tỉnh miền Trung",
        "Bộ Nông nghiệp và Môi trường",
        type="CĐ",
        urgency=Urgency.FLASH,
        age=0,
    )
    actions.present(clerk, urgent, leader=leader, note="Hỏa tốc, trình ngay.")
    # Directed to General Affairs, assigned, with a report attached.
    report = letter(
        "245/BC-UBND",
        "Báo cáo tình hình thực hiện Nghị quyết số 01/NQ-CP của Chính phủ",
        "Ủy ban nhân dân thành phố Hà Nội",
        type="BC",
        files_=[
            (
                "main",
                SimpleUploadedFile(
                    "bao-cao.pdf",
                    letter_pdf(
                        "UY BAN NHAN DAN THANH PHO HA NOI",
                        "Bao cao tinh hinh thuc hien Nghi quyet so 01/NQ-CP",
                        "Ket qua giai ngan von dau tu cong dat 85 phan tram ke hoach.",
                    ),
                    "application/pdf",
                ),
            )
        ],
    )
    actions.present(clerk, report, leader=leader)
    slip = actions.direct(
        leader,
        report,
        lead_unit=general,
        supporting_units=[legal],
        due_on=today + dt.timedelta(days=10),
        instructions="Vụ Tổng hợp chủ trì, Vụ Pháp luật phối hợp; báo cáo trước ngày họp.",
    )
    lead = slip.tasks.get(role="lead")
    actions.assign_handler(head, lead, handler)
    # Directed, due tomorrow, waiting for a handler.
    due = letter(
        "77/BNV-CCVC",
        "Về việc góp ý dự thảo Nghị định về tuyển dụng công chức",
        "Bộ Nội vụ",
    )
    actions.direct(leader, due, lead_unit=general, due_on=today + dt.timedelta(days=1))
    # Classified, readable by the leaders and the clerk who registered it.
    letter(
        "12/BQP-M",
        "Về việc bảo đảm an ninh hệ thống thông tin",
        "Bộ Quốc phòng",
        secrecy=Secrecy.CONFIDENTIAL,
    )
    # Handled and closed.
    done = letter("301/BTP-PLHSHC", "Về việc rà soát văn bản quy phạm pháp luật", "Bộ Tư pháp")
    slip = actions.direct(leader, done, lead_unit=general)
    actions.assign_handler(head, slip.tasks.get(), handler)
    actions.report_done(handler, done, result="Đã rà soát, không phát hiện văn bản trái pháp luật.")
    actions.close(leader, done)

    # A reply in review, waiting for the unit head.
    reply = actions.create_draft(
        handler,
        document_type=DocumentType.objects.get(code="CV"),
        summary="Về việc báo cáo tình hình thực hiện Nghị quyết số 01/NQ-CP",
        content="Văn phòng Chính phủ đã nhận báo cáo và có ý kiến như sau: ...",
        signer=leader,
        signing_prefix="KT.",
        in_reply_to=report,
        recipients=[legal],
        external_recipients=["Ủy ban nhân dân thành phố Hà Nội"],
    )
    actions.submit_for_review(handler, reply)

    # A notice issued and dispatched to Legal Affairs, which registered it.
    notice = actions.create_draft(
        handler,
        document_type=DocumentType.objects.get(code="TB"),
        summary="Thông báo kết luận của Phó Thủ tướng tại cuộc họp về chuyển đổi số",
        content="Ngày 01 tháng 12, Phó Thủ tướng chủ trì cuộc họp ...",
        signer=leader,
        signing_prefix="TL.",
        recipients=[legal],
    )
    _approve(notice, head, leader)
    notice = actions.issue(clerk, notice)
    actions.dispatch(clerk, notice)
    copy = notice.deliveries.get(recipient=legal).incoming_copy
    actions.mark_read(legal_clerk, copy)
    actions.register_received(legal_clerk, copy)

    # A letter dispatched and then recalled.
    wrong = actions.create_draft(
        handler,
        document_type=DocumentType.objects.get(code="CV"),
        summary="Về việc triệu tập hội nghị trực tuyến (gửi nhầm ngày)",
        content="Văn phòng Chính phủ triệu tập ...",
        signer=leader,
        recipients=[legal],
    )
    _approve(wrong, head, leader)
    wrong = actions.issue(clerk, wrong)
    actions.dispatch(clerk, wrong)
    actions.recall(
        leader, wrong, reason="Ghi sai ngày tổ chức hội nghị; sẽ ban hành văn bản thay thế."
    )

    # A plan approved with its PDF and an annex, waiting for the leader's digital signature
    # (then the clerk issues it with the seal; ADR 0016).
    plan = actions.create_draft(
        handler,
        document_type=DocumentType.objects.get(code="KH"),
        summary="Kế hoạch triển khai ký số văn bản điện tử năm 2027",
        content="Văn phòng Chính phủ ban hành Kế hoạch triển khai ký số ...",
        signer=leader,
        signer_position="Phó Chủ nhiệm",
        signing_prefix="KT.",
        recipients=[legal],
        file=SimpleUploadedFile(
            "ke-hoach-ky-so.pdf",
            letter_pdf(
                "VAN PHONG CHINH PHU",
                "",
                "",
                "KE HOACH",
                "Trien khai ky so van ban dien tu nam 2027",
            ),
            "application/pdf",
        ),
    )
    actions.add_annex(
        handler,
        plan,
        file=SimpleUploadedFile(
            "phu-luc-lo-trinh.pdf",
            letter_pdf("PHU LUC", "Lo trinh trien khai theo quy"),
            "application/pdf",
        ),
    )
    _approve(plan, head, leader)
    return f"{Document.objects.filter(agency__in=[office, legal]).count()} documents"


def _approve(document: Document, head: Any, leader: Any) -> None:
    actions.submit_for_review(document.drafted_by, document)
    for reviewer in (head, leader, leader):
        document.refresh_from_db()
        for step in actions.pending_steps(reviewer, document):
            actions.review(reviewer, step, decision="approve")

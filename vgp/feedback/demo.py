"""Demo submissions of citizen feedback (``load_demo``; idempotent).

Reception (``tiepnhan``, at the Government Office) and the Ministry of Finance's desk
(``vanthu.btc`` accepts, ``truongvu.btc`` assigns, ``chuyenvien.btc`` drafts, ``lanhdao.btc``
approves) take every step through the real actions, so the demo has items in every status,
with their events, deadlines, e-mails and audit records: some waiting at reception (one of them
a likely duplicate, one returned by the ministry), one waiting for the citizen, one in each of
the ministry's stages, a denunciation, answered items (two published), a rejected one and a
merged one. The citizens are invented.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from vgp.agencies.models import Agency

from . import actions
from .models import FeedbackItem, Kind, RoutingRule, Sector

GOVERNMENT_OFFICE = "000.00.00.G22"
MINISTRY_OF_FINANCE = "000.00.00.G12"
ACCOUNTS = ("tiepnhan", "vanthu.btc", "truongvu.btc", "chuyenvien.btc", "lanhdao.btc")

# A one-page PDF, as a citizen's scanned receipt would be.
RECEIPT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _citizen(n: int, **facts: Any) -> dict[str, Any]:
    names = [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Cường",
        "Phạm Thị Dung",
        "Hoàng Văn Em",
        "Vũ Thị Giang",
        "Đặng Văn Hải",
        "Bùi Thị Hoa",
    ]
    name = names[n % len(names)]
    return {
        "name": name,
        "email": f"congdan{n}@example.vn",
        "phone": f"09{n:02d} 123 456",
        "address": f"Số {n + 5} phố Hàng Bài, phường Hoàn Kiếm, Hà Nội",
        **facts,
    }


def _submit(key: str, n: int, **facts: Any) -> FeedbackItem:
    item, _created = actions.submit(
        actions.Submission(**_citizen(n, **facts)), idempotency_key=f"demo-{key}"
    )
    return item


REPLY = (
    "Bộ Tài chính đã nhận được phản ánh của ông/bà. Sau khi kiểm tra, Cục Thuế thành phố Hà Nội "
    "đã hoàn thành việc hoàn thuế thu nhập cá nhân năm 2025 cho ông/bà ngày 10/3/2026; cán bộ "
    "chậm xử lý đã bị nhắc nhở. Bộ Tài chính cảm ơn ông/bà đã phản ánh."
)


def load_demo_feedback() -> str:
    """Reception and the Ministry of Finance's desk handle a dozen submissions."""
    if FeedbackItem.objects.exists():
        return "already loaded"
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    office = Agency.objects.filter(code=GOVERNMENT_OFFICE).first()
    ministry = Agency.objects.filter(code=MINISTRY_OF_FINANCE).first()
    if len(users) != len(ACCOUNTS) or office is None or ministry is None:
        return "no feedback accounts"
    reception, clerk, unit_head, handler, leader = (users[name] for name in ACCOUNTS)
    tax = Sector.objects.filter(slug="thue").first()
    land = Sector.objects.filter(slug="dat-dai").first()
    procedures = Sector.objects.filter(slug="thu-tuc").first()
    RoutingRule.objects.get_or_create(
        sector=tax, kind="", province=None, defaults={"agency": ministry, "note": "Thuế, phí"}
    )

    def tax_matter(key: str, n: int, kind: str = Kind.COMPLAINT, **facts: Any) -> FeedbackItem:
        values = {
            "kind": kind,
            "sector": tax,
            "consent_to_publish": True,
            "title": "Chậm hoàn thuế thu nhập cá nhân năm 2025",
            "content": (
                "Tôi nộp hồ sơ đề nghị hoàn thuế thu nhập cá nhân năm 2025 qua Cổng dịch vụ "
                "công từ tháng 1 nhưng đến nay đã quá thời hạn 6 ngày làm việc mà chưa được "
                "hoàn, cũng không nhận được thông báo lý do."
            ),
            **facts,
        }
        return _submit(key, n, **values)

    def at_ministry(item: FeedbackItem) -> FeedbackItem:
        return actions.route(reception, item, ministry)

    def assigned(item: FeedbackItem) -> FeedbackItem:
        item = actions.accept(clerk, at_ministry(item))
        return actions.assign(unit_head, item, handler)

    def answered(item: FeedbackItem, **approval: Any) -> FeedbackItem:
        item = actions.draft_reply(handler, assigned(item), text=REPLY)
        return actions.approve_reply(leader, item, **approval)

    # At reception: one to route, a likely duplicate of it, one with a scanned receipt.
    original = tax_matter("tax-refund", 0)
    tax_matter(
        "tax-refund-again",
        1,
        title="Chậm hoàn thuế thu nhập cá nhân",
        content=(
            "Hồ sơ đề nghị hoàn thuế thu nhập cá nhân năm 2025 của tôi nộp qua Cổng dịch vụ công "
            "từ tháng 1 đến nay đã quá thời hạn mà chưa được hoàn, không có thông báo lý do."
        ),
    )
    _submit(
        "land-certificate",
        2,
        kind=Kind.FEEDBACK,
        sector=land,
        title="Chậm cấp giấy chứng nhận quyền sử dụng đất",
        content=(
            "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất tại bộ phận một cửa từ tháng 11 "
            "năm trước, đã quá hạn ghi trên giấy biên nhận (gửi kèm) mà chưa có kết quả."
        ),
        consent_to_publish=True,
        files=[SimpleUploadedFile("giay-bien-nhan.pdf", RECEIPT_PDF, "application/pdf")],
    )
    # Waiting for the citizen's information (the clock is paused).
    unclear = _submit(
        "unclear",
        3,
        kind=Kind.PETITION,
        sector=procedures,
        title="Kiến nghị đơn giản hóa thủ tục",
        content="Đề nghị đơn giản hóa thủ tục đăng ký vì hiện nay quá nhiều giấy tờ phải nộp.",
    )
    actions.request_information(
        reception, unclear, question="Ông/bà kiến nghị về thủ tục đăng ký nào (tên thủ tục)?"
    )
    # Returned by the ministry to reception, naming the Government Office as competent.
    returned = at_ministry(
        tax_matter(
            "returned",
            4,
            kind=Kind.PETITION,
            title="Kiến nghị về quy chế làm việc của Chính phủ",
            content=(
                "Đề nghị công khai lịch làm việc của các thành viên Chính phủ trên Cổng Thông tin "
                "điện tử Chính phủ để người dân theo dõi."
            ),
        )
    )
    actions.return_to_reception(
        clerk,
        returned,
        competent_agency=office,
        reason="Nội dung thuộc chức năng của Văn phòng Chính phủ, không thuộc lĩnh vực tài chính.",
    )
    # At the ministry: to accept, a denunciation to accept, to assign, being handled, to approve.
    at_ministry(tax_matter("to-accept", 5, title="Phí trước bạ thu sai mức"))
    at_ministry(
        tax_matter(
            "denunciation",
            6,
            kind=Kind.DENUNCIATION,
            title="Tố cáo cán bộ thuế nhận tiền của doanh nghiệp",
            content=(
                "Tôi tố cáo một cán bộ Chi cục Thuế khu vực nhận tiền của doanh nghiệp để bỏ qua "
                "sai phạm khi kiểm tra quyết toán thuế năm 2025."
            ),
        )
    )
    actions.accept(clerk, at_ministry(tax_matter("to-assign", 7, title="Chậm trả lời công văn")))
    being_handled = assigned(tax_matter("handled", 0, title="Hóa đơn điện tử bị từ chối"))
    actions.add_note(handler, being_handled, text="Đã đề nghị Cục Thuế báo cáo trước ngày 20.")
    actions.draft_reply(
        handler,
        assigned(tax_matter("to-approve", 1, title="Chậm hoàn thuế giá trị gia tăng")),
        text=REPLY,
    )
    # Closed: answered (two published, one without consent), rejected, merged.
    answered(tax_matter("published", 2, title="Chậm hoàn thuế thu nhập cá nhân năm 2024"))
    answered(
        tax_matter(
            "published-petition",
            3,
            kind=Kind.PETITION,
            title="Kiến nghị cho nộp lệ phí trước bạ trực tuyến",
        ),
        public_content="Kiến nghị cho phép nộp lệ phí trước bạ trực tuyến qua Cổng dịch vụ công.",
    )
    answered(tax_matter("private", 4, consent_to_publish=False, title="Sai thông tin trên tờ khai"))
    actions.reject(
        reception,
        _submit(
            "rejected",
            5,
            kind=Kind.FEEDBACK,
            sector=procedures,
            title="Góp ý chung",
            content="Nội dung không rõ ràng, không nêu vụ việc cụ thể nào để xem xét giải quyết.",
        ),
        reason="Đơn không nêu nội dung cụ thể (Nghị định 20/2008/NĐ-CP, Điều 9).",
    )
    actions.mark_duplicate(
        reception, tax_matter("duplicate", 0, title="Hoàn thuế TNCN chậm"), original
    )
    return f"{FeedbackItem.objects.count()} submissions"

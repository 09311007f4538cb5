"""Helpers for tests of citizen feedback: a submission as a citizen would send it."""

from __future__ import annotations

from typing import Any

from vgp.agencies.models import Agency, AgencyKind

from . import actions
from .models import FeedbackItem, Kind, Sector


def province(code: str = "000.00.00.H26", name: str = "Ủy ban nhân dân thành phố Hà Nội") -> Agency:
    agency, _ = Agency.objects.get_or_create(
        code=code,
        defaults={
            "name_vi": name,
            "name_en": "Ha Noi People's Committee",
            "kind": AgencyKind.PROVINCE,
        },
    )
    return agency


def submission(**overrides: Any) -> actions.Submission:
    """Ông Trần Văn Dũng's complaint about a land-use certificate (every field filled)."""
    values: dict[str, Any] = {
        "kind": Kind.COMPLAINT,
        "name": "Trần Văn Dũng",
        "email": "dung.tran@example.vn",
        "phone": "0912 345 678",
        "address": "Số 12 phố Hàng Bông, quận Hoàn Kiếm",
        "province": None,
        "id_number": "001080012345",
        "title": "Chậm cấp giấy chứng nhận quyền sử dụng đất",
        "content": (
            "Tôi nộp hồ sơ cấp giấy chứng nhận quyền sử dụng đất từ tháng 3 nhưng đến nay "
            "vẫn chưa nhận được kết quả, cán bộ tiếp nhận không trả lời lý do."
        ),
        "sector": Sector.objects.filter(slug="dat-dai").first(),
        "consent_to_publish": True,
    }
    values.update(overrides)
    return actions.Submission(**values)


def submit(**overrides: Any) -> FeedbackItem:
    item, _created = actions.submit(submission(**overrides))
    return item

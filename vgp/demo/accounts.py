"""The demo accounts: one official per role, printed by ``make run``."""

from __future__ import annotations

from dataclasses import dataclass

from vgp.accounts.actions import create_official
from vgp.accounts.models import User
from vgp.accounts.roles import Role
from vgp.agencies.models import Agency

# Printed on screen by load_demo, which refuses to run in production.
DEMO_PASSWORD = "demo-VGP-2026"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str | None
    last_name: str
    first_name: str
    position: str
    agency_code: str
    # The unit (a department of the agency) the official works in, for official documents.
    unit_code: str = ""


DEMO_ACCOUNTS = [
    DemoAccount("vanthu", Role.CLERK, "Nguyễn Thị", "Hoa", "Văn thư", "000.00.00.G22"),
    DemoAccount(
        "chuyenvien", Role.HANDLER, "Trần Văn", "Nam", "Chuyên viên", "000.00.00.G22", "G22.01"
    ),
    DemoAccount(
        "truongvu", Role.UNIT_HEAD, "Lê Minh", "Tuấn", "Vụ trưởng", "000.00.00.G22", "G22.01"
    ),
    DemoAccount("lanhdao", Role.LEADER, "Phạm Quốc", "Bảo", "Phó Chủ nhiệm", "000.00.00.G22"),
    DemoAccount(
        "phongvien", Role.PORTAL_REPORTER, "Lý Minh", "Châu", "Phóng viên", "000.00.00.G22"
    ),
    DemoAccount(
        "bientap",
        Role.PORTAL_EDITOR,
        "Đỗ Thu",
        "Trang",
        "Biên tập viên chuyên mục",
        "000.00.00.G22",
    ),
    DemoAccount(
        "tongbientap", Role.EDITOR_IN_CHIEF, "Vũ Đức", "Long", "Tổng biên tập", "000.00.00.G22"
    ),
    DemoAccount(
        "congbao",
        Role.GAZETTE_EDITOR,
        "Hoàng Thị",
        "Mai",
        "Biên tập viên Công báo",
        "000.00.00.G22",
    ),
    DemoAccount("dieuphoi", Role.MODERATOR, "Bùi Văn", "Khánh", "Điều phối viên", "000.00.00.G22"),
    DemoAccount(
        "bientapvb", Role.LEGAL_EDITOR, "Trịnh Thị", "Ngọc", "Chuyên viên pháp chế", "000.00.00.G22"
    ),
    DemoAccount(
        "kiemtravb", Role.LEGAL_CHECKER, "Đặng Quang", "Vinh", "Kiểm tra viên", "000.00.00.G22"
    ),
    DemoAccount(
        "congbao2", Role.GAZETTE_EDITOR, "Lý Thu", "Hằng", "Biên tập viên Công báo", "000.00.00.G22"
    ),
    DemoAccount("quantri", Role.IT_ADMIN, "Ngô Thanh", "Hà", "Quản trị hệ thống", "000.00.00.G22"),
    DemoAccount("kiemtra", Role.AUDITOR, "Đinh Công", "Sơn", "Kiểm tra viên", "000.00.00.G22"),
    DemoAccount("lanhdao.btc", Role.LEADER, "Phan Văn", "Hùng", "Thứ trưởng", "000.00.00.G12"),
    # Citizen feedback (vgp/feedback/demo.py): reception at the Government Office, and the
    # Ministry of Finance's desk — its clerk, a unit head, a handler and lanhdao.btc above.
    DemoAccount(
        "tiepnhan",
        Role.FEEDBACK_RECEPTION,
        "Đỗ Thị",
        "Hạnh",
        "Chuyên viên tiếp nhận phản ánh, kiến nghị",
        "000.00.00.G22",
    ),
    DemoAccount("vanthu.btc", Role.CLERK, "Nguyễn Văn", "Tùng", "Văn thư", "000.00.00.G12"),
    DemoAccount(
        "truongvu.btc", Role.UNIT_HEAD, "Lê Thị", "Thảo", "Vụ trưởng Vụ Pháp chế", "000.00.00.G12"
    ),
    DemoAccount("chuyenvien.btc", Role.HANDLER, "Phạm Văn", "Minh", "Chuyên viên", "000.00.00.G12"),
    # Official documents (vgp/documents/demo.py): the Legal Affairs Department of the Office
    # keeps its own register and receives the Office's documents inside the system.
    DemoAccount(
        "vanthu.pl", Role.CLERK, "Bùi Thị", "Hoa", "Văn thư Vụ Pháp luật", "000.00.00.G22", "G22.07"
    ),
    DemoAccount(
        "truongvu.pl",
        Role.UNIT_HEAD,
        "Vũ Văn",
        "Phúc",
        "Vụ trưởng Vụ Pháp luật",
        "000.00.00.G22",
        "G22.07",
    ),
    DemoAccount(
        "chuyenvien.pl", Role.HANDLER, "Đặng Thị", "Thu", "Chuyên viên", "000.00.00.G22", "G22.07"
    ),
]


def ensure_demo_accounts() -> list[tuple[DemoAccount, bool]]:
    """Create the demo accounts that are missing; return each with whether it was created."""
    results = []
    for account in DEMO_ACCOUNTS:
        unit = Agency.objects.filter(code=account.unit_code).first() if account.unit_code else None
        existing = User.objects.filter(username=account.username).first()
        if existing is not None:
            if unit is not None and existing.unit_id is None:
                # Installations whose demo predates the units of official documents.
                User.objects.filter(pk=existing.pk).update(unit=unit)
            results.append((account, False))
            continue
        agency = Agency.objects.filter(code=account.agency_code).first()
        create_official(
            None,
            username=account.username,
            password=DEMO_PASSWORD,
            agency=agency,
            unit=unit,
            roles=[account.role] if account.role else [],
            first_name=account.first_name,
            last_name=account.last_name,
            position=account.position,
            email=f"{account.username}@demo.chinhphu.vn",
        )
        results.append((account, True))
    if not User.objects.filter(username="admin").exists():
        user = create_official(
            None,
            username="admin",
            password=DEMO_PASSWORD,
            agency=Agency.objects.filter(code="000.00.00.G22").first(),
            first_name="Quản trị",
            last_name="Tối cao",
            position="Quản trị viên cấp cao",
            email="admin@demo.chinhphu.vn",
        )
        User.objects.filter(pk=user.pk).update(is_superuser=True, is_staff=True)
    return results

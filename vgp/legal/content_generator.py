"""Made-up but realistic Vietnamese legal documents, for load tests and search benchmarks.

Every sentence is assembled here from the project's own phrase banks: nothing is copied from
a real document, and every signer is an invented name. What is real is the shape: numbers and
symbols as Decree 30/2020/NĐ-CP writes them, the preamble ("Căn cứ ..."), chapters, articles,
clauses and points exactly as the structure parser expects them, the signature block, a type
mix and issuers roughly like a national database, and relations (amends, replaces, repeals,
guides, based_on) that point at documents generated earlier in the same run.

Speed matters (benchmarks generate 200,000 records): each record has its own
``random.Random`` seeded from (seed, index), and every pick is an index into a tuple. A
record's header (type, issuer, date, domain) uses the first draws of that generator, so
``generate_records(count, start=s)`` replays the headers of records ``0..s-1`` (cheap) to
continue the per-series counters: record *i* gets the same number, type, issuer, date and
signer whatever the batching. Relations point inside the run, so they (and the title and
sentences that follow from them) depend on it.

Vocabulary skew is deliberate: the frame of every document ("quy định", "cơ quan", "Nghị
định này") is common, domain terms are picked with a power-law skew, and each domain's rare
phrases appear in a small fraction of documents, so that rare phrases stay rare in a search
benchmark.
"""

from __future__ import annotations

import random
import unicodedata
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from vgp.core.text import fold


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|") if part.strip())


# --- sectors (lĩnh vực) ---------------------------------------------------------------------

# The 30 sectors seeded by the legal app's migration come first (same spelling), then ours.
FIELDS = _split(
    "Bộ máy hành chính | Tài chính nhà nước | Thuế, phí, lệ phí | Đầu tư | Doanh nghiệp | "
    "Thương mại | Xây dựng - Đô thị | Bất động sản | Đất đai | Tài nguyên - Môi trường | "
    "Giao thông - Vận tải | Lao động - Tiền lương | Bảo hiểm | Y tế | Giáo dục | "
    "Văn hóa - Xã hội | Công nghệ thông tin | Quyền dân sự | Thủ tục tố tụng | "
    "Trách nhiệm hình sự | Vi phạm hành chính | Xuất nhập khẩu | Tiền tệ - Ngân hàng | "
    "Chứng khoán | Kế toán - Kiểm toán | Sở hữu trí tuệ | Nông nghiệp | Quốc phòng - An ninh | "
    "Dịch vụ pháp lý | Thể thao - Du lịch | Cán bộ, công chức, viên chức | "
    "Khoa học - Công nghệ | Lâm nghiệp | Thủy sản | Năng lượng | Tài sản công | "
    "Thi đua - Khen thưởng | Thủ tục hành chính | Chuyển đổi số | Dân tộc - Tôn giáo | Tư pháp"
)

# --- issuers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ministry:
    abbr: str
    name: str
    name_en: str
    weight: int
    units: tuple[str, ...]
    valid_to: int = 0  # ordinal of its last day (0: still exists)
    successor: str = ""
    valid_from: int = 0
    predecessor: str = ""
    chief: str = "Bộ trưởng"
    deputy: str = "Thứ trưởng"


_MERGE_END = date(2025, 2, 28).toordinal()
_MERGE_START = _MERGE_END + 1
_GENERIC_UNITS = "VP | PC | KHTC | TCCB | HTQT | TTr"

MINISTRIES = {
    m.abbr: m
    for m in (
        Ministry("BTC", "Bộ Tài chính", "Ministry of Finance", 22,
                 _split(f"TCT | TCHQ | CST | NSNN | QLCS | QLN | HCSN | ĐT | KBNN | {_GENERIC_UNITS}")),
        Ministry("BYT", "Bộ Y tế", "Ministry of Health", 8,
                 _split(f"KCB | DP | QLD | BH | TTB | ATTP | {_GENERIC_UNITS}")),
        Ministry("BGDĐT", "Bộ Giáo dục và Đào tạo", "Ministry of Education and Training", 8,
                 _split(f"GDĐH | GDTrH | GDTH | GDMN | QLCL | NGCBQLGD | {_GENERIC_UNITS}")),
        Ministry("BCT", "Bộ Công Thương", "Ministry of Industry and Trade", 7,
                 _split(f"XNK | ĐL | TTTN | CN | ATMT | {_GENERIC_UNITS}")),
        Ministry("BXD", "Bộ Xây dựng", "Ministry of Construction", 7,
                 _split(f"QLN | KTXD | HĐXD | PTĐT | QHKT | {_GENERIC_UNITS}")),
        Ministry("BGTVT", "Bộ Giao thông vận tải", "Ministry of Transport", 6,
                 _split(f"KCHT | VT | ATGT | {_GENERIC_UNITS}"), _MERGE_END, "BXD"),
        Ministry("BTNMT", "Bộ Tài nguyên và Môi trường", "Ministry of Natural Resources and Environment", 6,
                 _split(f"QLĐĐ | TNN | MT | ĐCKS | {_GENERIC_UNITS}"), _MERGE_END, "BNNMT"),
        Ministry("BLĐTBXH", "Bộ Lao động - Thương binh và Xã hội", "Ministry of Labour, Invalids and Social Affairs", 6,
                 _split(f"LĐTL | BHXH | NCC | BTXH | GDNN | {_GENERIC_UNITS}"), _MERGE_END, "BNV"),
        Ministry("BNV", "Bộ Nội vụ", "Ministry of Home Affairs", 5,
                 _split(f"CCVC | TCBC | CQĐP | TĐKT | {_GENERIC_UNITS}")),
        Ministry("BTP", "Bộ Tư pháp", "Ministry of Justice", 5,
                 _split(f"VĐCXDPL | KTVB | PBGDPL | HTQTCT | {_GENERIC_UNITS}")),
        Ministry("BCA", "Bộ Công an", "Ministry of Public Security", 5, _split("C06 | C03 | C07 | V03 | VP")),
        Ministry("BKHCN", "Bộ Khoa học và Công nghệ", "Ministry of Science and Technology", 4,
                 _split(f"CNN | SHTT | TĐC | ĐTG | {_GENERIC_UNITS}")),
        Ministry("BTTTT", "Bộ Thông tin và Truyền thông", "Ministry of Information and Communications", 5,
                 _split(f"CĐSQG | BC | PTTH | THH | ATTT | {_GENERIC_UNITS}"), _MERGE_END, "BKHCN"),
        Ministry("NHNN", "Ngân hàng Nhà nước Việt Nam", "State Bank of Viet Nam", 8,
                 _split(f"TTGSNH | CSTT | TD | TT | {_GENERIC_UNITS}"), chief="Thống đốc", deputy="Phó Thống đốc"),
        Ministry("BKHĐT", "Bộ Kế hoạch và Đầu tư", "Ministry of Planning and Investment", 4,
                 _split(f"ĐTNN | KTĐPLT | QLQH | PTDN | {_GENERIC_UNITS}"), _MERGE_END, "BTC"),
        Ministry("BVHTTDL", "Bộ Văn hóa, Thể thao và Du lịch", "Ministry of Culture, Sports and Tourism", 4,
                 _split(f"DSVH | TCTDTT | TCDL | {_GENERIC_UNITS}")),
        Ministry("BQP", "Bộ Quốc phòng", "Ministry of National Defence", 3, _split("TM | TCCT | VP")),
        Ministry("BNG", "Bộ Ngoại giao", "Ministry of Foreign Affairs", 1, _split("LS | LPQT | VP")),
        Ministry("TTCP", "Thanh tra Chính phủ", "Government Inspectorate", 1, _split("KHTH | GSTT | PC | VP"),
                 chief="Tổng Thanh tra Chính phủ", deputy="Phó Tổng Thanh tra"),
        Ministry("VPCP", "Văn phòng Chính phủ", "Government Office", 1,
                 _split("TH | KTTH | NN | CN | KGVX | QHQT | PL | NC | TCCV | ĐMDN | KSTT | TCCB"),
                 chief="Bộ trưởng, Chủ nhiệm", deputy="Phó Chủ nhiệm"),
        Ministry("BNNMT", "Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment", 3,
                 _split(f"QLĐĐ | TTBVTV | TY | TS | LN | {_GENERIC_UNITS}"), valid_from=_MERGE_START,
                 predecessor="BTNMT"),
        Ministry("BDTTG", "Bộ Dân tộc và Tôn giáo", "Ministry of Ethnic and Religious Affairs", 1,
                 _split(f"CSDT | TG | {_GENERIC_UNITS}"), valid_from=_MERGE_START, predecessor="BNV"),
    )
}  # fmt: skip

PROVINCE_UNITS = _split("KT | VX | NC | ĐT | TH | KGVX | NN")

# (name as written after "Ủy ban nhân dân", short name)
PROVINCES = tuple(
    [("thành phố " + p, p) for p in _split("Hà Nội | Hải Phòng | Đà Nẵng | Cần Thơ")]
    + [("Thành phố Hồ Chí Minh", "Hồ Chí Minh")]
    + [
        ("tỉnh " + p, p)
        for p in _split(
            "An Giang | Bà Rịa - Vũng Tàu | Bắc Giang | Bắc Kạn | Bạc Liêu | Bắc Ninh | Bến Tre | "
            "Bình Định | Bình Dương | Bình Phước | Bình Thuận | Cà Mau | Cao Bằng | Đắk Lắk | "
            "Đắk Nông | Điện Biên | Đồng Nai | Đồng Tháp | Gia Lai | Hà Giang | Hà Nam | Hà Tĩnh | "
            "Hải Dương | Hậu Giang | Hòa Bình | Hưng Yên | Khánh Hòa | Kiên Giang | Kon Tum | "
            "Lai Châu | Lâm Đồng | Lạng Sơn | Lào Cai | Long An | Nam Định | Nghệ An | Ninh Bình | "
            "Ninh Thuận | Phú Thọ | Phú Yên | Quảng Bình | Quảng Nam | Quảng Ngãi | Quảng Ninh | "
            "Quảng Trị | Sóc Trăng | Sơn La | Tây Ninh | Thái Bình | Thái Nguyên | Thanh Hóa | "
            "Thừa Thiên Huế | Tiền Giang | Trà Vinh | Tuyên Quang | Vĩnh Long | Vĩnh Phúc | Yên Bái"
        )
    ]
)

# Some districts (huyện) of each province, for local decisions and letters.
DISTRICTS = {
    province: _split(names)
    for province, names in {
        "Hà Giang": "Đồng Văn | Mèo Vạc | Yên Minh | Quản Bạ | Bắc Mê | Hoàng Su Phì | Xín Mần | Vị Xuyên",
        "Cao Bằng": "Bảo Lạc | Bảo Lâm | Hà Quảng | Trùng Khánh | Hạ Lang | Quảng Hòa | Thạch An | Nguyên Bình",
        "Bắc Kạn": "Pác Nặm | Ba Bể | Ngân Sơn | Chợ Đồn | Na Rì | Bạch Thông | Chợ Mới",
        "Lào Cai": "Bát Xát | Bắc Hà | Si Ma Cai | Mường Khương | Văn Bàn | Bảo Thắng | Bảo Yên",
        "Điện Biên": "Mường Nhé | Mường Chà | Tủa Chùa | Tuần Giáo | Điện Biên Đông | Mường Ảng | Nậm Pồ",
        "Lai Châu": "Sìn Hồ | Phong Thổ | Than Uyên | Mường Tè | Tam Đường | Tân Uyên | Nậm Nhùn",
        "Sơn La": "Mộc Châu | Thuận Châu | Sốp Cộp | Quỳnh Nhai | Mường La | Bắc Yên | Phù Yên | Sông Mã | Vân Hồ",
        "Yên Bái": "Mù Cang Chải | Trạm Tấu | Lục Yên | Văn Chấn | Văn Yên | Yên Bình",
        "Tuyên Quang": "Na Hang | Lâm Bình | Chiêm Hóa | Hàm Yên | Sơn Dương | Yên Sơn",
        "Lạng Sơn": "Tràng Định | Cao Lộc | Đình Lập | Văn Lãng | Bắc Sơn | Hữu Lũng | Lộc Bình | Chi Lăng",
        "Quảng Ninh": "Bình Liêu | Cô Tô | Vân Đồn | Đầm Hà | Hải Hà | Tiên Yên | Ba Chẽ",
        "Thanh Hóa": "Quan Hóa | Mường Lát | Bá Thước | Ngọc Lặc | Như Xuân | Thường Xuân | Hậu Lộc | Nga Sơn | Quan Sơn | Lang Chánh",
        "Nghệ An": "Quỳnh Lưu | Diễn Châu | Nghi Lộc | Thanh Chương | Anh Sơn | Con Cuông | Kỳ Sơn | Tương Dương | Quế Phong | Quỳ Châu | Quỳ Hợp",
        "Hà Tĩnh": "Hương Khê | Vũ Quang | Kỳ Anh | Cẩm Xuyên | Hương Sơn | Đức Thọ | Nghi Xuân",
        "Quảng Bình": "Tuyên Hóa | Minh Hóa | Bố Trạch | Lệ Thủy | Quảng Trạch",
        "Quảng Trị": "Hướng Hóa | Đakrông | Gio Linh | Vĩnh Linh | Triệu Phong | Hải Lăng | Cồn Cỏ",
        "Thừa Thiên Huế": "Nam Đông | A Lưới | Phong Điền | Quảng Điền | Phú Vang | Phú Lộc",
        "Quảng Nam": "Nam Trà My | Bắc Trà My | Nam Giang | Phước Sơn | Tây Giang | Đông Giang | Hiệp Đức | Tiên Phước | Núi Thành",
        "Quảng Ngãi": "Ba Tơ | Minh Long | Sơn Tây | Lý Sơn | Trà Bồng | Sơn Hà | Bình Sơn",
        "Bình Định": "An Lão | Vân Canh | Vĩnh Thạnh | Hoài Ân | Phù Cát | Tây Sơn",
        "Phú Yên": "Sông Hinh | Đồng Xuân | Sơn Hòa | Tuy An | Phú Hòa",
        "Khánh Hòa": "Khánh Vĩnh | Khánh Sơn | Trường Sa | Vạn Ninh | Diên Khánh | Cam Lâm",
        "Ninh Thuận": "Bác Ái | Thuận Bắc | Ninh Hải | Ninh Phước | Thuận Nam",
        "Bình Thuận": "Tuy Phong | Phú Quý | Hàm Thuận Bắc | Hàm Tân | Đức Linh | Bắc Bình",
        "Kon Tum": "Kon Plông | Sa Thầy | Ngọc Hồi | Đăk Glei | Tu Mơ Rông | Kon Rẫy | Đăk Tô",
        "Gia Lai": "Chư Prông | Chư Sê | Ia Grai | Kbang | Mang Yang | Krông Pa | Đức Cơ | Chư Păh",
        "Đắk Lắk": "Buôn Đôn | Krông Pắc | Ea Súp | Lắk | Krông Bông | Krông Năng",
        "Đắk Nông": "Đắk Mil | Đắk Song | Tuy Đức | Krông Nô | Cư Jút",
        "Lâm Đồng": "Lạc Dương | Đơn Dương | Di Linh | Cát Tiên | Đạ Huoai | Lâm Hà | Đam Rông",
        "Bình Phước": "Bù Đăng | Lộc Ninh | Bù Gia Mập | Hớn Quản | Bù Đốp",
        "Bình Dương": "Dầu Tiếng | Bàu Bàng | Phú Giáo | Bắc Tân Uyên",
        "Đồng Nai": "Tân Phú | Định Quán | Trảng Bom | Vĩnh Cửu | Nhơn Trạch | Xuân Lộc | Cẩm Mỹ",
        "Tây Ninh": "Tân Châu | Trảng Bàng | Tân Biên | Dương Minh Châu | Gò Dầu",
        "Bà Rịa - Vũng Tàu": "Côn Đảo | Xuyên Mộc | Long Điền | Đất Đỏ | Châu Đức",
        "Hồ Chí Minh": "Củ Chi | Cần Giờ | Nhà Bè | Hóc Môn | Bình Chánh",
        "Hà Nội": "Gia Lâm | Sóc Sơn | Ba Vì | Mỹ Đức | Ứng Hòa | Thạch Thất | Quốc Oai | Phú Xuyên | Mê Linh | Đông Anh",
        "Hải Phòng": "Thủy Nguyên | Cát Hải | Bạch Long Vĩ | Kiến Thụy | Tiên Lãng | Vĩnh Bảo | An Lão",
        "Đà Nẵng": "Hòa Vang | Hoàng Sa",
        "Cần Thơ": "Phong Điền | Cờ Đỏ | Thới Lai | Vĩnh Thạnh",
        "Long An": "Cần Đước | Đức Hòa | Tân Hưng | Vĩnh Hưng | Cần Giuộc | Bến Lức",
        "Tiền Giang": "Cái Bè | Gò Công Tây | Chợ Gạo | Tân Phước | Cai Lậy",
        "Bến Tre": "Mỏ Cày Nam | Thạnh Phú | Ba Tri | Bình Đại | Giồng Trôm",
        "Trà Vinh": "Cầu Ngang | Duyên Hải | Trà Cú | Cầu Kè | Tiểu Cần",
        "Vĩnh Long": "Trà Ôn | Tam Bình | Long Hồ | Mang Thít | Vũng Liêm",
        "Đồng Tháp": "Lai Vung | Tháp Mười | Hồng Ngự | Tam Nông | Lấp Vò",
        "An Giang": "Tri Tôn | Tịnh Biên | An Phú | Chợ Mới | Thoại Sơn",
        "Kiên Giang": "Phú Quốc | Kiên Hải | U Minh Thượng | Giang Thành | An Biên | Hòn Đất",
        "Hậu Giang": "Vị Thủy | Long Mỹ | Phụng Hiệp | Châu Thành A",
        "Sóc Trăng": "Cù Lao Dung | Trần Đề | Mỹ Xuyên | Thạnh Trị | Kế Sách",
        "Bạc Liêu": "Hồng Dân | Đông Hải | Phước Long | Hòa Bình",
        "Cà Mau": "Năm Căn | Ngọc Hiển | Đầm Dơi | Trần Văn Thời | U Minh | Thới Bình",
        "Phú Thọ": "Thanh Sơn | Tân Sơn | Yên Lập | Cẩm Khê | Hạ Hòa | Đoan Hùng",
        "Hòa Bình": "Mai Châu | Đà Bắc | Lạc Sơn | Kim Bôi | Tân Lạc | Lương Sơn",
        "Thái Nguyên": "Định Hóa | Võ Nhai | Đại Từ | Phú Lương | Đồng Hỷ",
        "Bắc Giang": "Lục Ngạn | Sơn Động | Yên Thế | Tân Yên | Lục Nam",
        "Ninh Bình": "Nho Quan | Gia Viễn | Kim Sơn | Yên Khánh",
        "Nam Định": "Hải Hậu | Giao Thủy | Nghĩa Hưng | Xuân Trường",
        "Thái Bình": "Tiền Hải | Thái Thụy | Quỳnh Phụ | Kiến Xương",
        "Hà Nam": "Lý Nhân | Thanh Liêm | Kim Bảng",
        "Hải Dương": "Thanh Hà | Ninh Giang | Tứ Kỳ | Gia Lộc",
        "Hưng Yên": "Khoái Châu | Văn Giang | Ân Thi | Phù Cừ",
        "Bắc Ninh": "Gia Bình | Lương Tài | Quế Võ | Tiên Du",
        "Vĩnh Phúc": "Tam Đảo | Lập Thạch | Sông Lô | Yên Lạc",
    }.items()
}  # fmt: skip
# Some communes (xã) of border and mountain provinces.
COMMUNES = {
    province: _split(names)
    for province, names in {
        "Hà Giang": "Lũng Cú | Sủng Là | Pải Lủng | Lũng Phìn | Sà Phìn | Khâu Vai | Thài Phìn Tủng | Tả Lủng",
        "Lào Cai": "Y Tý | A Mú Sung | Nậm Chạc | Bản Lầu | Pha Long | Tả Van",
        "Điện Biên": "Sín Thầu | Chung Chải | Leng Su Sìn | Nà Hỳ | Mường Toong",
        "Lai Châu": "Hua Bum | Ka Lăng | Thu Lũm | Mù Cả | Pa Vệ Sủ",
        "Sơn La": "Chiềng Khoa | Tà Xùa | Mường Lạn | Háng Đồng | Chiềng Sơ",
        "Kon Tum": "Mô Rai | Đăk Choong | Măng Cành | Đăk Nên | Rờ Kơi",
        "Quảng Nam": "Trà Leng | Trà Cang | Ga Ri | A Xan | Tà Bhing",
        "Gia Lai": "Ia Dom | Ia Chía | Ia Khươl | Kông Lơng Khơng",
        "Nghệ An": "Mường Lống | Na Ngoi | Nậm Cắn | Keng Đu | Tri Lễ | Hạnh Dịch",
        "Thanh Hóa": "Pù Nhi | Trung Lý | Na Mèo | Tam Chung | Mường Chanh",
        "Cao Bằng": "Lũng Nặm | Cốc Pàng | Đàm Thủy | Khâm Thành",
        "Quảng Trị": "A Bung | A Vao | Ba Nang | Hướng Lập",
    }.items()
}  # fmt: skip
# Small public works approved by provinces ("phê duyệt chủ trương đầu tư dự án ...").
WORKS = _split(
    "đường giao thông liên xã | cầu dân sinh | kè chống sạt lở bờ sông | trường tiểu học | "
    "trạm y tế xã | hồ chứa nước | nhà văn hóa thôn | chợ nông thôn | bãi chôn lấp chất thải rắn | "
    "kênh mương nội đồng | khu tái định cư | cụm công nghiệp | trụ sở Ủy ban nhân dân xã | "
    "hệ thống cấp nước sinh hoạt tập trung | đê bao chống lũ | nghĩa trang nhân dân | "
    "đường tuần tra biên giới | bến xe khách | trung tâm văn hóa, thể thao huyện | "
    "nâng cấp tỉnh lộ | trường mầm non | bệnh viện đa khoa huyện"
)

# --- people ---------------------------------------------------------------------------------

# Surnames roughly by frequency (Nguyễn first, and most common).
SURNAMES = _split(
    "Nguyễn | Nguyễn | Nguyễn | Nguyễn | Nguyễn | Nguyễn | Nguyễn | Nguyễn | Trần | Trần | "
    "Trần | Lê | Lê | Lê | Phạm | Phạm | Hoàng | Huỳnh | Phan | Vũ | Võ | Đặng | Bùi | Đỗ | "
    "Hồ | Ngô | Dương | Lý | Đào | Đinh | Lương | Trịnh | Mai | Tạ | Lâm | Hà | Chu | Cao | "
    "Kiều | Thái | Tô | Triệu | Vương | Phùng | La | Lưu"
)
MIDDLE_MALE = _split(
    "Văn | Văn | Văn | Đức | Minh | Quốc | Hữu | Thanh | Xuân | Công | Đình | Thế | Trọng | "
    "Mạnh | Quang | Anh | Hoàng | Ngọc | Tiến | Chí | Bá | Duy | Hồng | Phú | Việt | Tấn | Khắc"
)
MIDDLE_FEMALE = _split(
    "Thị | Thị | Thị | Thu | Thanh | Ngọc | Kim | Hồng | Minh | Mai | Phương | Bích | Thúy | Diệu"
)
GIVEN_MALE = _split(
    "Hùng | Dũng | Tuấn | Hải | Long | Nam | Phúc | Thắng | Cường | Khải | Trung | Bình | Sơn | "
    "Hòa | Toàn | Lâm | Thịnh | Vinh | Đạt | Hiếu | Kiên | Lợi | Phong | Quân | Tùng | Vượng | "
    "Chiến | Giang | Hưng | Khánh | Lộc | Nghĩa | Quý | Tâm | Thành | Trí | Tú | Việt | Định | "
    "Điền | Đông | Huy | Khoa | Luân | Nhân | Phước | Sang | Tài | Thái | Thuận | Tín | Toản | "
    "Trường | Tường | Vũ | Bảo | Cảnh | Chính | Đoàn | Hiển | Học | Kha | Liêm | Lực | Ninh | "
    "Phát | Quyết | Sỹ | Thọ | Tiến | Tuyên | Vĩnh | Khang | Hoạt | Thưởng | Dương | Kỳ | Mẫn | "
    "Bằng | Biên | Cầm | Chung | Đảm | Độ | Giáp | Hậu | Hoan | Khiêm | Khởi | Kính | Lạc | "
    "Lĩnh | Nghị | Nguyên | Phán | Quảng | Sinh | Tạo | Thiện | Thông | Thước | Tịnh | Trình | "
    "Ước | Viên | Hiệp | Thạch | Cương | Diễn | Hãn | Khôi"
)
GIVEN_FEMALE = _split(
    "Hà | Hương | Lan | Linh | Mai | Nga | Ngân | Nhung | Phương | Quyên | Thảo | Trang | Yến | "
    "Hằng | Hạnh | Hoa | Huyền | Loan | Ly | Oanh | Thủy | Vân | Xuân | Hiền | Diệp | Liên | "
    "Nguyệt | Quỳnh | Thơ | Trinh | Uyên | Châu | Dung | Hảo | Kiều | Mỹ | Nhàn | Phượng | "
    "Thắm | Tuyết | Hường | Lệ | Thoa | Ánh | Cúc | Đào | Gấm | Khuê | Ngà | Nhi | Quế | "
    "Trâm | Vy | Thư | Hậu | Hiên | Duyên | Điệp | Nhàn"
)

# --- domains --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Domain:
    """One subject matter: its title phrase, its law, sectors, lead ministries and terms."""

    name: str  # reads after "quy định về", "công tác"
    name_en: str
    law: str
    law_en: str
    fields: tuple[str, ...]
    ministries: tuple[str, ...]
    actors: tuple[str, ...]
    terms: tuple[str, ...]
    acts: tuple[str, ...]  # procedures ("cấp giấy phép ..."), read after "Hồ sơ đề nghị"
    rare: tuple[str, ...]


def _domain(
    name: str, law: str, fields: str, ministries: str, actors: str, terms: str, acts: str, rare: str
) -> Domain:
    name_vi, name_en = name.split(" / ")
    law_vi, law_en = law.split(" / ")
    return Domain(
        name_vi,
        name_en,
        law_vi,
        law_en,
        _split(fields),
        _split(ministries),
        _split(actors),
        _split(terms),
        _split(acts),
        _split(rare),
    )


_DOMAINS = (
    _domain(
        "quản lý, sử dụng tài sản công / the management and use of public assets",
        "Luật Quản lý, sử dụng tài sản công / Law on Management and Use of Public Assets",
        "Tài sản công | Tài chính nhà nước",
        "BTC",
        "cơ quan, đơn vị được giao quản lý tài sản công | đơn vị sự nghiệp công lập | cơ quan quản lý tài sản công",
        "tài sản công tại cơ quan nhà nước | trụ sở làm việc | xe ô tô phục vụ công tác | máy móc, thiết bị chuyên dùng | tiêu chuẩn, định mức sử dụng tài sản công | cơ sở dữ liệu quốc gia về tài sản công | số tiền thu được từ xử lý tài sản công | hồ sơ tài sản",
        "điều chuyển tài sản công | thanh lý tài sản công | cho thuê tài sản công | bán đấu giá tài sản công",
        "tài sản kết cấu hạ tầng thủy lợi | khai thác quỹ đất để tạo vốn | tài sản được xác lập quyền sở hữu toàn dân | hao mòn tài sản cố định vô hình",
    ),
    _domain(
        "đầu tư công / public investment",
        "Luật Đầu tư công / Law on Public Investment",
        "Đầu tư | Tài chính nhà nước",
        "BKHĐT | BTC",
        "chủ đầu tư | ban quản lý dự án | cơ quan chủ quản",
        "kế hoạch đầu tư công trung hạn | vốn ngân sách trung ương | chủ trương đầu tư | dự án nhóm A | báo cáo nghiên cứu tiền khả thi | tiến độ giải ngân | vốn đối ứng | danh mục dự án trọng điểm",
        "thẩm định chủ trương đầu tư | điều chỉnh kế hoạch đầu tư công | giao kế hoạch vốn | quyết toán dự án hoàn thành",
        "dự án có cấu phần xây dựng | vốn nước ngoài không giải ngân theo cơ chế tài chính trong nước | tổng mức đầu tư điều chỉnh | hệ thống thông tin quốc gia về đầu tư công",
    ),
    _domain(
        "quản lý thuế / tax administration",
        "Luật Quản lý thuế / Law on Tax Administration",
        "Thuế, phí, lệ phí | Doanh nghiệp",
        "BTC",
        "người nộp thuế | cơ quan quản lý thuế | tổ chức khấu trừ thuế",
        "hồ sơ khai thuế | hóa đơn điện tử | tiền chậm nộp | mã số thuế | thuế giá trị gia tăng | thuế thu nhập cá nhân | kỳ tính thuế | số thuế được hoàn",
        "hoàn thuế | gia hạn nộp thuế | khoanh nợ tiền thuế | đăng ký thuế",
        "giao dịch liên kết | chống chuyển giá | thuế tối thiểu toàn cầu | khấu trừ thuế giá trị gia tăng đầu vào | cưỡng chế nợ thuế",
    ),
    _domain(
        "phí và lệ phí / fees and charges",
        "Luật Phí và lệ phí / Law on Fees and Charges",
        "Thuế, phí, lệ phí",
        "BTC",
        "tổ chức thu phí | người nộp phí, lệ phí",
        "mức thu phí | biên lai thu phí | tờ khai phí, lệ phí | lệ phí trước bạ | phí thẩm định | lệ phí cấp giấy phép",
        "thu, nộp, quản lý và sử dụng phí | miễn, giảm lệ phí",
        "phí sử dụng đường bộ | lệ phí môn bài | phí bảo vệ môi trường đối với nước thải | phí thẩm định điều kiện kinh doanh",
    ),
    _domain(
        "quản lý ngân sách nhà nước / state budget management",
        "Luật Ngân sách nhà nước / Law on the State Budget",
        "Tài chính nhà nước | Kế toán - Kiểm toán",
        "BTC",
        "đơn vị dự toán | Kho bạc Nhà nước | cơ quan tài chính các cấp",
        "dự toán ngân sách | quyết toán ngân sách | bội chi ngân sách | số bổ sung cân đối | nhiệm vụ chi | dự phòng ngân sách | chi thường xuyên | kinh phí không thường xuyên",
        "lập, chấp hành và quyết toán ngân sách | phân bổ dự toán | kiểm soát chi",
        "tỷ lệ phần trăm phân chia nguồn thu | thời kỳ ổn định ngân sách | quỹ dự trữ tài chính | chuyển nguồn sang năm sau",
    ),
    _domain(
        "đăng ký doanh nghiệp / business registration",
        "Luật Doanh nghiệp / Law on Enterprises",
        "Doanh nghiệp | Đầu tư",
        "BKHĐT | BTC",
        "doanh nghiệp | người thành lập doanh nghiệp | cơ quan đăng ký kinh doanh",
        "giấy chứng nhận đăng ký doanh nghiệp | vốn điều lệ | người đại diện theo pháp luật | hộ kinh doanh | hệ thống thông tin quốc gia về đăng ký doanh nghiệp | điều lệ công ty | thành viên góp vốn",
        "đăng ký thành lập doanh nghiệp | thay đổi nội dung đăng ký doanh nghiệp | giải thể doanh nghiệp | tạm ngừng kinh doanh",
        "chủ sở hữu hưởng lợi | cổ phần ưu đãi biểu quyết | công ty trách nhiệm hữu hạn một thành viên | doanh nghiệp xã hội",
    ),
    _domain(
        "đầu tư kinh doanh / business investment",
        "Luật Đầu tư / Law on Investment",
        "Đầu tư | Thương mại",
        "BKHĐT | BTC",
        "nhà đầu tư | nhà đầu tư nước ngoài | tổ chức kinh tế có vốn đầu tư nước ngoài",
        "giấy chứng nhận đăng ký đầu tư | ưu đãi đầu tư | khu công nghiệp | khu kinh tế | ngành, nghề đầu tư kinh doanh có điều kiện | ký quỹ bảo đảm thực hiện dự án",
        "chấp thuận chủ trương đầu tư | điều chỉnh dự án đầu tư | chấm dứt hoạt động dự án",
        "đầu tư ra nước ngoài | hợp đồng hợp tác kinh doanh | trung tâm đổi mới sáng tạo quốc gia | suất đầu tư tối thiểu",
    ),
    _domain(
        "hải quan / customs",
        "Luật Hải quan / Customs Law",
        "Xuất nhập khẩu | Thuế, phí, lệ phí",
        "BTC",
        "người khai hải quan | cơ quan hải quan | doanh nghiệp ưu tiên",
        "tờ khai hải quan | hàng hóa xuất khẩu, nhập khẩu | kiểm tra sau thông quan | chứng nhận xuất xứ hàng hóa | cửa khẩu | kho ngoại quan | mã số hàng hóa",
        "thông quan hàng hóa | kiểm tra chuyên ngành | khai bổ sung hồ sơ hải quan",
        "tạm nhập tái xuất | hàng hóa quá cảnh | cơ chế một cửa quốc gia | phân loại hàng hóa theo danh mục",
    ),
    _domain(
        "thương mại điện tử / e-commerce",
        "Luật Thương mại / Commercial Law",
        "Thương mại | Công nghệ thông tin",
        "BCT",
        "thương nhân | người bán hàng trực tuyến | chủ sở hữu website",
        "sàn giao dịch thương mại điện tử | hợp đồng điện tử | thông tin về hàng hóa | quyền lợi người tiêu dùng | thanh toán không dùng tiền mặt | chương trình khuyến mại",
        "đăng ký website thương mại điện tử | thông báo hoạt động bán hàng",
        "nền tảng số trung gian | bán hàng qua livestream | dịch vụ logistics | hàng giả, hàng kém chất lượng",
    ),
    _domain(
        "điện lực / electricity",
        "Luật Điện lực / Law on Electricity",
        "Năng lượng | Thương mại",
        "BCT",
        "đơn vị điện lực | khách hàng sử dụng điện | đơn vị vận hành hệ thống điện",
        "giá bán lẻ điện | lưới điện truyền tải | thị trường điện cạnh tranh | điện mặt trời mái nhà | năng lượng tái tạo | sử dụng năng lượng tiết kiệm | quy hoạch phát triển điện lực",
        "cấp giấy phép hoạt động điện lực | mua bán điện | điều chỉnh giá điện",
        "hợp đồng mua bán điện trực tiếp | điện gió ngoài khơi | lưới điện phân phối trung áp | nguồn điện tự sản xuất, tự tiêu thụ",
    ),
    _domain(
        "hoạt động xây dựng / construction activities",
        "Luật Xây dựng / Law on Construction",
        "Xây dựng - Đô thị",
        "BXD",
        "chủ đầu tư xây dựng | nhà thầu thi công | tổ chức tư vấn thiết kế",
        "giấy phép xây dựng | thiết kế xây dựng | chất lượng công trình xây dựng | định mức dự toán xây dựng | chứng chỉ hành nghề | nghiệm thu công trình | bảo hành công trình",
        "cấp giấy phép xây dựng | thẩm định báo cáo nghiên cứu khả thi | nghiệm thu hoàn thành công trình",
        "suất vốn đầu tư xây dựng | mô hình thông tin công trình | công trình cấp đặc biệt | chỉ số giá xây dựng",
    ),
    _domain(
        "nhà ở / housing",
        "Luật Nhà ở / Law on Housing",
        "Bất động sản | Xây dựng - Đô thị",
        "BXD",
        "chủ sở hữu nhà ở | người mua nhà ở xã hội | chủ đầu tư dự án nhà ở",
        "nhà ở xã hội | nhà chung cư | kinh phí bảo trì nhà chung cư | nhà ở thương mại | giá thuê mua nhà ở | phát triển nhà ở",
        "mua, thuê mua nhà ở xã hội | cải tạo, xây dựng lại nhà chung cư | công nhận quyền sở hữu nhà ở",
        "nhà ở cho lực lượng vũ trang | ban quản trị nhà chung cư | diện tích sử dụng căn hộ | nhà lưu trú công nhân",
    ),
    _domain(
        "đất đai / land",
        "Luật Đất đai / Land Law",
        "Đất đai | Tài nguyên - Môi trường",
        "BTNMT | BNNMT",
        "người sử dụng đất | tổ chức phát triển quỹ đất | văn phòng đăng ký đất đai",
        "giấy chứng nhận quyền sử dụng đất | bảng giá đất | bồi thường, hỗ trợ, tái định cư | quy hoạch sử dụng đất | tiền sử dụng đất | hạn mức giao đất | đất trồng lúa",
        "giao đất, cho thuê đất | chuyển mục đích sử dụng đất | thu hồi đất | đăng ký biến động đất đai",
        "đất chưa sử dụng | hệ số điều chỉnh giá đất | thửa đất liền kề | đất có mặt nước chuyên dùng | lấn, chiếm đất",
    ),
    _domain(
        "bảo vệ môi trường / environmental protection",
        "Luật Bảo vệ môi trường / Law on Environmental Protection",
        "Tài nguyên - Môi trường",
        "BTNMT | BNNMT",
        "chủ dự án đầu tư | cơ sở sản xuất, kinh doanh, dịch vụ | tổ chức quan trắc môi trường",
        "đánh giá tác động môi trường | giấy phép môi trường | chất thải rắn sinh hoạt | chất thải nguy hại | nước thải công nghiệp | quan trắc môi trường | ô nhiễm không khí",
        "cấp giấy phép môi trường | thẩm định báo cáo đánh giá tác động môi trường | vận hành thử nghiệm công trình xử lý chất thải",
        "trách nhiệm mở rộng của nhà sản xuất | tín chỉ các-bon | phân loại chất thải tại nguồn | kiểm kê khí nhà kính | bảo tồn đa dạng sinh học",
    ),
    _domain(
        "tài nguyên nước / water resources",
        "Luật Tài nguyên nước / Law on Water Resources",
        "Tài nguyên - Môi trường | Nông nghiệp",
        "BTNMT | BNNMT",
        "tổ chức, cá nhân khai thác tài nguyên nước | cơ quan quản lý tài nguyên nước",
        "giấy phép khai thác nước dưới đất | nguồn nước liên tỉnh | hành lang bảo vệ nguồn nước | tiền cấp quyền khai thác tài nguyên nước | an ninh nguồn nước",
        "cấp giấy phép khai thác, sử dụng tài nguyên nước | xả nước thải vào nguồn nước",
        "dòng chảy tối thiểu | vận hành liên hồ chứa | bổ sung nhân tạo nước dưới đất | phục hồi nguồn nước bị suy thoái",
    ),
    _domain(
        "khoáng sản / minerals",
        "Luật Khoáng sản / Law on Minerals",
        "Tài nguyên - Môi trường | Năng lượng",
        "BTNMT | BNNMT",
        "tổ chức khai thác khoáng sản | cơ quan quản lý nhà nước về khoáng sản",
        "giấy phép thăm dò khoáng sản | mỏ khoáng sản | khoáng sản làm vật liệu xây dựng thông thường | tiền cấp quyền khai thác khoáng sản | đề án đóng cửa mỏ",
        "cấp giấy phép khai thác khoáng sản | đấu giá quyền khai thác khoáng sản",
        "trữ lượng địa chất | khu vực cấm hoạt động khoáng sản | đất hiếm | cát, sỏi lòng sông",
    ),
    _domain(
        "trật tự, an toàn giao thông đường bộ / road traffic order and safety",
        "Luật Trật tự, an toàn giao thông đường bộ / Law on Road Traffic Order and Safety",
        "Giao thông - Vận tải | Quốc phòng - An ninh",
        "BGTVT | BCA",
        "người điều khiển phương tiện | đơn vị kinh doanh vận tải | lực lượng cảnh sát giao thông",
        "giấy phép lái xe | đăng ký xe | kết cấu hạ tầng giao thông đường bộ | kiểm định xe cơ giới | thiết bị giám sát hành trình | tốc độ tối đa cho phép",
        "sát hạch, cấp giấy phép lái xe | đăng ký, cấp biển số xe | cấp phù hiệu xe",
        "trừ điểm giấy phép lái xe | nồng độ cồn trong máu | thiết bị an toàn cho trẻ em | làn đường dành riêng",
    ),
    _domain(
        "giao thông đường thủy nội địa / inland waterway transport",
        "Luật Giao thông đường thủy nội địa / Law on Inland Waterway Transport",
        "Giao thông - Vận tải",
        "BGTVT | BXD",
        "chủ phương tiện | thuyền viên | cảng vụ đường thủy nội địa",
        "cảng thủy nội địa | phương tiện thủy nội địa | luồng hàng hải | vận tải đa phương thức | cảng cạn | bến thủy nội địa",
        "đăng ký phương tiện thủy nội địa | công bố mở cảng | cấp chứng chỉ chuyên môn thuyền viên",
        "bến khách ngang sông | hoa tiêu hàng hải | tàu biển mang cờ quốc tịch Việt Nam | nạo vét luồng",
    ),
    _domain(
        "chuyển đổi số / digital transformation",
        "Luật Giao dịch điện tử / Law on Electronic Transactions",
        "Chuyển đổi số | Công nghệ thông tin",
        "BTTTT | BKHCN",
        "cơ quan nhà nước | chủ quản hệ thống thông tin | tổ chức cung cấp dịch vụ tin cậy",
        "chữ ký số | dịch vụ công trực tuyến | cơ sở dữ liệu quốc gia | nền tảng chia sẻ, tích hợp dữ liệu | chứng thư chữ ký số | hệ thống thông tin giải quyết thủ tục hành chính | định danh điện tử",
        "kết nối, chia sẻ dữ liệu | cấp chứng thư chữ ký số",
        "điện toán đám mây | khung kiến trúc Chính phủ số | dữ liệu mở | trục liên thông văn bản quốc gia | nền tảng tích hợp, chia sẻ dữ liệu cấp bộ",
    ),
    _domain(
        "an toàn thông tin mạng / network information security",
        "Luật An toàn thông tin mạng / Law on Network Information Security",
        "Công nghệ thông tin | Quốc phòng - An ninh",
        "BTTTT | BCA",
        "chủ quản hệ thống thông tin | đơn vị vận hành hệ thống thông tin | doanh nghiệp viễn thông",
        "hệ thống thông tin cấp độ 3 | sự cố an toàn thông tin | dữ liệu cá nhân | mã độc | giám sát an toàn thông tin | phương án ứng cứu sự cố",
        "phê duyệt hồ sơ đề xuất cấp độ | ứng cứu sự cố an toàn thông tin mạng",
        "tấn công từ chối dịch vụ | kiểm thử xâm nhập | bảo vệ dữ liệu cá nhân nhạy cảm | mạng lưới ứng cứu sự cố",
    ),
    _domain(
        "báo chí, xuất bản / the press and publishing",
        "Luật Báo chí / Law on the Press",
        "Văn hóa - Xã hội | Công nghệ thông tin",
        "BTTTT | BVHTTDL",
        "cơ quan báo chí | nhà báo | cơ quan chủ quản báo chí",
        "giấy phép hoạt động báo chí | thẻ nhà báo | trang thông tin điện tử tổng hợp | thông tin sai sự thật | quy hoạch phát triển và quản lý báo chí | xuất bản phẩm",
        "cấp thẻ nhà báo | cấp giấy phép xuất bản bản tin",
        "tạp chí khoa học | cải chính trên báo chí | kênh truyền hình thiết yếu | lưu chiểu xuất bản phẩm",
    ),
    _domain(
        "khám bệnh, chữa bệnh / medical examination and treatment",
        "Luật Khám bệnh, chữa bệnh / Law on Medical Examination and Treatment",
        "Y tế",
        "BYT",
        "cơ sở khám bệnh, chữa bệnh | người hành nghề | người bệnh",
        "giấy phép hành nghề | hồ sơ bệnh án điện tử | chuyển tuyến | dịch vụ kỹ thuật y tế | giá dịch vụ khám bệnh, chữa bệnh | sự cố y khoa | bệnh viện tuyến tỉnh",
        "cấp giấy phép hoạt động khám bệnh, chữa bệnh | đánh giá chất lượng bệnh viện",
        "y học cổ truyền | khám bệnh từ xa | phân tuyến chuyên môn kỹ thuật | điều trị nội trú ban ngày",
    ),
    _domain(
        "dược / pharmaceuticals",
        "Luật Dược / Law on Pharmacy",
        "Y tế | Thương mại",
        "BYT",
        "cơ sở kinh doanh dược | cơ sở bán lẻ thuốc | người hành nghề dược",
        "giấy đăng ký lưu hành thuốc | chứng chỉ hành nghề dược | thuốc kê đơn | thực hành tốt phân phối thuốc | đấu thầu thuốc | thuốc hiếm",
        "cấp giấy đăng ký lưu hành thuốc | thu hồi thuốc | kê đơn thuốc",
        "sinh phẩm tham chiếu | tương đương sinh học | dược liệu | thuốc phóng xạ | cảnh giác dược",
    ),
    _domain(
        "phòng, chống bệnh truyền nhiễm / the prevention and control of infectious diseases",
        "Luật Phòng, chống bệnh truyền nhiễm / Law on Prevention and Control of Infectious Diseases",
        "Y tế",
        "BYT",
        "cơ sở y tế dự phòng | trung tâm kiểm soát bệnh tật | người mắc bệnh truyền nhiễm",
        "tiêm chủng mở rộng | giám sát bệnh truyền nhiễm | cách ly y tế | vắc xin | an toàn thực phẩm | dịch bệnh nguy hiểm",
        "công bố dịch | kiểm dịch y tế biên giới",
        "sốt xuất huyết | bệnh dại | ngộ độc thực phẩm | phòng xét nghiệm an toàn sinh học cấp III",
    ),
    _domain(
        "bảo hiểm xã hội / social insurance",
        "Luật Bảo hiểm xã hội / Law on Social Insurance",
        "Bảo hiểm | Lao động - Tiền lương",
        "BLĐTBXH | BNV",
        "người lao động | người sử dụng lao động | cơ quan bảo hiểm xã hội",
        "chế độ hưu trí | trợ cấp ốm đau | chế độ thai sản | mức đóng bảo hiểm xã hội | sổ bảo hiểm xã hội | bảo hiểm y tế | thẻ bảo hiểm y tế | trợ cấp hưu trí xã hội",
        "giải quyết chế độ bảo hiểm xã hội | cấp lại sổ bảo hiểm xã hội",
        "chậm đóng, trốn đóng bảo hiểm xã hội | bảo hiểm xã hội tự nguyện | tai nạn lao động, bệnh nghề nghiệp | hưởng bảo hiểm xã hội một lần",
    ),
    _domain(
        "tiền lương / wages",
        "Bộ luật Lao động / Labour Code",
        "Lao động - Tiền lương",
        "BLĐTBXH | BNV",
        "người lao động | người sử dụng lao động | tổ chức đại diện người lao động",
        "mức lương tối thiểu vùng | hợp đồng lao động | thời giờ làm việc | làm thêm giờ | thang lương, bảng lương | an toàn, vệ sinh lao động | thỏa ước lao động tập thể",
        "đăng ký nội quy lao động | cấp giấy phép lao động cho người nước ngoài",
        "cho thuê lại lao động | tranh chấp lao động tập thể | hòa giải viên lao động | trợ cấp thôi việc",
    ),
    _domain(
        "giáo dục phổ thông / general education",
        "Luật Giáo dục / Law on Education",
        "Giáo dục",
        "BGDĐT",
        "cơ sở giáo dục phổ thông | nhà giáo | học sinh | cha mẹ học sinh",
        "chương trình giáo dục phổ thông | sách giáo khoa | kỳ thi tốt nghiệp trung học phổ thông | kiểm định chất lượng giáo dục | trường đạt chuẩn quốc gia | học phí",
        "tuyển sinh trung học phổ thông | đánh giá học sinh | lựa chọn sách giáo khoa",
        "trường phổ thông dân tộc nội trú | giáo dục hòa nhập | dạy thêm, học thêm | phổ cập giáo dục mầm non cho trẻ em năm tuổi",
    ),
    _domain(
        "giáo dục đại học / higher education",
        "Luật Giáo dục đại học / Law on Higher Education",
        "Giáo dục | Khoa học - Công nghệ",
        "BGDĐT",
        "cơ sở giáo dục đại học | giảng viên | người học",
        "tự chủ đại học | chuẩn chương trình đào tạo | văn bằng, chứng chỉ | tuyển sinh đại học | đào tạo tiến sĩ | hội đồng trường",
        "mở ngành đào tạo | công nhận văn bằng do cơ sở giáo dục nước ngoài cấp",
        "liên kết đào tạo với nước ngoài | chỉ tiêu tuyển sinh | giảng viên thỉnh giảng | tín chỉ tích lũy",
    ),
    _domain(
        "giáo dục nghề nghiệp / vocational education",
        "Luật Giáo dục nghề nghiệp / Law on Vocational Education",
        "Giáo dục | Lao động - Tiền lương",
        "BLĐTBXH | BGDĐT",
        "cơ sở giáo dục nghề nghiệp | nhà giáo giáo dục nghề nghiệp | người học nghề",
        "trường cao đẳng | đào tạo trình độ sơ cấp | kỹ năng nghề quốc gia | đào tạo nghề cho lao động nông thôn",
        "đăng ký hoạt động giáo dục nghề nghiệp | đánh giá, cấp chứng chỉ kỹ năng nghề",
        "đào tạo theo hình thức kèm cặp nghề | nghề trọng điểm | doanh nghiệp tham gia đào tạo",
    ),
    _domain(
        "công chức, viên chức / civil servants and public employees",
        "Luật Cán bộ, công chức / Law on Cadres and Civil Servants",
        "Cán bộ, công chức, viên chức | Bộ máy hành chính",
        "BNV",
        "cán bộ, công chức | viên chức | người đứng đầu cơ quan, đơn vị",
        "vị trí việc làm | biên chế công chức | ngạch công chức | tiêu chuẩn chức danh | đánh giá, xếp loại chất lượng | thi tuyển công chức | chế độ phụ cấp",
        "tuyển dụng công chức | bổ nhiệm, bổ nhiệm lại | nâng bậc lương thường xuyên | xử lý kỷ luật công chức",
        "tinh giản biên chế | luân chuyển cán bộ | thu hút người có tài năng | chức danh nghề nghiệp viên chức",
    ),
    _domain(
        "tổ chức bộ máy hành chính nhà nước / the organisation of the state administrative apparatus",
        "Luật Tổ chức chính quyền địa phương / Law on Organisation of Local Government",
        "Bộ máy hành chính",
        "BNV",
        "Ủy ban nhân dân các cấp | Hội đồng nhân dân | cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh",
        "đơn vị hành chính cấp xã | sắp xếp đơn vị hành chính | chức năng, nhiệm vụ, quyền hạn | cơ cấu tổ chức | phân cấp, phân quyền | ủy quyền",
        "thành lập, tổ chức lại, giải thể | sắp xếp tổ chức bộ máy",
        "chính quyền địa phương hai cấp | mô hình chính quyền đô thị | tiêu chuẩn của đơn vị hành chính | đặc khu",
    ),
    _domain(
        "thi đua, khen thưởng / emulation and commendation",
        "Luật Thi đua, khen thưởng / Law on Emulation and Commendation",
        "Thi đua - Khen thưởng",
        "BNV",
        "hội đồng thi đua, khen thưởng | tập thể, cá nhân được khen thưởng",
        "Bằng khen của Thủ tướng Chính phủ | danh hiệu Chiến sĩ thi đua | Huân chương Lao động | phong trào thi đua | Cờ thi đua | hồ sơ đề nghị khen thưởng",
        "xét tặng danh hiệu thi đua | đề nghị khen thưởng",
        "danh hiệu Anh hùng Lao động | Huy chương Vì sự nghiệp | khen thưởng đột xuất | Giấy khen",
    ),
    _domain(
        "hộ tịch / civil status registration",
        "Luật Hộ tịch / Law on Civil Status",
        "Tư pháp | Quyền dân sự",
        "BTP",
        "người yêu cầu đăng ký hộ tịch | công chức tư pháp - hộ tịch",
        "giấy khai sinh | đăng ký kết hôn | trích lục hộ tịch | cơ sở dữ liệu hộ tịch điện tử | sổ hộ tịch | xác nhận tình trạng hôn nhân",
        "đăng ký khai sinh | đăng ký khai tử | cải chính hộ tịch",
        "nhận cha, mẹ, con | ghi chú ly hôn | đăng ký giám hộ | việc hộ tịch có yếu tố nước ngoài",
    ),
    _domain(
        "xây dựng và ban hành văn bản quy phạm pháp luật / the drafting and promulgation of legal normative documents",
        "Luật Ban hành văn bản quy phạm pháp luật / Law on Promulgation of Legal Normative Documents",
        "Bộ máy hành chính | Tư pháp",
        "BTP",
        "cơ quan chủ trì soạn thảo | cơ quan thẩm định | hội đồng tư vấn thẩm định",
        "đề nghị xây dựng văn bản | hồ sơ dự thảo | báo cáo đánh giá tác động của chính sách | lấy ý kiến đối tượng chịu sự tác động | kiểm tra, rà soát văn bản | hệ thống hóa văn bản | cơ sở dữ liệu quốc gia về pháp luật",
        "thẩm định dự thảo | kiểm tra văn bản",
        "trình tự, thủ tục rút gọn | hợp nhất văn bản | pháp điển hệ thống quy phạm pháp luật | tổng kết thi hành pháp luật",
    ),
    _domain(
        "xử lý vi phạm hành chính / the handling of administrative violations",
        "Luật Xử lý vi phạm hành chính / Law on Handling of Administrative Violations",
        "Vi phạm hành chính",
        "BTP",
        "người có thẩm quyền xử phạt | cá nhân, tổ chức vi phạm",
        "biên bản vi phạm hành chính | quyết định xử phạt | mức phạt tiền | hình thức xử phạt bổ sung | biện pháp khắc phục hậu quả | tang vật, phương tiện | tình tiết giảm nhẹ",
        "lập biên bản vi phạm hành chính | cưỡng chế thi hành quyết định xử phạt | tạm giữ tang vật",
        "thời hiệu xử phạt | tước quyền sử dụng giấy phép | đưa vào cơ sở giáo dục bắt buộc | nộp phạt qua dịch vụ bưu chính",
    ),
    _domain(
        "thi hành án dân sự / civil judgment enforcement",
        "Luật Thi hành án dân sự / Law on Enforcement of Civil Judgments",
        "Thủ tục tố tụng | Tư pháp",
        "BTP",
        "chấp hành viên | người được thi hành án | người phải thi hành án",
        "quyết định thi hành án | kê biên tài sản | cưỡng chế thi hành án | thừa phát lại | án phí | hoãn thi hành án",
        "xác minh điều kiện thi hành án | bán đấu giá tài sản kê biên",
        "ủy thác thi hành án | vi bằng | phong tỏa tài khoản | chưa có điều kiện thi hành",
    ),
    _domain(
        "công chứng, chứng thực / notarisation and certification",
        "Luật Công chứng / Law on Notarisation",
        "Dịch vụ pháp lý | Tư pháp",
        "BTP",
        "công chứng viên | tổ chức hành nghề công chứng | người yêu cầu công chứng",
        "văn bản công chứng | hợp đồng, giao dịch | lời chứng của công chứng viên | chứng thực bản sao từ bản chính | trợ giúp pháp lý | tổ chức hành nghề luật sư",
        "bổ nhiệm công chứng viên | chứng thực chữ ký",
        "văn phòng công chứng | bảo hiểm trách nhiệm nghề nghiệp | người thực hiện trợ giúp pháp lý | tư vấn pháp luật miễn phí",
    ),
    _domain(
        "hoạt động ngân hàng / banking activities",
        "Luật Các tổ chức tín dụng / Law on Credit Institutions",
        "Tiền tệ - Ngân hàng",
        "NHNN",
        "tổ chức tín dụng | chi nhánh ngân hàng nước ngoài | khách hàng vay",
        "hoạt động cho vay | tỷ lệ an toàn vốn | nợ xấu | lãi suất tiền gửi | dịch vụ thanh toán | tài khoản thanh toán | dự trữ bắt buộc | hạn mức tín dụng",
        "cấp giấy phép thành lập tổ chức tín dụng | cơ cấu lại thời hạn trả nợ | mở tài khoản thanh toán",
        "trung gian thanh toán | ví điện tử | kiểm soát đặc biệt | tài sản bảo đảm | bảo hiểm tiền gửi",
    ),
    _domain(
        "chứng khoán / securities",
        "Luật Chứng khoán / Law on Securities",
        "Chứng khoán | Doanh nghiệp",
        "BTC",
        "công ty đại chúng | công ty chứng khoán | nhà đầu tư chứng khoán",
        "chào bán chứng khoán ra công chúng | công bố thông tin | trái phiếu doanh nghiệp | quỹ đầu tư chứng khoán | niêm yết chứng khoán | thị trường chứng khoán",
        "đăng ký chào bán | niêm yết, đăng ký giao dịch",
        "chứng quyền có bảo đảm | giao dịch ký quỹ | thao túng thị trường | nhà đầu tư chứng khoán chuyên nghiệp",
    ),
    _domain(
        "kế toán / accounting",
        "Luật Kế toán / Law on Accounting",
        "Kế toán - Kiểm toán",
        "BTC",
        "đơn vị kế toán | kế toán trưởng | doanh nghiệp kiểm toán",
        "chứng từ kế toán | sổ kế toán | báo cáo tài chính | chế độ kế toán | chuẩn mực kế toán | kiểm toán độc lập | hệ thống tài khoản kế toán",
        "kiểm toán báo cáo tài chính | lưu trữ tài liệu kế toán",
        "chuẩn mực báo cáo tài chính quốc tế | dịch vụ làm thủ tục về thuế | kế toán hành chính, sự nghiệp | kiểm kê tài sản",
    ),
    _domain(
        "trồng trọt / crop production",
        "Luật Trồng trọt / Law on Crop Production",
        "Nông nghiệp",
        "BNNMT",
        "tổ chức, cá nhân sản xuất | hợp tác xã nông nghiệp | hộ nông dân",
        "giống cây trồng | phân bón | thuốc bảo vệ thực vật | vùng trồng | chuyển đổi cơ cấu cây trồng | mã số vùng trồng | sản xuất nông nghiệp hữu cơ",
        "công nhận lưu hành giống cây trồng | cấp mã số vùng trồng",
        "sinh vật gây hại | canh tác trên đất dốc | cánh đồng lớn | nông nghiệp công nghệ cao",
    ),
    _domain(
        "chăn nuôi, thú y / animal husbandry and veterinary medicine",
        "Luật Thú y / Law on Veterinary Medicine",
        "Nông nghiệp",
        "BNNMT",
        "cơ sở chăn nuôi | người hành nghề thú y | cơ quan quản lý chuyên ngành thú y",
        "dịch bệnh động vật | kiểm dịch động vật | thức ăn chăn nuôi | thuốc thú y | vùng an toàn dịch bệnh | cơ sở giết mổ",
        "kiểm dịch động vật, sản phẩm động vật | cấp chứng chỉ hành nghề thú y",
        "dịch tả lợn châu Phi | cúm gia cầm | lở mồm long móng | giết mổ động vật tập trung",
    ),
    _domain(
        "lâm nghiệp / forestry",
        "Luật Lâm nghiệp / Law on Forestry",
        "Lâm nghiệp | Tài nguyên - Môi trường",
        "BNNMT",
        "chủ rừng | ban quản lý rừng phòng hộ | lực lượng kiểm lâm",
        "rừng phòng hộ | rừng đặc dụng | rừng sản xuất | chi trả dịch vụ môi trường rừng | trồng rừng thay thế | phòng cháy, chữa cháy rừng | lâm sản",
        "chuyển mục đích sử dụng rừng | giao rừng, cho thuê rừng | khai thác lâm sản",
        "hồ sơ lâm sản hợp pháp | vườn quốc gia | khu bảo tồn thiên nhiên | cây gỗ quý hiếm",
    ),
    _domain(
        "thủy sản / fisheries",
        "Luật Thủy sản / Law on Fisheries",
        "Thủy sản | Nông nghiệp",
        "BNNMT",
        "chủ tàu cá | tổ chức, cá nhân nuôi trồng thủy sản | ban quản lý cảng cá",
        "khai thác thủy sản | tàu cá | nuôi trồng thủy sản | giấy phép khai thác thủy sản | nguồn lợi thủy sản | cảng cá",
        "đăng ký tàu cá | cấp giấy phép khai thác thủy sản",
        "khai thác bất hợp pháp, không báo cáo và không theo quy định | thiết bị giám sát hành trình tàu cá | khu bảo tồn biển | nghề lưới kéo",
    ),
    _domain(
        "phòng, chống thiên tai / natural disaster prevention and control",
        "Luật Phòng, chống thiên tai / Law on Natural Disaster Prevention and Control",
        "Nông nghiệp | Tài nguyên - Môi trường",
        "BNNMT",
        "ban chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn | lực lượng xung kích",
        "cấp độ rủi ro thiên tai | bão, áp thấp nhiệt đới | lũ quét, sạt lở đất | đê điều | công trình thủy lợi | quỹ phòng, chống thiên tai | cảnh báo sớm",
        "sơ tán dân | khắc phục hậu quả thiên tai",
        "hồ chứa nước | vận hành xả lũ | vùng trũng thấp | hạn hán, xâm nhập mặn",
    ),
    _domain(
        "di sản văn hóa / cultural heritage",
        "Luật Di sản văn hóa / Law on Cultural Heritage",
        "Văn hóa - Xã hội",
        "BVHTTDL",
        "ban quản lý di tích | chủ sở hữu di sản văn hóa | nghệ nhân",
        "di tích lịch sử - văn hóa | bảo vật quốc gia | di sản văn hóa phi vật thể | lễ hội truyền thống | bảo tàng | tu bổ, phục hồi di tích",
        "xếp hạng di tích | cấp phép khai quật khảo cổ",
        "nghệ nhân nhân dân | hiện vật khảo cổ | khu vực bảo vệ di tích | di sản tư liệu",
    ),
    _domain(
        "du lịch / tourism",
        "Luật Du lịch / Law on Tourism",
        "Thể thao - Du lịch | Văn hóa - Xã hội",
        "BVHTTDL",
        "doanh nghiệp kinh doanh dịch vụ lữ hành | hướng dẫn viên du lịch | khách du lịch",
        "khu du lịch quốc gia | cơ sở lưu trú du lịch | xúc tiến du lịch | sản phẩm du lịch | thẻ hướng dẫn viên du lịch",
        "cấp thẻ hướng dẫn viên du lịch | công nhận điểm du lịch",
        "du lịch cộng đồng | ký quỹ kinh doanh dịch vụ lữ hành | thị thực điện tử | du lịch nông thôn",
    ),
    _domain(
        "thể dục, thể thao / physical training and sports",
        "Luật Thể dục, thể thao / Law on Physical Training and Sports",
        "Thể thao - Du lịch",
        "BVHTTDL",
        "vận động viên | huấn luyện viên | liên đoàn thể thao quốc gia",
        "đại hội thể dục thể thao | thể thao thành tích cao | giải thi đấu | cơ sở thể thao | thể thao quần chúng",
        "tổ chức giải thi đấu | phong đẳng cấp vận động viên",
        "chế độ dinh dưỡng đặc thù | võ cổ truyền | thể thao cho người khuyết tật",
    ),
    _domain(
        "quốc phòng / national defence",
        "Luật Quốc phòng / Law on National Defence",
        "Quốc phòng - An ninh",
        "BQP",
        "Bộ Chỉ huy quân sự cấp tỉnh | dân quân tự vệ | quân nhân",
        "nghĩa vụ quân sự | khu vực phòng thủ | giáo dục quốc phòng và an ninh | lực lượng dự bị động viên | công trình quốc phòng | diễn tập",
        "gọi công dân nhập ngũ | đăng ký nghĩa vụ quân sự",
        "sĩ quan dự bị | quân nhân chuyên nghiệp | khu quân sự | tạm hoãn gọi nhập ngũ",
    ),
    _domain(
        "cư trú và căn cước / residence and identification",
        "Luật Cư trú / Law on Residence",
        "Quốc phòng - An ninh | Quyền dân sự",
        "BCA",
        "công dân | cơ quan đăng ký cư trú | Công an cấp xã",
        "thẻ căn cước | đăng ký thường trú | đăng ký tạm trú | Cơ sở dữ liệu quốc gia về dân cư | số định danh cá nhân | tài khoản định danh điện tử",
        "đăng ký thường trú | cấp thẻ căn cước | khai báo tạm vắng",
        "giấy chứng nhận căn cước | ứng dụng định danh quốc gia | thông tin sinh trắc học | thông báo lưu trú",
    ),
    _domain(
        "phòng cháy, chữa cháy / fire prevention and fighting",
        "Luật Phòng cháy, chữa cháy / Law on Fire Prevention and Fighting",
        "Quốc phòng - An ninh | Xây dựng - Đô thị",
        "BCA",
        "người đứng đầu cơ sở | lực lượng phòng cháy và chữa cháy | chủ hộ gia đình",
        "thiết kế về phòng cháy, chữa cháy | phương án chữa cháy | cứu nạn, cứu hộ | phương tiện phòng cháy | nhà ở kết hợp kinh doanh | lối thoát nạn",
        "thẩm duyệt thiết kế về phòng cháy, chữa cháy | nghiệm thu về phòng cháy, chữa cháy",
        "hệ thống báo cháy tự động | đội phòng cháy và chữa cháy cơ sở | cơ sở có nguy hiểm về cháy, nổ | vật liệu chống cháy",
    ),
    _domain(
        "khoa học và công nghệ / science and technology",
        "Luật Khoa học và công nghệ / Law on Science and Technology",
        "Khoa học - Công nghệ",
        "BKHCN",
        "tổ chức khoa học và công nghệ | nhà khoa học | doanh nghiệp khoa học và công nghệ",
        "nhiệm vụ khoa học và công nghệ | quỹ phát triển khoa học và công nghệ | chuyển giao công nghệ | đổi mới sáng tạo | kết quả nghiên cứu | phòng thí nghiệm trọng điểm",
        "tuyển chọn, giao trực tiếp nhiệm vụ | đánh giá, nghiệm thu kết quả",
        "cơ chế thử nghiệm có kiểm soát | khoán chi đến sản phẩm cuối cùng | công nghệ chiến lược | hệ sinh thái khởi nghiệp",
    ),
    _domain(
        "sở hữu trí tuệ / intellectual property",
        "Luật Sở hữu trí tuệ / Law on Intellectual Property",
        "Sở hữu trí tuệ | Khoa học - Công nghệ",
        "BKHCN",
        "chủ sở hữu văn bằng bảo hộ | tổ chức dịch vụ đại diện sở hữu công nghiệp | tác giả",
        "văn bằng bảo hộ | nhãn hiệu | sáng chế | kiểu dáng công nghiệp | chỉ dẫn địa lý | quyền tác giả | giống cây trồng mới",
        "đăng ký sáng chế | thẩm định đơn đăng ký nhãn hiệu",
        "nhãn hiệu nổi tiếng | quyền liên quan đến quyền tác giả | bí mật kinh doanh | giám định sở hữu trí tuệ",
    ),
    _domain(
        "tiêu chuẩn, đo lường, chất lượng / standards, metrology and quality",
        "Luật Chất lượng sản phẩm, hàng hóa / Law on Product and Goods Quality",
        "Khoa học - Công nghệ | Thương mại",
        "BKHCN",
        "tổ chức đánh giá sự phù hợp | cơ sở sản xuất, kinh doanh | cơ quan kiểm tra chất lượng",
        "quy chuẩn kỹ thuật quốc gia | tiêu chuẩn quốc gia | chứng nhận hợp quy | phương tiện đo | nhãn hàng hóa",
        "công bố hợp quy | kiểm định phương tiện đo",
        "mã số, mã vạch | truy xuất nguồn gốc | chuẩn đo lường | sản phẩm, hàng hóa nhóm 2",
    ),
    _domain(
        "tín ngưỡng, tôn giáo / belief and religion",
        "Luật Tín ngưỡng, tôn giáo / Law on Belief and Religion",
        "Dân tộc - Tôn giáo | Văn hóa - Xã hội",
        "BNV | BDTTG",
        "tổ chức tôn giáo | người đại diện cơ sở tín ngưỡng | người có uy tín trong đồng bào dân tộc thiểu số",
        "cơ sở tín ngưỡng | sinh hoạt tôn giáo tập trung | vùng đồng bào dân tộc thiểu số và miền núi | chương trình mục tiêu quốc gia | hoạt động tín ngưỡng",
        "đăng ký sinh hoạt tôn giáo tập trung | công nhận tổ chức tôn giáo",
        "xã đặc biệt khó khăn | dân tộc thiểu số rất ít người | chức sắc, chức việc | lễ hội tín ngưỡng",
    ),
    _domain(
        "trợ giúp xã hội / social assistance",
        "Luật Người khuyết tật / Law on Persons with Disabilities",
        "Văn hóa - Xã hội | Bảo hiểm",
        "BLĐTBXH | BNV",
        "đối tượng bảo trợ xã hội | người khuyết tật | cơ sở trợ giúp xã hội",
        "trợ cấp xã hội hằng tháng | hộ nghèo | chuẩn nghèo đa chiều | người có công với cách mạng | trẻ em có hoàn cảnh đặc biệt | hộ cận nghèo",
        "xác định mức độ khuyết tật | rà soát hộ nghèo, hộ cận nghèo",
        "hỗ trợ nhà ở cho người có công | điều dưỡng phục hồi sức khỏe | Bà mẹ Việt Nam anh hùng | trợ giúp xã hội khẩn cấp",
    ),
    _domain(
        "tiếp công dân, giải quyết khiếu nại, tố cáo / citizen reception and complaints",
        "Luật Khiếu nại / Law on Complaints",
        "Bộ máy hành chính | Thủ tục tố tụng",
        "TTCP",
        "người khiếu nại | người tố cáo | người giải quyết khiếu nại | đoàn thanh tra",
        "đơn khiếu nại | kết luận thanh tra | tiếp công dân định kỳ | quyết định giải quyết khiếu nại | xác minh nội dung tố cáo | kê khai tài sản, thu nhập",
        "giải quyết khiếu nại lần đầu | tiếp nhận, xử lý đơn | thanh tra đột xuất",
        "đối thoại với người khiếu nại | khiếu nại đông người | bảo vệ người tố cáo | kiểm soát xung đột lợi ích",
    ),
    _domain(
        "đấu thầu / public procurement",
        "Luật Đấu thầu / Law on Bidding",
        "Đầu tư | Tài chính nhà nước",
        "BKHĐT | BTC",
        "bên mời thầu | nhà thầu | tổ thẩm định",
        "hồ sơ mời thầu | kế hoạch lựa chọn nhà thầu | đấu thầu qua mạng | bảo đảm dự thầu | chỉ định thầu | Hệ thống mạng đấu thầu quốc gia | giá gói thầu",
        "lựa chọn nhà thầu | thẩm định kết quả lựa chọn nhà thầu",
        "mua sắm tập trung | chào hàng cạnh tranh | hợp đồng trọn gói | đàm phán giá thuốc",
    ),
    _domain(
        "quy hoạch / planning",
        "Luật Quy hoạch / Law on Planning",
        "Xây dựng - Đô thị | Đầu tư",
        "BKHĐT | BXD",
        "cơ quan lập quy hoạch | hội đồng thẩm định quy hoạch | cơ quan tổ chức lập quy hoạch",
        "quy hoạch tỉnh | quy hoạch chung đô thị | quy hoạch phân khu | quy hoạch chi tiết tỷ lệ 1/500 | nhiệm vụ lập quy hoạch | hệ thống đô thị và nông thôn",
        "lập, thẩm định, phê duyệt quy hoạch | điều chỉnh cục bộ quy hoạch",
        "không gian ngầm | quy hoạch không gian biển | chỉ giới đường đỏ | hệ số sử dụng đất",
    ),
    _domain(
        "hợp tác quốc tế / international cooperation",
        "Luật Điều ước quốc tế / Law on Treaties",
        "Bộ máy hành chính",
        "BNG",
        "cơ quan đề xuất | cơ quan đại diện Việt Nam ở nước ngoài | đối tác nước ngoài",
        "điều ước quốc tế | thỏa thuận quốc tế | hội nghị, hội thảo quốc tế | đoàn ra, đoàn vào | vốn hỗ trợ phát triển chính thức",
        "ký kết thỏa thuận quốc tế | tổ chức hội nghị quốc tế",
        "hộ chiếu ngoại giao | vốn vay ưu đãi | hợp pháp hóa lãnh sự | công hàm",
    ),
    _domain(
        "kiểm soát thủ tục hành chính / the control of administrative procedures",
        "Luật Tổ chức Chính phủ / Law on Government Organisation",
        "Thủ tục hành chính | Bộ máy hành chính",
        "VPCP",
        "bộ phận một cửa | cán bộ, công chức tiếp nhận hồ sơ | người dân, doanh nghiệp",
        "thủ tục hành chính | cơ chế một cửa, một cửa liên thông | bộ phận tiếp nhận và trả kết quả | Cổng Dịch vụ công quốc gia | phản ánh, kiến nghị | số hóa hồ sơ, kết quả giải quyết",
        "công bố thủ tục hành chính | tiếp nhận, giải quyết hồ sơ",
        "thanh toán trực tuyến nghĩa vụ tài chính | đánh giá mức độ hài lòng | phiếu kiểm soát quá trình giải quyết hồ sơ | dịch vụ công trực tuyến toàn trình",
    ),
    _domain(
        "hàng không dân dụng / civil aviation",
        "Luật Hàng không dân dụng Việt Nam / Law on Civil Aviation of Viet Nam",
        "Giao thông - Vận tải",
        "BGTVT | BXD",
        "hãng hàng không | người khai thác cảng hàng không, sân bay | hành khách",
        "cảng hàng không, sân bay | tàu bay | giấy chứng nhận người khai thác tàu bay | an ninh hàng không | dịch vụ bảo đảm hoạt động bay | vùng trời",
        "cấp giấy phép kinh doanh vận chuyển hàng không | đăng ký quốc tịch tàu bay",
        "thiết bị bay không người lái | phương tiện bay siêu nhẹ | vùng thông báo bay | chướng ngại vật hàng không",
    ),
    _domain(
        "đường sắt / railways",
        "Luật Đường sắt / Law on Railways",
        "Giao thông - Vận tải",
        "BGTVT | BXD",
        "doanh nghiệp kinh doanh kết cấu hạ tầng đường sắt | doanh nghiệp kinh doanh vận tải đường sắt | nhân viên đường sắt trực tiếp phục vụ chạy tàu",
        "đường sắt đô thị | đường sắt quốc gia | hành lang an toàn giao thông đường sắt | phương tiện giao thông đường sắt | biểu đồ chạy tàu | ga đường sắt",
        "cấp giấy chứng nhận chất lượng phương tiện | công bố đóng, mở ga",
        "đường sắt tốc độ cao | gác chắn đường ngang | toa xe khách | đầu máy",
    ),
    _domain(
        "viễn thông, bưu chính / telecommunications and postal services",
        "Luật Viễn thông / Law on Telecommunications",
        "Công nghệ thông tin",
        "BTTTT | BKHCN",
        "doanh nghiệp viễn thông | doanh nghiệp cung cấp dịch vụ bưu chính | thuê bao",
        "kho số viễn thông | tần số vô tuyến điện | dịch vụ viễn thông công ích | thông tin thuê bao | dịch vụ bưu chính công ích | tên miền quốc gia",
        "cấp giấy phép kinh doanh dịch vụ viễn thông | phân bổ kho số",
        "băng tần | trạm phát sóng thông tin di động | cáp quang biển | tin nhắn rác | chuyển mạng giữ nguyên số",
    ),
    _domain(
        "an toàn thực phẩm / food safety",
        "Luật An toàn thực phẩm / Law on Food Safety",
        "Y tế | Nông nghiệp",
        "BYT",
        "cơ sở sản xuất, kinh doanh thực phẩm | bếp ăn tập thể | người tiêu dùng",
        "giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm | tự công bố sản phẩm | thực phẩm chức năng | phụ gia thực phẩm | kiểm nghiệm thực phẩm | thức ăn đường phố",
        "cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm | kiểm tra nhà nước về an toàn thực phẩm nhập khẩu",
        "thực phẩm biến đổi gen | vi chất dinh dưỡng | chất hỗ trợ chế biến | dư lượng thuốc bảo vệ thực vật",
    ),
    _domain(
        "phòng, chống tham nhũng / anti-corruption",
        "Luật Phòng, chống tham nhũng / Law on Anti-corruption",
        "Bộ máy hành chính",
        "TTCP",
        "người có chức vụ, quyền hạn | cơ quan kiểm soát tài sản, thu nhập | người đứng đầu cơ quan, tổ chức",
        "kê khai tài sản, thu nhập | minh bạch tài sản | quy tắc ứng xử | chuyển đổi vị trí công tác | biến động tài sản | tặng quà và nhận quà tặng",
        "xác minh tài sản, thu nhập | công khai bản kê khai",
        "thu nhập tăng thêm không giải trình được | tham nhũng vặt | trách nhiệm giải trình | doanh nghiệp ngoài nhà nước",
    ),
    _domain(
        "cạnh tranh và bảo vệ quyền lợi người tiêu dùng / competition and consumer protection",
        "Luật Cạnh tranh / Law on Competition",
        "Thương mại | Doanh nghiệp",
        "BCT",
        "doanh nghiệp có vị trí thống lĩnh | người tiêu dùng | tổ chức xã hội tham gia bảo vệ quyền lợi người tiêu dùng",
        "tập trung kinh tế | thỏa thuận hạn chế cạnh tranh | hợp đồng theo mẫu | điều kiện giao dịch chung | khiếu nại của người tiêu dùng | thị trường liên quan",
        "thông báo tập trung kinh tế | giải quyết tranh chấp với người tiêu dùng",
        "bán hàng đa cấp | khuyến mại lạm dụng | lạm dụng vị trí độc quyền | chương trình khách hàng thân thiết",
    ),
    _domain(
        "tài nguyên, môi trường biển và hải đảo / marine and island resources and environment",
        "Luật Tài nguyên, môi trường biển và hải đảo / Law on Marine and Island Resources and Environment",
        "Tài nguyên - Môi trường",
        "BTNMT | BNNMT",
        "tổ chức, cá nhân khai thác tài nguyên biển | cơ quan quản lý tổng hợp biển",
        "vùng biển | hải đảo | hành lang bảo vệ bờ biển | nhận chìm ở biển | khu vực biển | ô nhiễm môi trường biển",
        "giao khu vực biển | cấp giấy phép nhận chìm ở biển",
        "xói lở bờ biển | rạn san hô | thảm cỏ biển | rừng ngập mặn | sự cố tràn dầu trên biển",
    ),
    _domain(
        "khí tượng thủy văn / hydrometeorology",
        "Luật Khí tượng thủy văn / Law on Hydrometeorology",
        "Tài nguyên - Môi trường",
        "BTNMT | BNNMT",
        "trạm khí tượng thủy văn | tổ chức dự báo khí tượng thủy văn",
        "dự báo, cảnh báo khí tượng thủy văn | mạng lưới trạm quan trắc | biến đổi khí hậu | số liệu khí tượng thủy văn | bản tin dự báo",
        "cấp giấy phép hoạt động dự báo, cảnh báo khí tượng thủy văn | khai thác thông tin, dữ liệu khí tượng thủy văn",
        "nước biển dâng | ra-đa thời tiết | mưa lớn cực đoan | kịch bản biến đổi khí hậu",
    ),
    _domain(
        "kinh tế tập thể và xây dựng nông thôn mới / cooperatives and new rural development",
        "Luật Hợp tác xã / Law on Cooperatives",
        "Nông nghiệp | Doanh nghiệp",
        "BKHĐT | BTC",
        "hợp tác xã | liên hiệp hợp tác xã | tổ hợp tác | thành viên hợp tác xã",
        "xây dựng nông thôn mới | bộ tiêu chí quốc gia về xã nông thôn mới | chuỗi giá trị nông sản | chương trình mỗi xã một sản phẩm | vốn góp của thành viên | quỹ hỗ trợ phát triển hợp tác xã",
        "đăng ký hợp tác xã | công nhận xã đạt chuẩn nông thôn mới",
        "nông thôn mới kiểu mẫu | liên kết sản xuất gắn với tiêu thụ | tài sản không chia | làng nghề truyền thống",
    ),
    _domain(
        "trẻ em, dân số và gia đình / children, population and the family",
        "Luật Trẻ em / Law on Children",
        "Văn hóa - Xã hội | Y tế",
        "BLĐTBXH | BYT",
        "cha mẹ, người chăm sóc trẻ em | cơ sở cung cấp dịch vụ bảo vệ trẻ em | cộng tác viên dân số",
        "quyền trẻ em | tổng đài điện thoại quốc gia bảo vệ trẻ em | mất cân bằng giới tính khi sinh | chất lượng dân số | phòng, chống bạo lực gia đình | bình đẳng giới",
        "can thiệp, hỗ trợ trẻ em bị xâm hại | tư vấn, khám sức khỏe trước khi kết hôn",
        "tảo hôn | hôn nhân cận huyết thống | sàng lọc trước sinh, sơ sinh | già hóa dân số | lao động trẻ em",
    ),
    _domain(
        "phòng, chống ma túy / drug prevention and control",
        "Luật Phòng, chống ma túy / Law on Drug Prevention and Control",
        "Quốc phòng - An ninh | Y tế",
        "BCA",
        "người sử dụng trái phép chất ma túy | người nghiện ma túy | cơ sở cai nghiện ma túy",
        "cai nghiện ma túy tự nguyện | quản lý sau cai nghiện | tiền chất | xét nghiệm chất ma túy | điều trị nghiện bằng thuốc thay thế",
        "xác định tình trạng nghiện ma túy | cai nghiện ma túy bắt buộc",
        "ma túy tổng hợp | cây có chứa chất ma túy | thuốc gây nghiện, thuốc hướng thần | điểm nóng về ma túy",
    ),
    _domain(
        "biên giới quốc gia / national borders",
        "Luật Biên giới quốc gia / Law on National Borders",
        "Quốc phòng - An ninh",
        "BQP | BNG",
        "Bộ đội Biên phòng | cư dân biên giới | đồn biên phòng",
        "khu vực biên giới | cửa khẩu biên giới đất liền | mốc quốc giới | vành đai biên giới | quy chế quản lý biên giới",
        "cấp giấy phép vào khu vực biên giới | mở, nâng cấp cửa khẩu",
        "đường biên giới trên đất liền | cột mốc phụ | lối mở biên giới | xuất cảnh trái phép",
    ),
    _domain(
        "văn thư, lưu trữ / records management and archives",
        "Luật Lưu trữ / Law on Archives",
        "Bộ máy hành chính",
        "BNV",
        "người làm công tác văn thư | lưu trữ lịch sử | cơ quan, tổ chức thuộc nguồn nộp lưu",
        "hồ sơ lưu trữ | tài liệu lưu trữ điện tử | thời hạn bảo quản | danh mục hồ sơ | con dấu | văn bản đi, văn bản đến",
        "nộp lưu hồ sơ | tiêu hủy tài liệu hết giá trị",
        "bản sao y | phông lưu trữ | tu bổ tài liệu bị hư hỏng | chữ ký số của cơ quan",
    ),
    _domain(
        "kinh doanh bảo hiểm / insurance business",
        "Luật Kinh doanh bảo hiểm / Law on Insurance Business",
        "Bảo hiểm | Tài chính nhà nước",
        "BTC",
        "doanh nghiệp bảo hiểm | bên mua bảo hiểm | đại lý bảo hiểm",
        "hợp đồng bảo hiểm | phí bảo hiểm | bảo hiểm bắt buộc trách nhiệm dân sự của chủ xe cơ giới | bồi thường bảo hiểm | quỹ bảo hiểm | biên khả năng thanh toán",
        "cấp giấy phép thành lập và hoạt động doanh nghiệp bảo hiểm | giải quyết bồi thường",
        "bảo hiểm vi mô | bảo hiểm liên kết đầu tư | tái bảo hiểm | bảo hiểm nông nghiệp",
    ),
)  # fmt: skip

# Further rare vocabulary of some domains: specific crops, diseases, art forms, peoples ...
_MORE_RARE = {
    "trồng trọt": "cây cà phê | cây hồ tiêu | cây cao su | cây chè | cây thanh long | cây sầu riêng | vải thiều | cây điều | lúa chất lượng cao | cây ăn quả có múi | cây dược liệu | ngô sinh khối | sắn, mía",
    "thủy sản": "cá tra | tôm hùm | cá ngừ đại dương | tôm thẻ chân trắng | nghêu, sò | rong biển | cá lồng bè",
    "chăn nuôi, thú y": "trâu, bò | đàn lợn nái | gia súc nhai lại | ong mật | chim yến | bệnh viêm da nổi cục",
    "phòng, chống bệnh truyền nhiễm": "bệnh sởi | bệnh bạch hầu | tay chân miệng | sốt rét | bệnh lao | thủy đậu | quai bị | ho gà | viêm não Nhật Bản",
    "khám bệnh, chữa bệnh": "bệnh ung thư | bệnh tim mạch | đái tháo đường | tăng huyết áp | chạy thận nhân tạo | ghép tạng | phục hồi chức năng",
    "thể dục, thể thao": "bóng đá | điền kinh | bơi lội | cầu lông | bóng chuyền | cờ vua | đấu vật | quần vợt",
    "di sản văn hóa": "nghệ thuật ca trù | hát xoan | đờn ca tài tử Nam Bộ | nhã nhạc cung đình Huế | dân ca quan họ | không gian văn hóa cồng chiêng Tây Nguyên | thực hành tín ngưỡng thờ Mẫu | nghề gốm truyền thống",
    "tín ngưỡng, tôn giáo": "đồng bào dân tộc Mông | đồng bào dân tộc Dao | dân tộc Tày | dân tộc Khmer | dân tộc Ê Đê | dân tộc Gia Rai | dân tộc Ba Na | dân tộc Xơ Đăng | dân tộc Chăm | dân tộc Cơ Tu | dân tộc Khơ Mú | dân tộc Hà Nhì | dân tộc Lô Lô | dân tộc Brâu | dân tộc Ơ Đu | dân tộc Rơ Măm | dân tộc Pu Péo | dân tộc Si La",
    "phòng, chống thiên tai": "giông, lốc, sét, mưa đá | rét đậm, rét hại, sương muối | triều cường | động đất, sóng thần | nắng nóng gay gắt",
    "khoáng sản": "than đá | quặng bô-xít | quặng sắt | sa khoáng titan | đá vôi xi măng | nước khoáng nóng",
    "du lịch": "vịnh Hạ Long | Phong Nha - Kẻ Bàng | phố cổ Hội An | quần đảo Cô Tô | cao nguyên đá Đồng Văn | du lịch chữa bệnh",
    "hoạt động ngân hàng": "thẻ ngân hàng | mã phản hồi nhanh | séc | tiền mặt mệnh giá nhỏ | ngoại tệ tiền mặt | vàng miếng",
    "giao thông đường thủy nội địa": "tàu chở khách cao tốc | phà biển | sà lan | bè mảng | ụ nổi | cảng Cái Mép - Thị Vải | bến cảng Lạch Huyện | bến cảng Liên Chiểu | cảng Cửa Lò | cảng Chân Mây",
    "trật tự, an toàn giao thông đường bộ": "xe mô tô, xe gắn máy | xe chở học sinh | xe cứu thương | phương tiện giao thông thông minh | trạm thu phí tự động không dừng",
    "hải quan": "hàng hóa nhập lậu | khu phi thuế quan | chợ biên giới | cư dân biên giới",
    "trợ giúp xã hội": "người cao tuổi cô đơn | trẻ em mồ côi | người tâm thần | nạn nhân chất độc hóa học | thương binh, bệnh binh | liệt sĩ",
    "tài nguyên nước": "lưu vực sông Hồng | lưu vực sông Mã | lưu vực sông Cả | lưu vực sông Gianh | lưu vực sông Thu Bồn | lưu vực sông Trà Khúc | lưu vực sông Ba | lưu vực sông Đồng Nai | lưu vực sông Vàm Cỏ | lưu vực sông Kỳ Cùng | lưu vực sông Srêpốk | lưu vực sông Sê San | lưu vực sông Cửu Long | sông Lô - Gâm | sông Cầu",
    "biên giới quốc gia": "cửa khẩu quốc tế Móng Cái | cửa khẩu quốc tế Hữu Nghị | cửa khẩu quốc tế Tây Trang | cửa khẩu quốc tế Cầu Treo | cửa khẩu quốc tế Lao Bảo | cửa khẩu quốc tế Bờ Y | cửa khẩu quốc tế Mộc Bài | cửa khẩu quốc tế Xa Mát | cửa khẩu quốc tế Na Mèo | cửa khẩu quốc tế Nậm Cắn | cửa khẩu Cha Lo | cửa khẩu Thanh Thủy",
    "hàng không dân dụng": "Cảng hàng không quốc tế Nội Bài | Cảng hàng không quốc tế Tân Sơn Nhất | Cảng hàng không quốc tế Long Thành | Cảng hàng không quốc tế Cát Bi | Cảng hàng không Liên Khương | Cảng hàng không Buôn Ma Thuột | Cảng hàng không Pleiku | Cảng hàng không Côn Sơn | Cảng hàng không Rạch Giá | Cảng hàng không Thọ Xuân | Cảng hàng không Đồng Hới",
    "đầu tư kinh doanh": "khu kinh tế Nghi Sơn | khu kinh tế Vũng Áng | khu kinh tế Dung Quất | khu kinh tế mở Chu Lai | khu kinh tế Vân Phong | khu kinh tế Nhơn Hội | khu kinh tế Chân Mây - Lăng Cô | khu kinh tế Đình Vũ - Cát Hải | khu kinh tế Định An",
    "điện lực": "thủy điện nhỏ | điện sinh khối | điện rác | lưu trữ năng lượng bằng pin | điện hạt nhân | nhà máy thủy điện Trị An | hồ thủy điện Thác Bà | hồ thủy điện Ialy | đường dây 500 kV mạch 3 | nhiệt điện than Vĩnh Tân | nhiệt điện Duyên Hải",
    "quốc phòng": "lực lượng dân quân thường trực | hải đội dân quân | tàu cá tự vệ | kho đạn dược | bom mìn, vật nổ sau chiến tranh",
}
DOMAINS = tuple(
    replace(d, rare=d.rare + _split(_MORE_RARE[d.name])) if d.name in _MORE_RARE else d
    for d in _DOMAINS
)

_PUBLIC_INVESTMENT = next(i for i, d in enumerate(DOMAINS) if d.name == "đầu tư công")

# --- generic phrase banks (most frequent first: picks are skewed towards the start) ----------

SUBJECTS = _split(
    "cơ quan, tổ chức, cá nhân có liên quan | các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | "
    "Ủy ban nhân dân cấp tỉnh | cơ quan nhà nước có thẩm quyền | Ủy ban nhân dân cấp huyện | "
    "Ủy ban nhân dân cấp xã | người đứng đầu cơ quan, đơn vị | "
    "cơ quan chuyên môn thuộc Ủy ban nhân dân cấp tỉnh | cơ quan quản lý nhà nước ở địa phương | "
    "các cơ quan, đơn vị trực thuộc | Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương | "
    "đơn vị sự nghiệp công lập | cơ quan thanh tra nhà nước | Kho bạc Nhà nước | Sở Tài chính | "
    "Sở Tư pháp | Sở Nội vụ | Sở Xây dựng | Sở Y tế | Sở Giáo dục và Đào tạo | Sở Công Thương | "
    "Sở Khoa học và Công nghệ | Sở Văn hóa, Thể thao và Du lịch | Sở Tài nguyên và Môi trường | "
    "Sở Kế hoạch và Đầu tư | Công an cấp tỉnh | Ban quản lý các khu công nghiệp | "
    "tổ chức chính trị - xã hội | Ủy ban Mặt trận Tổ quốc Việt Nam các cấp | "
    "Liên đoàn Lao động tỉnh | Hội Liên hiệp Phụ nữ | Đoàn Thanh niên Cộng sản Hồ Chí Minh | "
    "Hội Nông dân | hiệp hội ngành hàng | Hội đồng nhân dân các cấp | Kiểm toán nhà nước"
)
DUTIES = _split(
    "tổ chức thực hiện | hướng dẫn, kiểm tra việc thực hiện | kiểm tra, giám sát | "
    "chủ trì, phối hợp với các cơ quan liên quan triển khai | theo dõi, đôn đốc việc thực hiện | "
    "tuyên truyền, phổ biến | rà soát, đánh giá | tổng hợp, báo cáo kết quả | chỉ đạo triển khai | "
    "bố trí nguồn lực thực hiện | cập nhật đầy đủ, kịp thời thông tin về | hướng dẫn nghiệp vụ về | "
    "thanh tra, kiểm tra và xử lý vi phạm về | công khai thông tin về | xây dựng kế hoạch thực hiện | "
    "đề xuất sửa đổi, bổ sung quy định về | phối hợp chặt chẽ trong | quản lý chặt chẽ | "
    "tập huấn, bồi dưỡng kiến thức về | tiếp nhận, giải quyết kiến nghị liên quan đến | "
    "lưu trữ hồ sơ về | đánh giá tác động của | huy động các nguồn lực cho | "
    "nghiên cứu, đề xuất cơ chế, chính sách về | thống kê, theo dõi | "
    "ban hành theo thẩm quyền văn bản hướng dẫn về | ứng dụng công nghệ thông tin trong | "
    "kiện toàn tổ chức bộ máy thực hiện | chấn chỉnh những tồn tại, hạn chế trong | "
    "khen thưởng kịp thời các tập thể, cá nhân có thành tích trong | "
    "quán triệt, triển khai nghiêm túc | khẩn trương hoàn thiện | "
    "sơ kết, tổng kết việc thực hiện | nhân rộng các mô hình hiệu quả về | "
    "phát hiện, ngăn chặn kịp thời vi phạm về | kiến nghị cấp có thẩm quyền tháo gỡ vướng mắc về | "
    "đẩy mạnh xã hội hóa | số hóa dữ liệu về | đơn giản hóa quy trình | "
    "lồng ghép các nguồn vốn cho | chủ động rà soát, cắt giảm điều kiện đối với"
)
ADJUNCTS = _split(
    "theo quy định của pháp luật | theo quy định của pháp luật hiện hành | theo quy định tại {this} | "
    "trong phạm vi chức năng, nhiệm vụ, quyền hạn được giao | trên địa bàn quản lý | "
    "bảo đảm công khai, minh bạch | bảo đảm đúng mục đích, tiết kiệm, hiệu quả | "
    "bảo đảm đúng tiến độ, chất lượng | theo hướng dẫn của cơ quan có thẩm quyền | "
    "phù hợp với điều kiện thực tế của địa phương | trên môi trường điện tử | định kỳ hằng năm | "
    "theo định kỳ sáu tháng và hằng năm | theo phân cấp quản lý | đúng thẩm quyền, đúng trình tự | "
    "không làm phát sinh thủ tục hành chính mới | gắn với cải cách hành chính | "
    "đồng bộ, thống nhất từ trung ương đến địa phương | kịp thời, đầy đủ, chính xác | "
    "theo nguyên tắc công khai, minh bạch, bình đẳng | trước ngày 15 tháng 12 hằng năm"
)
QUALITIES = _split(
    "công khai, minh bạch và đúng quy định | tính thống nhất, đồng bộ của hệ thống pháp luật | "
    "quyền và lợi ích hợp pháp của tổ chức, cá nhân | an toàn, an ninh thông tin | "
    "yêu cầu về quốc phòng, an ninh | sự phối hợp chặt chẽ giữa các cơ quan | "
    "tiết kiệm, hiệu quả, chống lãng phí | mục tiêu bình đẳng giới | "
    "quyền tiếp cận thông tin của người dân | mục tiêu phát triển bền vững | "
    "hài hòa lợi ích của Nhà nước, người dân và doanh nghiệp"
)
OBJECTS = _split(
    "thủ tục hành chính | kinh phí thực hiện | chế độ báo cáo | hồ sơ, tài liệu có liên quan | "
    "cơ sở dữ liệu chuyên ngành | nguồn nhân lực | công tác thống kê | công tác thanh tra, kiểm tra | "
    "công tác tuyên truyền, phổ biến, giáo dục pháp luật | việc ứng dụng công nghệ thông tin | "
    "các chương trình, đề án, dự án | kết quả thực hiện nhiệm vụ | việc công khai thông tin | "
    "các khoản thu, chi | trang thiết bị | quy trình nội bộ | văn bản quy phạm pháp luật | "
    "chỉ tiêu thống kê | kế hoạch hằng năm"
)
PROHIBITED = _split(
    "lợi dụng chức vụ, quyền hạn để gây khó khăn, phiền hà trong | giả mạo hồ sơ, tài liệu trong | "
    "cản trở, can thiệp trái pháp luật vào | cung cấp thông tin sai lệch về | "
    "sử dụng sai mục đích kinh phí dành cho | "
    "nhũng nhiễu, yêu cầu thêm giấy tờ ngoài quy định khi thực hiện | "
    "tiết lộ trái phép thông tin liên quan đến | "
    "trì hoãn không có lý do chính đáng việc thực hiện | che giấu, không báo cáo vi phạm trong | "
    "thông đồng, móc nối để trục lợi từ"
)
RIGHTS = _split(
    "được cung cấp thông tin đầy đủ về | được hướng dẫn, hỗ trợ khi thực hiện | "
    "có quyền khiếu nại, khởi kiện đối với quyết định hành chính liên quan đến | "
    "được hưởng chính sách ưu đãi trong | được tham gia ý kiến vào | "
    "có quyền đề nghị cơ quan có thẩm quyền xem xét lại | "
    "được bảo vệ quyền và lợi ích hợp pháp trong"
)
DECISIONS = _split("cấp | phê duyệt | chấp thuận | giải quyết | cho phép | xác nhận | công nhận")
PURPOSES = _split(
    "nâng cao hiệu lực, hiệu quả quản lý nhà nước | tạo thuận lợi cho người dân và doanh nghiệp | "
    "bảo đảm quyền và lợi ích hợp pháp của các bên | phòng ngừa, ngăn chặn vi phạm | "
    "thúc đẩy phát triển kinh tế - xã hội | khắc phục những tồn tại, hạn chế | "
    "bảo đảm an sinh xã hội | cải thiện môi trường đầu tư kinh doanh | "
    "tăng cường kỷ luật, kỷ cương hành chính | huy động hiệu quả các nguồn lực xã hội"
)
CASES = _split(
    "hồ sơ chưa đầy đủ, hợp lệ | có sự thay đổi thông tin đã đăng ký | phát hiện hành vi vi phạm | "
    "phát sinh khó khăn, vướng mắc | tổ chức, cá nhân không đủ điều kiện | "
    "cần thiết phải điều chỉnh nội dung | quá thời hạn quy định mà chưa thực hiện | "
    "có ý kiến khác nhau giữa các cơ quan"
)
FUNDS = _split(
    "nguồn ngân sách nhà nước theo phân cấp hiện hành | nguồn thu hợp pháp của đơn vị | "
    "nguồn xã hội hóa và các nguồn vốn hợp pháp khác | dự toán chi thường xuyên được giao hằng năm | "
    "nguồn tài trợ, viện trợ của tổ chức, cá nhân trong nước và nước ngoài"
)
_GENERIC_MODES = (
    "duty", "must", "follow", "proc", "case", "right", "deadline", "ref", "basis", "annual",
    "fund", "report", "archive",
)  # fmt: skip
_SENTENCE_MODES = {
    "must": "must",
    "policy": "policy",
    "prohibit": "prohibit",
    "proc": "proc",
    "auth": "follow",
    "duty": "duty",
    "rights": "right",
    "fund": "fund",
    "report": "report",
}
# The provincial counterpart of each ministry, as named in proposals.
DEPARTMENTS = {
    "BTC": ("Giám đốc", "Sở Tài chính"),
    "BTP": ("Giám đốc", "Sở Tư pháp"),
    "BNV": ("Giám đốc", "Sở Nội vụ"),
    "BXD": ("Giám đốc", "Sở Xây dựng"),
    "BYT": ("Giám đốc", "Sở Y tế"),
    "BGDĐT": ("Giám đốc", "Sở Giáo dục và Đào tạo"),
    "BCT": ("Giám đốc", "Sở Công Thương"),
    "BKHCN": ("Giám đốc", "Sở Khoa học và Công nghệ"),
    "BVHTTDL": ("Giám đốc", "Sở Văn hóa, Thể thao và Du lịch"),
    "BNNMT": ("Giám đốc", "Sở Nông nghiệp và Môi trường"),
    "BTNMT": ("Giám đốc", "Sở Tài nguyên và Môi trường"),
    "BKHĐT": ("Giám đốc", "Sở Kế hoạch và Đầu tư"),
    "BGTVT": ("Giám đốc", "Sở Giao thông vận tải"),
    "BLĐTBXH": ("Giám đốc", "Sở Lao động - Thương binh và Xã hội"),
    "BTTTT": ("Giám đốc", "Sở Thông tin và Truyền thông"),
    "BCA": ("Giám đốc", "Công an tỉnh"),
    "BQP": ("Chỉ huy trưởng", "Bộ Chỉ huy quân sự tỉnh"),
    "NHNN": ("Giám đốc", "Ngân hàng Nhà nước chi nhánh tỉnh"),
    "TTCP": ("Chánh", "Thanh tra tỉnh"),
    "VPCP": ("Chánh", "Văn phòng Ủy ban nhân dân tỉnh"),
    "BNG": ("Giám đốc", "Sở Ngoại vụ"),
    "BDTTG": ("Trưởng", "Ban Dân tộc tỉnh"),
}
# Addressees of letters from central bodies, after the ministry concerned.
ADDRESSEES = _split(
    "Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương | "
    "các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | Bộ Tài chính | Bộ Tư pháp | "
    "Văn phòng Chính phủ | Ủy ban nhân dân các tỉnh, thành phố có liên quan"
)
# Posts held before an appointment.
CENTRAL_POSTS = _split("Phó Vụ trưởng | Phó Cục trưởng | Vụ trưởng | Chánh Văn phòng Bộ")
LOCAL_POSTS = _split(
    "Trưởng phòng Kế hoạch - Tài chính | Phó Chánh Văn phòng Ủy ban nhân dân tỉnh | "
    "Chủ tịch Ủy ban nhân dân huyện | Trưởng phòng Quản lý đô thị"
)
EVENTS = _split(
    "kết thúc năm ngân sách | có quyết định phê duyệt của cấp có thẩm quyền | "
    "phát hiện sai sót trong hồ sơ | nhận được văn bản đề nghị | kết thúc đợt kiểm tra | "
    "hoàn thành việc thẩm định"
)
BASES = _split(
    "giá thị trường tại thời điểm xác định | định mức kinh tế - kỹ thuật do cơ quan có thẩm quyền ban hành | "
    "chỉ số giá tiêu dùng bình quân của năm trước liền kề | kết quả khảo sát, đánh giá thực tế | "
    "số lượng đối tượng thụ hưởng và mức chi bình quân | khối lượng công việc thực tế hoàn thành"
)
GATHERINGS = _split(
    "hội nghị sơ kết | đợt kiểm tra chuyên đề | lớp tập huấn, bồi dưỡng | "
    "cuộc thi tìm hiểu pháp luật | diễn đàn đối thoại với doanh nghiệp | hội thảo lấy ý kiến chuyên gia"
)
FORMATS = _split(
    "văn bản giấy hoặc điện tử | bản điện tử có giá trị pháp lý như bản gốc | "
    "dữ liệu có cấu trúc trên hệ thống thông tin"
)
KINDS = _split("hoạt động | văn bản | thông tin | tài liệu | khoản kinh phí | hệ thống | quá trình")
PARTICIPLES = _split(
    "xác lập | quản lý | sử dụng | ban hành | tổ chức thực hiện | cập nhật | lưu giữ | phê duyệt"
)
PAPERS = _split(
    "Bản sao giấy chứng nhận đăng ký doanh nghiệp hoặc quyết định thành lập | "
    "Bản sao thẻ căn cước hoặc hộ chiếu của người đại diện | "
    "Văn bản ủy quyền trong trường hợp thực hiện thủ tục thông qua người đại diện | "
    "Bản thuyết minh về cơ sở vật chất, trang thiết bị | "
    "Báo cáo tài chính của năm gần nhất đã được kiểm toán | "
    "Danh sách nhân sự kèm theo bản sao văn bằng, chứng chỉ | "
    "Tài liệu chứng minh đáp ứng các điều kiện quy định tại {this}"
)
CONDITIONS = _split(
    "Có đủ nhân lực, cơ sở vật chất đáp ứng yêu cầu của {term} | "
    "Có phương án bảo đảm {term} được cơ quan có thẩm quyền chấp thuận | "
    "Không thuộc trường hợp bị cấm hoặc đang bị đình chỉ hoạt động theo quy định của pháp luật | "
    "Đáp ứng tiêu chuẩn, quy chuẩn kỹ thuật về {term} | "
    "Có hồ sơ hợp lệ theo quy định tại {this} | "
    "Hoàn thành nghĩa vụ tài chính đối với Nhà nước | "
    "Phù hợp với quy hoạch, kế hoạch đã được cấp có thẩm quyền phê duyệt"
)
REPORT_TO = _split(
    "Thủ tướng Chính phủ | Ủy ban nhân dân cấp tỉnh | cơ quan quản lý cấp trên | Bộ Tài chính | "
    "cơ quan chủ trì | Hội đồng nhân dân cùng cấp"
)
EVALUATIONS = _split(
    "đã đạt được nhiều kết quả quan trọng, góp phần ổn định kinh tế vĩ mô | "
    "từng bước đi vào nề nếp, tạo chuyển biến tích cực | "
    "được các cấp, các ngành quan tâm chỉ đạo, triển khai quyết liệt | "
    "đã có những chuyển biến rõ nét, được người dân, doanh nghiệp đồng tình"
)
SHORTCOMINGS = _split(
    "việc triển khai ở một số nơi còn chậm, chưa đồng bộ | "
    "công tác phối hợp giữa các cơ quan có lúc chưa chặt chẽ | "
    "một số quy định còn chồng chéo, chưa phù hợp với thực tiễn | "
    "nguồn lực bố trí còn hạn chế, chưa đáp ứng yêu cầu | "
    "tình trạng vi phạm vẫn diễn ra, chưa được xử lý kịp thời"
)

# Article headings by kind (see _Doc._article_body). {act}, {term}, {actor}, {name}.
GENERAL_HEADINGS = (
    ("Giải thích từ ngữ", "terms"),
    ("Nguyên tắc {act}", "must"),
    ("Chính sách của Nhà nước về {name}", "policy"),
    ("Các hành vi bị nghiêm cấm", "prohibit"),
)
THEMES = (
    (
        "{act}",
        (
            ("Điều kiện {act}", "cond"),
            ("Hồ sơ đề nghị {act}", "dossier"),
            ("Trình tự, thủ tục {act}", "proc"),
            ("Thẩm quyền {act}", "auth"),
            ("Thời hạn giải quyết", "proc"),
        ),
    ),
    (
        "Quản lý nhà nước về {name}",
        (
            ("Nội dung quản lý nhà nước về {name}", "list"),
            ("Trách nhiệm của {ministry}", "duty"),
            ("Trách nhiệm của các bộ, cơ quan ngang bộ", "duty"),
            ("Trách nhiệm của Ủy ban nhân dân cấp tỉnh", "duty"),
            ("Thanh tra, kiểm tra", "duty"),
            ("Chế độ báo cáo, thống kê", "report"),
        ),
    ),
    (
        "Quyền và nghĩa vụ của {actor}",
        (
            ("Quyền của {actor}", "rights"),
            ("Nghĩa vụ của {actor}", "duty"),
            ("Trách nhiệm của {actor2}", "duty"),
        ),
    ),
    (
        "Quy định cụ thể về {term}",
        (
            ("Quản lý {term}", "generic"),
            ("Sử dụng {term}", "generic"),
            ("Công khai thông tin về {term}", "generic"),
            ("Lưu trữ, bảo quản hồ sơ", "generic"),
            ("Kinh phí thực hiện", "fund"),
        ),
    ),
    (
        "Xử lý vi phạm",
        (
            ("Hành vi vi phạm quy định về {term}", "prohibit"),
            ("Hình thức xử phạt và biện pháp khắc phục hậu quả", "generic"),
            ("Thẩm quyền xử phạt", "auth"),
        ),
    ),
    (
        "Tổ chức thực hiện",
        (
            ("Kinh phí thực hiện", "fund"),
            ("Trách nhiệm của {ministry}", "duty"),
            ("Trách nhiệm của Ủy ban nhân dân cấp tỉnh", "duty"),
            ("Chế độ báo cáo", "report"),
        ),
    ),
)

TYPE_NAMES = {
    "QĐ": "Quyết định",
    "CV": "Công văn",
    "TT": "Thông tư",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "LUAT": "Luật",
    "TTLT": "Thông tư liên tịch",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "BC": "Báo cáo",
}
TYPE_EN = {
    "QĐ": "Decision",
    "CV": "Official letter",
    "TT": "Circular",
    "NĐ": "Decree",
    "NQ": "Resolution",
    "CT": "Directive",
    "LUAT": "Law",
    "TTLT": "Joint circular",
    "KH": "Plan",
    "TB": "Notice",
    "HD": "Guidance",
    "BC": "Report",
}
# Weights per thousand, roughly like a national database.
TYPE_WEIGHTS = {
    "QĐ": 350,
    "CV": 150,
    "TT": 180,
    "NĐ": 100,
    "NQ": 50,
    "CT": 50,
    "LUAT": 20,
    "TTLT": 20,
    "KH": 25,
    "TB": 25,
    "HD": 15,
    "BC": 15,
}
_TYPE_TABLE = tuple(t for t, w in TYPE_WEIGHTS.items() for _ in range(w))
_MINISTRY_TABLE = tuple(abbr for abbr, m in MINISTRIES.items() for _ in range(m.weight))

# Terms of the National Assembly: (first day, number).
QH_TERMS = (
    (date(1987, 6, 17).toordinal(), 8),
    (date(1992, 9, 19).toordinal(), 9),
    (date(1997, 9, 30).toordinal(), 10),
    (date(2002, 7, 19).toordinal(), 11),
    (date(2007, 7, 19).toordinal(), 12),
    (date(2011, 7, 21).toordinal(), 13),
    (date(2016, 7, 20).toordinal(), 14),
    (date(2021, 7, 20).toordinal(), 15),
)
# Chapter numbers (index = number).
_ROMAN: tuple[str, ...] = (
    "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
    "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
)  # fmt: skip
_POINTS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k"]

DATE_MIN = date(1990, 1, 1).toordinal()
DATE_MAX = date(2026, 6, 30).toordinal()
_TTLT_END = date(2016, 6, 30).toordinal()  # joint circulars stopped with the 2015 law
_LAW_2016 = date(2016, 7, 1).toordinal()

# (first day, text) of the laws every preamble cites; each replaced the one before.
GOVERNMENT_LAWS = (
    (0, "Luật Tổ chức Chính phủ ngày 30 tháng 9 năm 1992"),
    (date(2002, 1, 1).toordinal(), "Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001"),
    (date(2016, 1, 1).toordinal(), "Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015"),
    (date(2025, 3, 1).toordinal(), "Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025"),
)
LOCAL_LAWS = (
    (0, "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 21 tháng 6 năm 1994"),
    (
        date(2004, 1, 10).toordinal(),
        "Luật Tổ chức Hội đồng nhân dân và Ủy ban nhân dân ngày 26 tháng 11 năm 2003",
    ),
    (date(2016, 1, 1).toordinal(), "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"),
    (date(2025, 3, 1).toordinal(), "Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"),
)
PROMULGATION_LAWS = (
    (0, ""),
    (
        date(2009, 1, 1).toordinal(),
        "Luật Ban hành văn bản quy phạm pháp luật ngày 03 tháng 6 năm 2008",
    ),
    (
        date(2016, 7, 1).toordinal(),
        "Luật Ban hành văn bản quy phạm pháp luật ngày 22 tháng 6 năm 2015",
    ),
    (
        date(2025, 4, 1).toordinal(),
        "Luật Ban hành văn bản quy phạm pháp luật ngày 19 tháng 02 năm 2025",
    ),
)

RECIPIENTS = _split(
    "Ban Bí thư Trung ương Đảng | Thủ tướng, các Phó Thủ tướng Chính phủ | "
    "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ | "
    "HĐND, UBND các tỉnh, thành phố trực thuộc trung ương | Văn phòng Trung ương và các Ban của Đảng | "
    "Văn phòng Quốc hội | Tòa án nhân dân tối cao | Viện kiểm sát nhân dân tối cao | "
    "Kiểm toán nhà nước | Cục Kiểm tra văn bản quy phạm pháp luật (Bộ Tư pháp) | Công báo | "
    "Cổng Thông tin điện tử Chính phủ | Sở, ban, ngành thuộc tỉnh | UBND các huyện, thị xã, thành phố"
)


# --- helpers ---------------------------------------------------------------------------------


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _spoken(ordinal: int) -> str:
    """ "ngày 05 tháng 3 năm 2019": day below 10 and months below 3 take a leading zero."""
    d = date.fromordinal(ordinal)
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def _in_force_law(table: tuple[tuple[int, str], ...], ordinal: int) -> str:
    found = ""
    for since, text in table:
        if ordinal >= since:
            found = text
    return found


def _qh_term(ordinal: int) -> int:
    term = 8
    for since, number in QH_TERMS:
        if ordinal >= since:
            term = number
    return term


_CAPITALISED: dict[str, str] = {}


def _cap(text: str) -> str:
    """First letter upper-cased; memoised, as the same bank phrases come back all the time."""
    done = _CAPITALISED.get(text)
    if done is None:
        done = text[:1].upper() + text[1:]
        if len(_CAPITALISED) < 50_000:
            _CAPITALISED[text] = done
    return done


def _strip_marks(text: str) -> str:
    """Diacritics removed, case kept ("QĐ-TTg" → "QD-TTg")."""
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stable(*parts: object) -> int:
    return zlib.crc32("|".join(map(str, parts)).encode())


# --- the header: type, issuer, date, number --------------------------------------------------


@dataclass(slots=True)
class _Header:
    kind: str  # key of TYPE_NAMES
    legal: bool
    ordinal: int
    domain: int
    issuer: str  # CP, TTg, QH, UBND, HĐND or a ministry abbreviation
    partner: str  # second ministry of a joint circular
    province: int
    unit: str
    number: str


def _draw_header(rng: random.Random) -> tuple[str, bool, int, int, str, str, int, str]:
    r = rng.random
    kind = _TYPE_TABLE[int(r() * len(_TYPE_TABLE))]
    if kind == "QĐ":
        legal = r() < 0.25
    elif kind == "NQ":
        legal = r() < 0.5
    else:
        legal = kind in ("TT", "NĐ", "LUAT", "TTLT")
    # Dates lean towards recent years, as a national database does.
    ordinal = DATE_MIN + int((DATE_MAX - DATE_MIN) * (r() ** 0.62))
    if kind == "TTLT" and ordinal > _TTLT_END:
        ordinal = DATE_MIN + (ordinal - DATE_MIN) * (_TTLT_END - DATE_MIN) // (DATE_MAX - DATE_MIN)
    if kind == "LUAT":  # passed at the mid-year or the end-of-year session
        d = date.fromordinal(ordinal)
        ordinal = date(d.year, 6 if d.month <= 6 else 11, 8 + int(r() * 20)).toordinal()
        ordinal = min(ordinal, DATE_MAX)
    weekday = (ordinal - 1) % 7  # ordinal 1 was a Monday
    if weekday >= 5:
        ordinal -= weekday - 4  # signed on the Friday before
    domain = int(len(DOMAINS) * r() ** 1.15)
    partner = ""
    province = -1
    unit = ""
    pick = r()
    if kind == "NĐ":
        issuer = "CP"
    elif kind == "LUAT":
        issuer = "QH"
    elif kind == "NQ":
        issuer = "HĐND" if legal else "CP"
    elif kind in ("TT", "TTLT"):
        issuer, domain = _ministry_for(rng, domain, ordinal, pick < 0.8)
        if kind == "TTLT":
            partner = _valid_ministry(_MINISTRY_TABLE[int(r() * len(_MINISTRY_TABLE))], ordinal)
            if partner == issuer:
                partner = "BTC" if issuer != "BTC" else "BNV"
    elif kind == "QĐ":
        if pick < 0.4:
            issuer = "TTg"
        elif pick < 0.72:
            issuer, domain = _ministry_for(rng, domain, ordinal, r() < 0.6)
        else:
            issuer = "UBND"
    elif kind == "CV":
        if pick < 0.3:
            issuer = "VPCP"
        elif pick < 0.8:
            issuer, domain = _ministry_for(rng, domain, ordinal, r() < 0.6)
        else:
            issuer = "UBND"
    elif kind == "CT":
        if pick < 0.6:
            issuer = "TTg"
        elif pick < 0.85:
            issuer = "UBND"
        else:
            issuer, domain = _ministry_for(rng, domain, ordinal, True)
    elif kind == "TB":
        if pick < 0.7:
            issuer = "VPCP"
        elif pick < 0.8:
            issuer = "UBND"
        else:
            issuer, domain = _ministry_for(rng, domain, ordinal, True)
    elif kind == "BC" and pick < 0.1:
        issuer = "CP"
    else:  # KH, HD, BC
        if pick < 0.4:
            issuer = "UBND"
        else:
            issuer, domain = _ministry_for(rng, domain, ordinal, r() < 0.7)
    if issuer in ("UBND", "HĐND"):
        province = int(r() * len(PROVINCES))
    if kind == "CV":
        units = PROVINCE_UNITS if issuer == "UBND" else MINISTRIES[issuer].units
        unit = units[int(r() * len(units))]
    return kind, legal, ordinal, domain, issuer, partner, province, unit


def _ministry_for(rng: random.Random, domain: int, ordinal: int, lead: bool) -> tuple[str, int]:
    """A ministry issuing on ``domain`` (lead) or any ministry and one of its own subjects."""
    if lead:
        choices = DOMAINS[domain].ministries
        abbr = choices[int(rng.random() * len(choices))]
    else:
        abbr = _MINISTRY_TABLE[int(rng.random() * len(_MINISTRY_TABLE))]
        own = MINISTRY_DOMAINS[abbr]
        if own:
            domain = own[int(rng.random() * len(own))]
    return _valid_ministry(abbr, ordinal), domain


def _valid_ministry(abbr: str, ordinal: int) -> str:
    """The ministry itself, or its successor/predecessor on that day (the 2025 mergers)."""
    ministry = MINISTRIES[abbr]
    if ministry.valid_to and ordinal > ministry.valid_to:
        return ministry.successor
    if ministry.valid_from and ordinal < ministry.valid_from:
        return ministry.predecessor
    return abbr


# Subjects each ministry leads.
MINISTRY_DOMAINS = {
    abbr: tuple(i for i, d in enumerate(DOMAINS) if abbr in d.ministries) for abbr in MINISTRIES
}


def _symbol(kind: str, legal: bool, ordinal: int, issuer: str, partner: str, unit: str) -> str:
    """The part after "number/" ("2008/QĐ-TTg"); the counters run per symbol."""
    year = date.fromordinal(ordinal).year
    if kind == "LUAT":
        return f"QH{_qh_term(ordinal)}"  # numbered through the term; the year is added later
    if kind == "CV":
        return f"{issuer}-{unit}"
    code = "TTLT" if kind == "TTLT" else kind
    org = f"{issuer}-{partner}" if partner else issuer
    return f"{year}/{code}-{org}" if legal else f"{code}-{org}"


class _Numbering:
    """Counters per symbol: each number is unique within the run for a given seed."""

    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def header(self, seed: int, index: int) -> tuple[_Header, random.Random]:
        rng = random.Random(seed * 10_000_019 + index)  # noqa: S311 - made-up content
        kind, legal, ordinal, domain, issuer, partner, province, unit = _draw_header(rng)
        key = _symbol(kind, legal, ordinal, issuer, partner, unit)
        n = self.counters.get(key, 0) + 1
        self.counters[key] = n
        if kind == "LUAT":
            number = f"{n:02d}/{date.fromordinal(ordinal).year}/{key}"
        else:
            number = f"{n:02d}/{key}"
        header = _Header(kind, legal, ordinal, domain, issuer, partner, province, unit, number)
        return header, rng


# --- signers ---------------------------------------------------------------------------------


def _person(rng: random.Random) -> tuple[str, bool]:
    r = rng.random
    female = r() < 0.22
    surname = SURNAMES[int(r() * len(SURNAMES))]
    if female:
        middle = MIDDLE_FEMALE[int(r() * len(MIDDLE_FEMALE))]
        given = GIVEN_FEMALE[int(r() * len(GIVEN_FEMALE))]
    else:
        middle = MIDDLE_MALE[int(r() * len(MIDDLE_MALE))]
        given = GIVEN_MALE[int(r() * len(GIVEN_MALE))]
    return f"{surname} {middle} {given}", female


class _Signers:
    """The leaders of each issuer per five-year period: a chief and three deputies."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.cache: dict[tuple[str, int, int], tuple[str, ...]] = {}

    def team(self, issuer: str, province: int, ordinal: int) -> tuple[str, ...]:
        period = (date.fromordinal(ordinal).year - 1990) // 5
        key = (issuer, province, period)
        team = self.cache.get(key)
        if team is None:
            rng = random.Random(_stable(self.seed, issuer, province, period))  # noqa: S311
            team = tuple(_person(rng)[0] for _ in range(4))
            self.cache[key] = team
        return team


# --- documents -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Target:
    ordinal: int
    number: str
    kind: str
    name: str  # trích yếu, or the law's name
    name_en: str
    issuer_name: str
    domain: int
    type_name: str
    type_en: str

    @property
    def cite(self) -> str:
        """How a later document names it: "Luật Đất đai số 45/2013/QH13", "Nghị định số ..."."""
        if self.kind == "LUAT":
            return f"{self.name} số {self.number}"
        return f"{self.type_name} số {self.number}"


# Which earlier documents each kind may point at: relation kind → (target kinds).
RELATION_RULES: dict[str, tuple[tuple[str, tuple[str, ...], int], ...]] = {
    "NĐ": (("guides", ("LUAT",), 4), ("based_on", ("LUAT",), 2), ("amends", ("NĐ",), 3),
           ("replaces", ("NĐ",), 2), ("repeals", ("NĐ",), 1)),
    "TT": (("guides", ("NĐ", "LUAT"), 4), ("based_on", ("LUAT",), 2), ("amends", ("TT",), 3),
           ("replaces", ("TT",), 2), ("repeals", ("TT",), 1)),
    "TTLT": (("guides", ("NĐ",), 3), ("based_on", ("LUAT",), 2), ("amends", ("TTLT",), 1),
             ("replaces", ("TTLT",), 1)),
    "LUAT": (("amends", ("LUAT",), 3), ("replaces", ("LUAT",), 2)),
    "QĐL": (("based_on", ("LUAT",), 2), ("guides", ("NĐ",), 1), ("amends", ("QĐL",), 2),
            ("replaces", ("QĐL",), 2), ("repeals", ("QĐL",), 1)),
    "NQL": (("based_on", ("LUAT",), 2), ("replaces", ("NQL",), 1)),
    "QĐD": (("replaces", ("QĐD",), 2), ("amends", ("QĐD",), 1)),
    "CT": (("replaces", ("CT",), 1),),
    "HD": (("guides", ("NĐ", "TT"), 1),),
}  # fmt: skip
RELATION_RATE = {"NĐ": 0.8, "TT": 0.75, "TTLT": 0.7, "LUAT": 0.6, "QĐL": 0.7, "NQL": 0.6}
RELATION_RATE |= {"QĐD": 0.2, "CT": 0.3, "HD": 0.3}


def _weighted_rule(
    rules: tuple[tuple[str, tuple[str, ...], int], ...], u: float
) -> tuple[str, tuple[str, ...]]:
    for kind, kinds, weight in rules:
        u -= weight
        if u < 0:
            return kind, kinds
    return rules[-1][0], rules[-1][1]


def _pool_kind(kind: str, legal: bool) -> str:
    if kind in ("QĐ", "NQ"):
        return kind + ("L" if legal else "D")
    return kind


def _issuer_key(h: _Header) -> str:
    return f"{h.issuer}:{h.province}"


def _issuer_name(h: _Header) -> str:
    if h.issuer == "CP":
        return "Chính phủ"
    if h.issuer == "TTg":
        return "Thủ tướng Chính phủ"
    if h.issuer == "QH":
        return "Quốc hội"
    if h.issuer == "UBND":
        return "Ủy ban nhân dân " + PROVINCES[h.province][0]
    if h.issuer == "HĐND":
        return "Hội đồng nhân dân " + PROVINCES[h.province][0]
    name = MINISTRIES[h.issuer].name
    if h.partner:
        name += " và " + MINISTRIES[h.partner].name
    return name


def _chief_of(issuer: str) -> str:
    """Who proposes or issues for a ministry ("Bộ trưởng Bộ Tài chính")."""
    m = MINISTRIES[issuer]
    if m.chief.startswith("Bộ trưởng"):
        return f"{m.chief} {m.name}"
    if m.abbr == "NHNN":
        return f"{m.chief} {m.name}"
    return m.chief


class _Doc:
    """Writes one record from its header; ``r`` is the record's own random generator."""

    def __init__(self, gen: _Generator, h: _Header, rng: random.Random) -> None:
        self.gen = gen
        self.h = h
        self.rng = rng
        self.r = rng.random
        self.domain_index = h.domain
        self.domain = DOMAINS[h.domain]
        self.type_name = TYPE_NAMES[h.kind]
        self.this = f"{self.type_name} này"
        self.issuer_name = _issuer_name(h)
        self.districts = DISTRICTS.get(PROVINCES[h.province][1], ()) if h.province >= 0 else ()
        # Set while the record is written (build() calls the steps in order).
        self.primary: tuple[str, _Target] | None = None
        self.relations_full: list[tuple[str, _Target]] = []
        self.effective: int | None = None
        self.expiry = 0
        self.scope = ""
        self.title_body = ""
        self.individual = ""  # "appoint", "award" or "project" for individual decisions
        self.appointee: tuple[str, bool] = ("", False)
        self.appointed_to = ""
        self.work = ""
        self.district = ""

    # Picks. A power of the draw (u ** 1.5) favours the start of a bank: a power law over
    # positions, so the first phrases of a bank are the common ones.
    def pick(self, bank: tuple[str, ...]) -> str:
        return bank[int(self.r() * len(bank))]

    def duty(self) -> str:
        return DUTIES[int((self.r() ** 1.5) * len(DUTIES))]

    def term(self) -> str:
        d = self.domain
        u = self.r()
        if u < 0.012 and d.rare:  # rare phrases stay rare across the corpus
            return d.rare[int(self.r() * len(d.rare))]
        if u < 0.55:
            return d.terms[int((self.r() ** 1.6) * len(d.terms))]
        if u < 0.75:
            return "việc " + d.acts[int(self.r() * len(d.acts))]
        return OBJECTS[int((self.r() ** 1.8) * len(OBJECTS))]

    def subject(self) -> str:
        u = self.r()
        if u < 0.25:
            return self.pick(self.domain.actors)
        if u < 0.35 and self.districts:
            communes = COMMUNES.get(PROVINCES[self.h.province][1])
            if communes and u < 0.28:
                return "Ủy ban nhân dân xã " + self.pick(communes)
            return "Ủy ban nhân dân huyện " + self.pick(self.districts)
        return SUBJECTS[int((self.r() ** 2.2) * len(SUBJECTS))]

    def adjunct(self) -> str:
        return ADJUNCTS[int((self.r() ** 1.7) * len(ADJUNCTS))].replace("{this}", self.this)

    def lead(self) -> Ministry:
        """The ministry leading this document's subject on its date."""
        abbr = self.domain.ministries[-1 if self.h.ordinal >= _MERGE_START else 0]
        return MINISTRIES[_valid_ministry(abbr, self.h.ordinal)]

    def department(self, head: bool = True) -> str:
        """The provincial department for this subject, with its head ("Giám đốc Sở Tư pháp")."""
        abbr = self.lead().abbr
        title, unit = DEPARTMENTS[abbr]
        if abbr in ("BNNMT", "BTNMT") and self.h.ordinal < _MERGE_START:
            if self.domain.fields[0] in ("Nông nghiệp", "Lâm nghiệp", "Thủy sản"):
                unit = "Sở Nông nghiệp và Phát triển nông thôn"
            else:
                unit = "Sở Tài nguyên và Môi trường"
        return f"{title} {unit}" if head else unit

    def act(self) -> str:
        return self.pick(self.domain.acts)

    # Sentences (each a clause's text, capitalised, with its final stop).
    def sentence(self, mode: str = "generic") -> str:
        r = self.r
        if mode == "generic":
            mode = _GENERIC_MODES[int((r() ** 1.4) * len(_GENERIC_MODES))]
        if mode == "duty":
            return f"{_cap(self.subject())} có trách nhiệm {self.duty()} {self.term()} {self.adjunct()}."
        if mode == "must":
            return f"Việc {self.act()} phải bảo đảm {self.pick(QUALITIES)}."
        if mode == "follow":
            return f"Việc {self.act()} được thực hiện {self.adjunct()}."
        if mode == "proc":
            days = (3, 5, 7, 10, 15, 20, 30)[int(r() * 7)]
            dec = self.pick(DECISIONS)
            return (
                f"Trong thời hạn {days} ngày làm việc kể từ ngày nhận được hồ sơ hợp lệ, "
                f"{self.subject()} có trách nhiệm xem xét, {dec} {self.term()}; trường hợp "
                f"không {dec} thì phải trả lời bằng văn bản và nêu rõ lý do."
            )
        if mode == "case":
            return (
                f"Trường hợp {self.pick(CASES)}, {self.subject()} {self.duty()} "
                f"{self.term()} và thông báo cho {self.pick(self.domain.actors)} biết."
            )
        if mode == "right":
            return f"{_cap(self.pick(self.domain.actors))} {self.pick(RIGHTS)} {self.term()}."
        if mode == "ref":
            return (
                f"{_cap(self.term())} thực hiện theo quy định tại khoản {1 + int(r() * 4)} "
                f"Điều {2 + int(r() * 12)} {self.this} và {self.domain.law}."
            )
        if mode == "fund":
            return f"Kinh phí thực hiện {self.term()} được bảo đảm từ {self.pick(FUNDS)}."
        if mode == "report":
            return (
                f"{_cap(self.subject())} {self.duty()} {self.term()}, định kỳ "
                f"báo cáo {self.pick(REPORT_TO)} {self.adjunct()}."
            )
        if mode == "deadline":
            return (
                f"Chậm nhất sau {(5, 10, 15, 30, 45, 60)[int(r() * 6)]} ngày kể từ ngày "
                f"{self.pick(EVENTS)}, {self.subject()} phải {self.duty()} {self.term()}."
            )
        if mode == "basis":
            return f"Mức chi cho {self.term()} được xác định trên cơ sở {self.pick(BASES)}."
        if mode == "annual":
            return (
                f"Hằng năm, {self.subject()} tổ chức {self.pick(GATHERINGS)} về {self.term()} "
                f"nhằm {self.pick(PURPOSES)}."
            )
        if mode == "archive":
            return (
                f"Hồ sơ về {self.term()} được lưu trữ dưới dạng {self.pick(FORMATS)} trong thời "
                f"hạn tối thiểu {(5, 10, 20)[int(r() * 3)]} năm."
            )
        if mode == "prohibit":
            return f"Nghiêm cấm {self.pick(PROHIBITED)} {self.term()}."
        if mode == "policy":
            return (
                f"Nhà nước khuyến khích {self.pick(self.domain.actors)} tham gia "
                f"{self.term()} nhằm {self.pick(PURPOSES)}."
            )
        if mode == "define":
            term = self.pick(self.domain.terms)
            return (
                f"{_cap(term)} là {self.pick(KINDS)} được {self.subject()} "
                f"{self.pick(PARTICIPLES)} nhằm {self.pick(PURPOSES)}."
            )
        raise ValueError(mode)

    def point(self, mode: str, i: int, offset: int) -> str:
        """A point's text, without its final punctuation."""
        if mode == "dossier":
            return PAPERS[(offset + i) % len(PAPERS)].replace("{this}", self.this)
        if mode == "cond":
            template = CONDITIONS[(offset + i) % len(CONDITIONS)]
            return template.replace("{term}", self.term()).replace("{this}", self.this)
        if mode == "prohibit":
            return f"{_cap(self.pick(PROHIBITED))} {self.term()}"
        if mode == "duty":
            return f"{_cap(self.duty())} {self.term()}"
        return f"{_cap(self.term())} {self.adjunct()}"

    def points(self, lines: list[str], mode: str, count: int) -> None:
        offset = int(self.r() * 64)
        for i in range(count):
            end = "." if i == count - 1 else ";"
            lines.append(f"{_POINTS[i]}) {self.point(mode, i, offset)}{end}")

    # Articles.
    def article(self, lines: list[str], number: int, heading: str, kind: str) -> None:
        r = self.r
        lines.append(f"Điều {number}. {heading}")
        if kind == "scope":
            lines.append(
                f"1. {self.this} quy định về {self.scope} và trách nhiệm của "
                f"{self.subject()} trong {self.term()}."
            )
            lines.append(f"2. {self.sentence('follow')}")
            return
        if kind == "subjects":
            lines.append(f"{self.this} áp dụng đối với:")
            actors = self.domain.actors
            n = min(len(actors), 2 + int(r() * 2))
            for i in range(n):
                lines.append(f"{i + 1}. {_cap(actors[i])}.")
            lines.append(f"{n + 1}. {_cap(SUBJECTS[0])}.")
            return
        if kind == "terms":
            lines.append(f"Trong {self.this}, các từ ngữ dưới đây được hiểu như sau:")
            for i in range(2 + int(r() * 3)):
                lines.append(f"{i + 1}. {self.sentence('define')}")
            return
        mode = _SENTENCE_MODES.get(kind, "generic")
        listed = kind in ("cond", "dossier", "list")
        clauses = 1 + int((r() ** 1.7) * 5)
        if clauses == 1 and not listed:
            lines.append(self.sentence(mode))
            return
        for c in range(clauses):
            if r() < 0.25 or (c == 0 and listed):
                if kind == "dossier":
                    intro, point_mode = "Hồ sơ gồm:", "dossier"
                elif kind == "cond":
                    intro = f"Việc {self.act()} phải đáp ứng các điều kiện sau đây:"
                    point_mode = "cond"
                elif kind == "list":
                    intro, point_mode = f"{_cap(self.term())} bao gồm:", "duty"
                elif kind == "prohibit":
                    intro, point_mode = "Các hành vi sau đây bị nghiêm cấm:", "prohibit"
                else:
                    intro = f"{_cap(self.subject())} có các nhiệm vụ, quyền hạn sau đây:"
                    point_mode = "duty"
                lines.append(f"{c + 1}. {intro}")
                self.points(lines, point_mode, 2 + int((r() ** 1.6) * 4))
            else:
                lines.append(f"{c + 1}. {self.sentence(mode)}")

    def heading(self, template: str, act: str = "", term: str = "") -> str:
        d = self.domain
        if "{act}" in template:
            template = template.replace("{act}", act or self.act())
        if "{term}" in template:
            template = template.replace("{term}", term or self.pick(d.terms))
        if "{actor2}" in template:
            template = template.replace("{actor2}", d.actors[-1])
        if "{actor}" in template:
            template = template.replace("{actor}", d.actors[0])
        if "{ministry}" in template:
            template = template.replace("{ministry}", MINISTRIES[d.ministries[-1]].name)
        return _cap(template.replace("{name}", d.name))

    # Whole bodies.
    def legal_body(self, lines: list[str]) -> None:
        r = self.r
        h = self.h
        if h.kind == "LUAT":
            n_articles = 20 + int((r() ** 3.2) * 100)
            n_chapters = 4 + int(r() * 7)
        else:
            n_articles = 4 + int((r() ** 3.4) * 36)
            n_chapters = 2 + int(r() * 5)
        # Final articles: transitional provisions (longer texts), entry into force, and (except
        # in laws) who carries the document out.
        transitional = n_articles >= 12
        n_final = transitional + 1 + (h.kind != "LUAT")
        n_general = min(2 + len(GENERAL_HEADINGS), max(2, n_articles // 5))
        n_mid = n_articles - n_final - n_general
        amend = self.primary if self.primary and self.primary[0] == "amends" else None
        if amend and not n_mid:
            n_mid = 1
        n_mid_chapters = max(0, min(n_chapters - 2, n_mid))
        if n_mid and not n_mid_chapters:
            n_mid_chapters = 1
        article = 0
        chapter = 1

        lines.append("")
        lines.append(f"Chương {_ROMAN[chapter]}")
        lines.append("NHỮNG QUY ĐỊNH CHUNG" if r() < 0.6 else "QUY ĐỊNH CHUNG")
        lines.append("")
        article += 1
        self.article(lines, article, "Phạm vi điều chỉnh", "scope")
        article += 1
        lines.append("")
        self.article(lines, article, "Đối tượng áp dụng", "subjects")
        for i in range(n_general - 2):
            template, kind = GENERAL_HEADINGS[i]
            article += 1
            lines.append("")
            self.article(lines, article, self.heading(template), kind)

        if n_mid_chapters:
            themes = list(range(len(THEMES)))
            per = n_mid // n_mid_chapters
            extra = n_mid - per * n_mid_chapters
            for c in range(n_mid_chapters):
                theme = themes.pop(int(r() * len(themes)) % len(themes)) if themes else 0
                title_template, headings = THEMES[theme]
                act, term = self.act(), self.pick(self.domain.terms)
                chapter += 1
                lines.append("")
                lines.append(f"Chương {_ROMAN[min(chapter, len(_ROMAN) - 1)]}")
                lines.append(self.heading(title_template, act, term).upper())
                count = per + (1 if c < extra else 0)
                sections = h.kind == "LUAT" and count >= 8 and r() < 0.5
                for i in range(count):
                    if sections and i in (0, count // 2):
                        lines.append("")
                        lines.append(f"Mục {1 if i == 0 else 2}")
                        lines.append(
                            self.heading(headings[i % len(headings)][0], act, term).upper()
                        )
                    lines.append("")
                    article += 1
                    if amend and c == 0 and i == 0:
                        self.amending_article(lines, article, amend[1])
                        continue
                    template, kind = headings[i % len(headings)]
                    if i >= len(headings):  # another round of the theme: another procedure
                        act, term = self.act(), self.pick(self.domain.terms)
                    self.article(lines, article, self.heading(template, act, term), kind)

        chapter += 1
        lines.append("")
        lines.append(f"Chương {_ROMAN[min(chapter, len(_ROMAN) - 1)]}")
        lines.append("ĐIỀU KHOẢN THI HÀNH")
        if transitional:
            lines.append("")
            article += 1
            lines.append(f"Điều {article}. Quy định chuyển tiếp")
            lines.append(
                f"1. Hồ sơ đã được tiếp nhận trước ngày {self.this} có hiệu lực thi hành thì "
                f"tiếp tục giải quyết theo quy định tại thời điểm tiếp nhận, trừ trường hợp "
                f"{self.pick(self.domain.actors)} có đề nghị áp dụng quy định tại {self.this}."
            )
            lines.append(f"2. {self.sentence('follow')}")
        lines.append("")
        article += 1
        self.effect_article(lines, article)
        if h.kind != "LUAT":
            lines.append("")
            article += 1
            lines.append(f"Điều {article}. Trách nhiệm thi hành")
            lines.append(self.responsible() + f" chịu trách nhiệm thi hành {self.this}./.")

    def amending_article(self, lines: list[str], number: int, target: _Target) -> None:
        r = self.r
        lines.append(f"Điều {number}. Sửa đổi, bổ sung một số điều của {target.cite}")
        for c in range(1 + int(r() * 3)):
            lines.append(
                f"{c + 1}. Sửa đổi, bổ sung khoản {1 + int(r() * 4)} Điều {2 + int(r() * 15)} "
                f"như sau: “{self.sentence('generic')}”"
            )

    def effect_article(self, lines: list[str], number: int) -> None:
        h = self.h
        lines.append(f"Điều {number}. Hiệu lực thi hành")
        effective = self.effective
        if effective is None or effective == h.ordinal:
            first = f"1. {self.this} có hiệu lực thi hành kể từ ngày ký ban hành."
        elif self.expiry:
            first = (
                f"1. {self.this} có hiệu lực thi hành từ {_spoken(effective)} đến hết "
                f"{_spoken(self.expiry)}."
            )
        else:
            first = f"1. {self.this} có hiệu lực thi hành kể từ {_spoken(effective)}."
        lines.append(first)
        clause = 2
        for kind, target in self.relations_full:
            if kind == "replaces" and target.kind == "LUAT":
                lines.append(f"{clause}. {self.this} thay thế {target.cite}.")
                clause += 1
            elif kind == "replaces":
                lines.append(
                    f"{clause}. {self.this} thay thế {target.cite} "
                    f"{_spoken(target.ordinal)} của {target.issuer_name} {target.name}."
                )
                clause += 1
            elif kind == "repeals":
                lines.append(
                    f"{clause}. Bãi bỏ {target.cite} {_spoken(target.ordinal)} "
                    f"của {target.issuer_name}."
                )
                clause += 1
        if clause == 2 and self.r() < 0.5:
            lines.append(f"2. {self.sentence('follow')}")

    def responsible(self) -> str:
        h = self.h
        if h.issuer in ("CP", "TTg"):
            return (
                "Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ, "
                "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"
            )
        if h.issuer in ("UBND", "HĐND"):
            return (
                "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, Thủ trưởng các ban, "
                "ngành, Chủ tịch Ủy ban nhân dân cấp huyện và các cơ quan, tổ chức, cá nhân có liên quan"
            )
        return (
            f"Chánh Văn phòng, Thủ trưởng các đơn vị thuộc {MINISTRIES[h.issuer].name} và các "
            "cơ quan, tổ chức, cá nhân có liên quan"
        )

    def preamble(self, lines: list[str]) -> None:
        """One to four "Căn cứ" lines, then who proposed the document."""
        h = self.h
        o = h.ordinal
        r = self.r
        d = self.domain
        if h.kind == "LUAT":
            cites = ["Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam"]
        elif h.issuer in ("CP", "TTg"):
            cites = [_in_force_law(GOVERNMENT_LAWS, o)]
        elif h.issuer in ("UBND", "HĐND"):
            cites = [_in_force_law(LOCAL_LAWS, o)]
        else:
            cites = [
                "Nghị định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức "
                f"của {MINISTRIES[h.issuer].name}"
            ]
        cited_law = False
        for kind, target in self.relations_full:
            if kind == "based_on" or (kind == "guides" and target.kind == "LUAT"):
                cites.append(f"{target.name} {_spoken(target.ordinal)}")
                cited_law = True
            elif kind == "guides":
                cites.append(
                    f"{target.cite} {_spoken(target.ordinal)} của {target.issuer_name} "
                    f"{target.name}"
                )
        if h.legal and h.kind != "LUAT" and len(cites) < 4 and r() < 0.5:
            promulgation = _in_force_law(PROMULGATION_LAWS, o)
            if promulgation:
                cites.insert(1, promulgation)
        if not cited_law and h.kind != "LUAT" and len(cites) < 4 and r() < 0.7:
            year = max(1990, date.fromordinal(o).year - 1 - int(r() * 6))
            month = 6 if r() < 0.5 else 11
            cites.append(f"{d.law} ngày {1 + int(r() * 28):02d} tháng {month} năm {year}")
        lines.extend(f"Căn cứ {cite};" for cite in cites)
        if h.kind == "NQ" and h.issuer == "HĐND":
            lines.append(
                f"Xét Tờ trình số {10 + int(r() * 300)}/TTr-UBND của Ủy ban nhân dân "
                f"{PROVINCES[h.province][0]}; Báo cáo thẩm tra của Ban Kinh tế - Ngân sách Hội "
                "đồng nhân dân; ý kiến thảo luận của đại biểu Hội đồng nhân dân tại kỳ họp."
            )
        elif h.issuer in ("CP", "TTg"):
            lines.append(f"Theo đề nghị của {_chief_of(self.lead().abbr)};")
        elif h.issuer == "UBND":
            lines.append(f"Theo đề nghị của {self.department()};")
        elif h.issuer not in ("QH",):
            lines.append("Theo đề nghị của Vụ trưởng Vụ Pháp chế;")

    def enacting(self) -> str:
        h = self.h
        body = self.title_body
        if h.kind == "LUAT":
            return f"Quốc hội ban hành Luật {body}."
        if h.issuer == "CP":
            return f"Chính phủ ban hành {self.type_name} {body}."
        if h.issuer == "TTg":
            return f"Thủ tướng Chính phủ ban hành {self.type_name} {body}."
        if h.issuer in ("UBND", "HĐND"):
            return f"{self.issuer_name} ban hành {self.type_name} {body}."
        if h.partner:
            return (
                f"{_chief_of(h.issuer)} và {_chief_of(h.partner)} ban hành {self.type_name} {body}."
            )
        return f"{_chief_of(h.issuer)} ban hành {self.type_name} {body}."

    def signature(self, lines: list[str], signer: str, deputy: bool) -> None:
        h = self.h
        lines.append("")
        if h.kind != "LUAT":
            lines.append("Nơi nhận:")
            lines.append("- Như Điều 3;" if h.kind == "QĐ" and not h.legal else "- Như trên;")
            offset = int(self.r() * len(RECIPIENTS))
            for i in range(2 + int(self.r() * 3)):
                lines.append(f"- {RECIPIENTS[(offset + i) % len(RECIPIENTS)]};")
            lines.append("- Lưu: VT, " + (h.unit or "TH") + ".")
            lines.append("")
        lines.extend(self.signature_lines(deputy))
        lines.append("")
        lines.append(signer)

    def signature_lines(self, deputy: bool) -> list[str]:
        h = self.h
        if h.issuer == "QH":
            return ["CHỦ TỊCH QUỐC HỘI"]
        if h.issuer == "CP":
            return (
                ["TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"]
                if deputy
                else [
                    "TM. CHÍNH PHỦ",
                    "THỦ TƯỚNG",
                ]
            )
        if h.issuer == "TTg":
            return ["KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG"] if deputy else ["THỦ TƯỚNG"]
        if h.issuer == "UBND":
            return (
                ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
                if deputy
                else ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
            )
        if h.issuer == "HĐND":
            return ["CHỦ TỊCH"]
        m = MINISTRIES[h.issuer]
        if deputy:
            return [f"KT. {m.chief.upper()}", m.deputy.upper()]
        return [m.chief.upper()]

    def position(self, deputy: bool) -> str:
        h = self.h
        if h.issuer == "QH":
            return "Chủ tịch Quốc hội"
        if h.issuer in ("CP", "TTg"):
            return "Phó Thủ tướng" if deputy else "Thủ tướng"
        if h.issuer in ("UBND", "HĐND"):
            return "Phó Chủ tịch" if deputy else "Chủ tịch"
        m = MINISTRIES[h.issuer]
        return m.deputy if deputy else m.chief

    # Directive bodies.
    def decision_body(self, lines: list[str]) -> None:
        r = self.r
        lines.append("QUYẾT ĐỊNH:")
        if self.individual == "appoint":
            lines.append(
                f"Điều 1. Bổ nhiệm {'bà' if self.appointee[1] else 'ông'} {self.appointee[0]}, "
                f"{self.pick(LOCAL_POSTS if self.h.issuer == 'UBND' else CENTRAL_POSTS)}, "
                f"giữ chức {self.appointed_to}, thời hạn bổ nhiệm là 05 năm kể từ ngày Quyết định này có hiệu lực."
            )
            lines.append(
                f"Điều 2. {_cap(self.appointed_to)} được hưởng phụ cấp chức vụ và các chế độ khác theo quy định của pháp luật."
            )
        elif self.individual == "award":
            lines.append(
                f"Điều 1. Tặng Bằng khen của {self.issuer_name} cho {2 + int(r() * 30)} tập thể "
                f"và {3 + int(r() * 60)} cá nhân (có danh sách kèm theo) đã có thành tích xuất sắc "
                f"trong {self.term()}, góp phần vào sự nghiệp xây dựng chủ nghĩa xã hội và bảo vệ Tổ quốc."
            )
            lines.append(
                "Điều 2. Các tập thể, cá nhân được khen thưởng được hưởng chế độ theo quy định của "
                "pháp luật về thi đua, khen thưởng."
            )
        elif self.individual == "project":
            lines.append(f"Điều 1. {_cap(self.title_body)} với các nội dung chủ yếu sau:")
            start = date.fromordinal(self.h.ordinal).year + 1
            lines.append(f"1. Chủ đầu tư: Ban Quản lý dự án đầu tư xây dựng huyện {self.district}.")
            lines.append(
                f"2. Mục tiêu đầu tư: {self.pick(PURPOSES)}; từng bước hoàn thiện hạ tầng "
                "kinh tế - xã hội của địa phương."
            )
            lines.append(f"3. Tổng mức đầu tư dự kiến: {5 + int(r() * 300)} tỷ đồng.")
            lines.append(
                f"4. Nguồn vốn: {self.pick(('vốn ngân sách tỉnh', 'vốn ngân sách huyện', 'vốn ngân sách trung ương hỗ trợ có mục tiêu', 'vốn chương trình mục tiêu quốc gia'))}."
            )
            lines.append(f"5. Thời gian thực hiện: năm {start} - {start + 1 + int(r() * 3)}.")
            lines.append("Điều 2. Tổ chức thực hiện")
            lines.append(
                f"Ủy ban nhân dân huyện {self.district} có trách nhiệm chỉ đạo chủ đầu tư lập, "
                "trình thẩm định, phê duyệt dự án theo quy định của pháp luật về đầu tư công."
            )
        else:
            lines.append(f"Điều 1. {_cap(self.title_body)} với các nội dung chủ yếu sau:")
            for i, label in enumerate(
                ("Mục tiêu", "Nhiệm vụ, giải pháp", "Kinh phí thực hiện")[: 2 + int(r() * 2)]
            ):
                if label == "Mục tiêu":
                    text = f"{_cap(self.pick(PURPOSES))}; bảo đảm {self.pick(QUALITIES)}."
                elif label == "Kinh phí thực hiện":
                    text = f"Kinh phí thực hiện được bảo đảm từ {self.pick(FUNDS)}."
                else:
                    text = f"{_cap(self.duty())} {self.term()}; {self.duty()} {self.term()} {self.adjunct()}."
                lines.append(f"{i + 1}. {label}: {text}")
            lines.append("Điều 2. Tổ chức thực hiện")
            lines.append(self.sentence("duty"))
        lines.append(
            f"Điều 3. Quyết định này có hiệu lực kể từ ngày ký ban hành. {self.responsible()} "
            "chịu trách nhiệm thi hành Quyết định này./."
        )

    def letter_body(self, lines: list[str], conclusion: bool) -> None:
        r = self.r
        h = self.h
        if conclusion:
            leader = _person(self.rng)[0]
            lines.append(
                f"Ngày {1 + int(r() * 28):02d} tháng {1 + int(r() * 12)}, tại trụ sở Chính phủ, "
                f"Phó Thủ tướng Chính phủ {leader} đã chủ trì cuộc họp về {self.domain.name}. "
                f"Tham dự cuộc họp có đại diện lãnh đạo {MINISTRIES[self.domain.ministries[0]].name}, "
                f"{self.pick(SUBJECTS[:12])}. Sau khi nghe báo cáo và ý kiến của các đại biểu "
                f"dự họp, Phó Thủ tướng Chính phủ {leader} kết luận như sau:"
            )
        else:
            if self.districts and r() < 0.5:
                lines.append(f"Kính gửi: Ủy ban nhân dân huyện {self.pick(self.districts)}.")
            else:
                lines.append(f"Kính gửi: {self.lead().name}; {self.pick(ADDRESSEES)}.")
            source = self.lead()
            speaker = "Thủ tướng Chính phủ" if h.issuer == "VPCP" else self.issuer_name
            lines.append(
                f"Xét đề nghị của {source.name} tại văn bản số {100 + int(r() * 9000)}/"
                f"{source.abbr}-{source.units[0]} về {self.domain.name}, {speaker} có ý kiến như sau:"
            )
        for i in range(2 + int(r() * 3)):
            lines.append(f"{i + 1}. {self.sentence('duty' if i == 0 else 'generic')}")
        if h.issuer == "VPCP":
            lines.append(
                "Văn phòng Chính phủ thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./."
            )
        else:
            lines.append(
                f"{self.issuer_name} đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./."
            )

    def directive_body(self, lines: list[str]) -> None:
        r = self.r
        d = self.domain
        lines.append(
            f"Thời gian qua, công tác {d.name} {self.pick(EVALUATIONS)}. Tuy nhiên, "
            f"{self.pick(SHORTCOMINGS)}."
        )
        speaker = {"TTg": "Thủ tướng Chính phủ", "UBND": f"Chủ tịch {self.issuer_name}"}.get(
            self.h.issuer, self.issuer_name
        )
        if self.h.issuer not in ("TTg", "UBND"):
            speaker = _chief_of(self.h.issuer)
        lines.append(f"Để {self.pick(PURPOSES)}, {speaker} chỉ thị:")
        first = self.department(head=False) if self.h.issuer == "UBND" else self.lead().name
        offset = int(r() * 12)
        for i in range(2 + int(r() * 3)):
            who = first if i == 0 else SUBJECTS[(offset + i) % 12 + 1]
            lines.append(f"{i + 1}. {_cap(who)}:")
            self.points(lines, "duty", 2 + int(r() * 2))
        lines.append(f"{self.responsible()} chịu trách nhiệm thi hành Chỉ thị này./.")

    def plan_body(self, lines: list[str]) -> None:
        r = self.r
        h = self.h
        parts: tuple[str, ...]
        if h.kind == "BC":
            parts = ("TÌNH HÌNH THỰC HIỆN", "TỒN TẠI, HẠN CHẾ", "KIẾN NGHỊ, ĐỀ XUẤT")
        elif h.kind == "NQ":
            lines.append(
                "Trên cơ sở thảo luận của các Thành viên Chính phủ và kết luận của Thủ tướng "
                "Chính phủ tại phiên họp,"
            )
            lines.append("QUYẾT NGHỊ:")
            parts = ("NHIỆM VỤ, GIẢI PHÁP CHỦ YẾU", "TỔ CHỨC THỰC HIỆN")
        else:
            parts = ("MỤC ĐÍCH, YÊU CẦU", "NHIỆM VỤ, GIẢI PHÁP", "TỔ CHỨC THỰC HIỆN")
        for i, part in enumerate(parts):
            lines.append(f"{_ROMAN[i + 1]}. {part}")
            if part.startswith("TỒN TẠI"):
                lines.append(f"{_cap(self.pick(SHORTCOMINGS))}.")
                continue
            if part.startswith("TÌNH HÌNH"):
                lines.append(f"Công tác {self.domain.name} {self.pick(EVALUATIONS)}.")
            for j in range(1 + int(r() * 2)):
                lines.append(f"{j + 1}. {self.sentence('duty' if j == 0 else 'generic')}")

    # Titles.
    def choose_title(self) -> tuple[str, str]:
        """The trích yếu after the type name, in Vietnamese and English."""
        h = self.h
        d = self.domain
        r = self.r
        year = date.fromordinal(h.ordinal).year
        province, province_en = "", ""
        if h.province >= 0:
            province = " trên địa bàn " + PROVINCES[h.province][0]
            province_en = " in " + fold(PROVINCES[h.province][1]).title()
        self.scope = d.name
        if self.primary:
            kind, t = self.primary
            tname, ten = t.type_name, t.type_en
            if h.kind == "LUAT":
                if kind == "amends":
                    return (
                        f"sửa đổi, bổ sung một số điều của {t.name}",
                        f"Law amending and supplementing a number of articles of the {t.name_en}",
                    )
                return t.name[5:], t.name_en  # a new law under the same name
            if kind == "amends":
                return (
                    f"sửa đổi, bổ sung một số điều của {tname} số {t.number} {t.name}",
                    f"amending and supplementing a number of articles of {ten} No. {t.number}",
                )
            if kind == "guides" and t.kind == "LUAT":
                return (
                    f"quy định chi tiết một số điều và biện pháp thi hành {t.name}",
                    f"detailing a number of articles of and measures to implement the {t.name_en}",
                )
            if kind == "guides":
                return (
                    f"hướng dẫn thi hành một số điều của {tname} số {t.number} {t.name}",
                    f"guiding the implementation of {ten} No. {t.number}",
                )
        n, ne = d.name, d.name_en
        k = h.kind
        options: tuple[tuple[str, str], ...]
        if k == "LUAT":
            return d.law[5:], d.law_en
        if k == "NĐ":
            options = (
                (f"quy định về {n}", f"on {ne}"),
                (f"quy định chi tiết một số điều và biện pháp thi hành {d.law}", f"detailing the {d.law_en}"),
                (f"quy định xử phạt vi phạm hành chính trong lĩnh vực {n}", f"on penalties for administrative violations in {ne}"),
                (f"quy định một số chính sách về {n}", f"on certain policies on {ne}"),
            )  # fmt: skip
        elif k in ("TT", "TTLT"):
            options = (
                (f"hướng dẫn một số nội dung về {n}", f"guiding certain matters of {ne}"),
                (f"quy định chi tiết về {n}", f"detailing {ne}"),
                (f"quy định chế độ báo cáo trong lĩnh vực {n}", f"on reporting in {ne}"),
                (f"ban hành quy chuẩn kỹ thuật quốc gia trong lĩnh vực {n}", f"promulgating national technical regulations in {ne}"),
            )  # fmt: skip
            if k == "TTLT":
                options = ((f"hướng dẫn phối hợp thực hiện {n}", f"guiding coordination in {ne}"),)
        elif k == "QĐ" and h.legal:
            options = (
                (f"ban hành Quy định về {n}{province}", f"promulgating the Regulation on {ne}{province_en}"),
                (f"quy định chi tiết một số nội dung về {n}{province}", f"detailing certain matters of {ne}{province_en}"),
                (f"ban hành Quy chế phối hợp trong {n}{province}", f"promulgating the coordination rules for {ne}{province_en}"),
            )  # fmt: skip
        elif k == "QĐ":
            y1 = year - year % 5 + 1
            self.individual = ""
            u = r()
            if u < 0.15:
                self.individual = "appoint"
                self.appointee = _person(self.rng)
                if h.issuer in ("UBND",):
                    self.appointed_to = "Phó " + self.department()
                elif h.issuer == "TTg":
                    m = MINISTRIES[self.pick(d.ministries)]
                    self.appointed_to = (
                        f"{m.deputy} {m.name}" if m.deputy == "Thứ trưởng" else m.deputy
                    )
                else:
                    self.appointed_to = "Cục trưởng"
                return (
                    f"về việc bổ nhiệm {'bà' if self.appointee[1] else 'ông'} {self.appointee[0]} giữ chức {self.appointed_to}",
                    "on an appointment",
                )
            if u < 0.25:
                self.individual = "award"
                return "về việc tặng Bằng khen", "on awarding certificates of merit"
            if u < 0.5 and self.districts:
                self.individual = "project"
                self.domain_index = _PUBLIC_INVESTMENT  # its law and department, whatever drawn
                self.domain = DOMAINS[_PUBLIC_INVESTMENT]
                self.work = self.pick(WORKS)
                self.district = self.pick(self.districts)
                communes = COMMUNES.get(PROVINCES[h.province][1])
                where = f"huyện {self.district}, {PROVINCES[h.province][0]}"
                if communes and r() < 0.6:
                    where = f"xã {self.pick(communes)}, {where}"
                return (
                    f"phê duyệt chủ trương đầu tư dự án {self.work} tại {where}",
                    f"approving the investment policy of a public works project in {fold(self.district).title()} district",
                )
            options = (
                (f"phê duyệt Đề án {n} giai đoạn {y1}-{y1 + 4}", f"approving the Scheme on {ne} for {y1}-{y1 + 4}"),
                (f"thành lập Ban Chỉ đạo về {n}{province}", f"establishing the Steering Committee for {ne}{province_en}"),
                (f"công bố thủ tục hành chính mới ban hành, được sửa đổi, bổ sung trong lĩnh vực {n}", f"announcing new and amended administrative procedures in {ne}"),
                (f"phê duyệt Kế hoạch thực hiện {n} năm {year}", f"approving the {year} plan for {ne}"),
                (f"giao chỉ tiêu, nhiệm vụ về {n} năm {year}{province}", f"assigning the {year} targets for {ne}{province_en}"),
            )  # fmt: skip
        elif k == "CV":
            options = (
                (f"về việc đẩy nhanh tiến độ thực hiện nhiệm vụ về {n}", f"on speeding up tasks on {ne}"),
                (f"về việc hướng dẫn thực hiện {n}", f"guiding the implementation of {ne}"),
                (f"về việc trả lời kiến nghị của cử tri liên quan đến {n}", f"replying to voters' petitions on {ne}"),
                (f"về việc góp ý dự thảo Nghị định quy định về {n}", f"commenting on the draft Decree on {ne}"),
                (f"về việc tháo gỡ khó khăn, vướng mắc trong {n}", f"on removing obstacles in {ne}"),
            )  # fmt: skip
        elif k == "CT":
            options = (
                (f"về tăng cường hiệu quả công tác {n}{province}", f"on making work on {ne} more effective{province_en}"),
                (f"về đẩy mạnh thực hiện các nhiệm vụ, giải pháp về {n}", f"on stepping up the tasks and solutions for {ne}"),
                (f"về chấn chỉnh kỷ luật, kỷ cương trong {n}", f"on tightening discipline in {ne}"),
            )  # fmt: skip
        elif k == "NQ" and h.legal:
            options = (
                (
                    f"quy định một số chính sách về {n}{province}",
                    f"on certain policies on {ne}{province_en}",
                ),
            )
        elif k == "NQ":
            options = (
                (f"về những nhiệm vụ, giải pháp chủ yếu về {n} năm {year}", f"on the main tasks and solutions for {ne} in {year}"),
                (f"phiên họp Chính phủ thường kỳ tháng {1 + int(r() * 12)} năm {year}", f"on the regular Government meeting of {year}"),
            )  # fmt: skip
        elif k == "KH":
            options = (
                (
                    f"triển khai thực hiện {n} năm {year}{province}",
                    f"implementing {ne} in {year}{province_en}",
                ),
            )
        elif k == "TB":
            options = (
                (
                    f"kết luận của Phó Thủ tướng Chính phủ tại cuộc họp về {n}",
                    f"conclusions of the Deputy Prime Minister on {ne}",
                ),
            )
        elif k == "HD":
            options = (
                (
                    f"thực hiện một số nội dung về {n}{province}",
                    f"on implementing certain matters of {ne}{province_en}",
                ),
            )
        else:  # BC
            options = ((f"tình hình thực hiện {n} năm {year}", f"on {ne} in {year}"),)
        return options[int(r() * len(options))]

    # Relations.
    def choose_relations(self) -> None:
        h = self.h
        pool_kind = _pool_kind(h.kind, h.legal)
        rules = RELATION_RULES.get(pool_kind)
        r = self.r
        if not rules or r() >= RELATION_RATE[pool_kind]:
            return
        wanted = 1 + (r() < 0.4) + (r() < 0.12)
        total = sum(w for _, _, w in rules)
        seen: set[str] = set()
        for n in range(wanted):
            kind, kinds = _weighted_rule(rules, r() * total)
            target_kind = kinds[int(r() * len(kinds))]
            target = self.gen.find_target(self, target_kind, kind)
            if target is None or target.number in seen:
                continue
            if n > 0 and kind == "amends":  # one amended document; further ones are repealed
                if h.kind == "LUAT":
                    continue
                kind = "repeals"
            seen.add(target.number)
            self.relations_full.append((kind, target))
            if self.primary is None and kind in ("amends", "guides", "replaces"):
                self.primary = (kind, target)
                if target.domain != self.domain_index:  # the document follows its target
                    self.domain_index = target.domain
                    self.domain = DOMAINS[target.domain]

    # Dates.
    def choose_dates(self) -> None:
        h = self.h
        r = self.r
        o = h.ordinal
        self.expiry = 0
        if h.kind == "LUAT":
            d = date.fromordinal(o)
            if d.month <= 6:
                eff = date(d.year + 1, 1, 1) if r() < 0.7 else date(d.year + 1, 7, 1)
            else:
                eff = date(d.year + 1, 7, 1) if r() < 0.6 else date(d.year + 2, 1, 1)
            self.effective = eff.toordinal()
        elif h.legal:
            u = r()
            if o >= _LAW_2016:
                if u < 0.55:
                    self.effective = o + 45
                elif u < 0.9:
                    d = date.fromordinal(o + 45)
                    self.effective = (
                        date(d.year + (d.month == 12), d.month % 12 + 1, 1)
                    ).toordinal()
                else:
                    self.effective = o
            elif u < 0.5:
                self.effective = o + 15
            elif u < 0.8:
                self.effective = o + 45
            else:
                d = date.fromordinal(o + 30)
                self.effective = (date(d.year + (d.month == 12), d.month % 12 + 1, 1)).toordinal()
            if r() < 0.07:
                year = date.fromordinal(self.effective).year + 1 + int(r() * 8)
                self.expiry = date(year, 12, 31).toordinal()
        elif h.kind in ("CV", "TB", "BC"):
            self.effective = None
        else:
            self.effective = o
            if h.kind in ("KH", "QĐ", "CT") and r() < 0.05:
                self.expiry = date(date.fromordinal(o).year + 1 + int(r() * 4), 12, 31).toordinal()

    # The record.
    def build(self) -> dict[str, Any]:
        h = self.h
        r = self.r
        # Drawn first: what follows the relations depends on the run, the signer must not.
        deputy_draw, signer_draw, title_en_draw = r(), r(), r()
        self.choose_relations()
        self.choose_dates()
        title_body, title_en_body = self.choose_title()
        self.title_body = title_body
        d = self.domain
        if h.kind == "LUAT":
            title = f"Luật {title_body}"
            title_en = title_en_body
        else:
            title = f"{self.type_name} {title_body}"
            title_en = f"{TYPE_EN[h.kind]} {title_en_body}"
        deputy = deputy_draw < (0.35 if h.issuer == "CP" else 0.62)
        if h.issuer in ("QH", "HĐND"):
            deputy = False
        team = self.gen.signers.team(h.issuer, h.province, h.ordinal)
        signer = team[1 + int(signer_draw * 3)] if deputy else team[0]

        lines: list[str] = []
        k = h.kind
        if h.legal:
            self.preamble(lines)
            lines.append(self.enacting())
            self.legal_body(lines)
        elif k == "QĐ":
            self.preamble(lines)
            self.decision_body(lines)
        elif k in ("CV", "TB"):
            self.letter_body(lines, conclusion=k == "TB")
        elif k == "CT":
            self.directive_body(lines)
        else:
            self.plan_body(lines)
        self.signature(lines, signer, deputy)

        if self.individual == "project":
            fields = ["Đầu tư", "Xây dựng - Đô thị"]
        else:
            fields = [d.fields[0]]
            if len(d.fields) > 1 and r() < 0.6:
                fields.append(d.fields[1])
            if r() < 0.12:
                extra = FIELDS[int(r() * len(FIELDS))]
                if extra not in fields:
                    fields.append(extra)

        if h.kind == "LUAT":
            summary = [f"Luật {title_body} quy định về {d.name}."]
        else:
            summary = [f"{_cap(title_body)}."]
        if h.legal:
            summary.append(f"Áp dụng đối với {d.actors[0]} và {d.actors[-1]}.")
        elif k == "BC":
            summary.append(f"Đánh giá kết quả, tồn tại, hạn chế và kiến nghị về {d.name}.")
        elif not self.individual:
            who = self.department(head=False) if h.issuer == "UBND" else self.lead().name
            summary.append(f"Giao {who} chủ trì, phối hợp với các cơ quan liên quan thực hiện.")
        if self.effective and h.legal:
            summary.append(f"Có hiệu lực từ {_spoken(self.effective)}.")
        elif self.relations_full:
            t = self.relations_full[0][1]
            summary.append(f"Liên quan đến văn bản số {t.number}.")

        effective = self.effective
        return {
            "external_id": "",
            "number": h.number,
            "type": self.type_name,
            "category": "legal" if h.legal else "directive",
            "issuer": h.issuer,
            "title": title[:500],
            "title_en": title_en[:500] if title_en_draw < 0.1 else "",
            "summary": " ".join(summary),
            "signer": signer,
            "signer_position": self.position(deputy),
            "issued_date": _iso(h.ordinal),
            "effective_date": _iso(effective) if effective else None,
            "expiry_date": _iso(self.expiry) if self.expiry else None,
            "fields": fields,
            "text": "\n".join(lines),
            "relations": [{"kind": kind, "target": t.number} for kind, t in self.relations_full],
        }


class _Generator:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.numbering = _Numbering()
        self.signers = _Signers(seed)
        # Earlier documents of this run, for relations: per pool kind, and per (kind, domain).
        self.pools: dict[str, list[_Target]] = {}
        self.domain_pools: dict[tuple[str, int], list[_Target]] = {}
        self.issuer_pools: dict[tuple[str, str], list[_Target]] = {}

    def find_target(self, doc: _Doc, kind: str, relation: str) -> _Target | None:
        """An earlier document of ``kind`` issued before ``doc``.

        A document amends, replaces or repeals only its own issuer's documents; it guides or
        is based on a document on its subject (or, less often, any).
        """
        r = doc.r
        if relation in ("amends", "replaces", "repeals"):
            pools = [self.issuer_pools.get((kind, _issuer_key(doc.h)))]
        else:
            pools = [self.domain_pools.get((kind, doc.domain_index))]
            if relation == "based_on":
                pools.append(self.pools.get(kind))
        for pool in pools:
            if not pool:
                continue
            for _ in range(3):
                # Recent documents are amended more often than old ones.
                target = pool[len(pool) - 1 - int((r() ** 1.5) * len(pool))]
                if target.ordinal < doc.h.ordinal:
                    return target
        return None

    def remember(self, doc: _Doc) -> None:
        h = doc.h
        kind = _pool_kind(h.kind, h.legal)
        if kind not in ("LUAT", "NĐ", "TT", "TTLT", "QĐL", "NQL", "QĐD", "CT"):
            return
        if h.kind == "LUAT":
            law = "Luật " + doc.title_body
            name, name_en = law, doc.domain.law_en
        else:
            name, name_en = doc.title_body, doc.domain.name_en
        domain = doc.domain_index
        target = _Target(
            h.ordinal, h.number, kind, name, name_en, doc.issuer_name, domain,
            doc.type_name, TYPE_EN[h.kind],
        )  # fmt: skip
        self.pools.setdefault(kind, []).append(target)
        self.domain_pools.setdefault((kind, domain), []).append(target)
        self.issuer_pools.setdefault((kind, _issuer_key(h)), []).append(target)


def generate_records(count: int, *, seed: int = 2026, start: int = 0) -> Iterator[dict[str, Any]]:
    """``count`` synthetic documents with indexes ``start .. start + count - 1``.

    Same seed, same records. The numbers of records ``0 .. start - 1`` are replayed (headers
    only) so that numbers stay unique when a database is filled in several runs.
    """
    gen = _Generator(seed)
    for index in range(start):
        gen.numbering.header(seed, index)
    for index in range(start, start + count):
        header, rng = gen.numbering.header(seed, index)
        doc = _Doc(gen, header, rng)
        record = doc.build()
        record["external_id"] = f"synthetic:{index:06d}"
        gen.remember(doc)
        yield record


def numbers(count: int, *, seed: int = 2026) -> list[tuple[str, str, bool]]:
    """(number, type name, legal) of the first ``count`` records, without writing their text."""
    numbering = _Numbering()
    out = []
    for index in range(count):
        header, _ = numbering.header(seed, index)
        out.append((header.number, TYPE_NAMES[header.kind], header.legal))
    return out


# --- the benchmark query set -----------------------------------------------------------------

COMMON_PHRASES = _split(
    "nghị định | quy định | cơ quan nhà nước | thủ tục hành chính | ủy ban nhân dân | "
    "hiệu lực thi hành | trách nhiệm thi hành | tổ chức thực hiện | cơ quan | hồ sơ | kinh phí | "
    "báo cáo | thông tư | quyết định | phạm vi điều chỉnh | đối tượng áp dụng | pháp luật | "
    "ngân sách nhà nước | ngày làm việc | bộ trưởng | thủ tướng chính phủ | hướng dẫn | "
    "trách nhiệm | điều kiện | có liên quan"
)
QUESTION_TEMPLATES = (
    "Tôi muốn hỏi thủ tục {act} cần chuẩn bị những giấy tờ gì và nộp hồ sơ ở cơ quan nào?",
    "Cho tôi hỏi trường hợp {actor} chậm thực hiện {act} thì có bị xử phạt không và mức phạt là bao nhiêu?",
    "Gia đình tôi ở {province}, xin hỏi thời hạn giải quyết {act} là bao nhiêu ngày làm việc?",
    "Xin hỏi quy định hiện hành về {term} được áp dụng như thế nào đối với {actor}?",
    "Doanh nghiệp của tôi muốn {act} thì cần đáp ứng những điều kiện gì theo quy định mới nhất?",
    "Văn bản nào quy định về {term} và cơ quan nào có thẩm quyền giải quyết khi có tranh chấp?",
    "Nếu hồ sơ {act} bị từ chối thì tôi có quyền khiếu nại lên cơ quan nào và trong thời hạn bao lâu?",
)
FILTER_TYPES = ("Nghị định", "Thông tư", "Quyết định", "Công văn", "Luật", "Chỉ thị", "Nghị quyết")


def _syllables(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalpha() for ch in w))


def query_mix(
    seed: int = 7, *, documents: int = 200_000, generator_seed: int = 2026
) -> list[tuple[str, dict[str, Any]]]:
    """About 200 benchmark queries drawn from the generator's vocabulary.

    Each is ``(query_text, {"class": ..., **filters})``; number queries also carry
    ``"expect"``, the number as generated (the document expected first). Numbers are those of
    ``generate_records(documents, seed=generator_seed)``, mostly among the first indexes, so
    that a smaller load still holds most of them.
    """
    rng = random.Random(seed)  # noqa: S311 - made-up content
    r = rng.random
    out: list[tuple[str, dict[str, Any]]] = []

    def domain() -> Domain:
        return DOMAINS[int(r() * len(DOMAINS))]

    def words(d: Domain) -> str:
        picked = rng.choice(d.terms + d.acts).split()
        while len(picked) < 3:
            picked += rng.choice(d.terms).split()
        picked = [w.strip(",") for w in picked[:6]]
        return " ".join(picked)

    rare = [p for d in DOMAINS for p in d.rare if "," not in p and len(p.split()) >= 3]
    for phrase in rng.sample(rare, 30):
        parts = phrase.split()
        size = 3 if len(parts) < 4 else 3 + int(r() * 2)
        begin = int(r() * (len(parts) - size + 1)) if len(parts) > size else 0
        out.append((f'"{" ".join(parts[begin : begin + size])}"', {"class": "rare_phrase"}))
    for phrase in rng.sample(COMMON_PHRASES, 25):
        out.append((f'"{phrase}"', {"class": "common_phrase"}))
    for _ in range(30):
        out.append((words(domain()), {"class": "words"}))
    for _ in range(25):
        out.append((fold(words(domain())), {"class": "folded"}))

    table = numbers(documents, seed=generator_seed)
    for i in range(30):
        number, _, _ = table[int(documents * r() ** 2)]
        left, _, right = number.partition("/")
        parts = right.split("/")
        symbol = parts[-1]
        style = i % 4
        if style == 0:
            text = number
        elif style == 1:
            text = _strip_marks(number)
        elif style == 2:
            text = f"{left}/{parts[0]}" if len(parts) == 2 else _strip_marks(number).lower()
        else:
            text = f"{symbol} {left}"
        out.append((text, {"class": "number", "expect": number}))

    by_field = {f: [d for d in DOMAINS if f in d.fields] for f in FIELDS}
    by_ministry = {m: [d for d in DOMAINS if m in d.ministries] for m in MINISTRIES}
    for i in range(30):
        choice = i % 6
        d = domain()
        spec: dict[str, Any]
        if choice == 0:
            spec = {"type": rng.choice(FILTER_TYPES)}
        elif choice == 1:
            abbr = rng.choice([m for m, ds in by_ministry.items() if ds])
            d = rng.choice(by_ministry[abbr])
            spec = {"issuer": abbr}
        elif choice == 2:
            spec = {"year": 2000 + int(r() * 26)}
        elif choice == 3:
            spec = {"status": "in_force" if r() < 0.75 else "expired"}
        elif choice == 4:
            field = rng.choice([f for f, ds in by_field.items() if ds])
            d = rng.choice(by_field[field])
            spec = {"field": field}
        else:
            spec = {"category": "legal" if r() < 0.6 else "directive"}
        out.append((words(d), {"class": "filtered", **spec}))

    while sum(1 for _, s in out if s["class"] == "question") < 30:
        d = domain()
        text = rng.choice(QUESTION_TEMPLATES).format(
            act=rng.choice(d.acts),
            actor=rng.choice(d.actors),
            term=rng.choice(d.terms),
            province=rng.choice(PROVINCES)[0],
        )
        if 15 <= _syllables(text) <= 30:
            out.append((text, {"class": "question"}))
    return out

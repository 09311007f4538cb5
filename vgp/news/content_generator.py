"""Made-up but plausible news in Vietnamese and English, for the demo and for load tests.

Every sentence is assembled here from the project's own phrase lists (nothing is copied from a
real newspaper). A story is a set of choices (who, what, where, topic); the same choices render
in both languages, so an English item reads as the translation of its Vietnamese original.
Pictures are abstract compositions drawn with Pillow: coloured fields, a skyline of blocks and
a sun, different for every seed.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFilter

# (vi, en) pairs.
ACTORS = [
    ("Thủ tướng Chính phủ", "The Prime Minister"),
    ("Phó Thủ tướng Thường trực", "The Standing Deputy Prime Minister"),
    ("Chính phủ", "The Government"),
    ("Văn phòng Chính phủ", "The Government Office"),
    ("Bộ Tài chính", "The Ministry of Finance"),
    ("Bộ Khoa học và Công nghệ", "The Ministry of Science and Technology"),
    ("Bộ Xây dựng", "The Ministry of Construction"),
    ("Bộ Nông nghiệp và Môi trường", "The Ministry of Agriculture and Environment"),
    ("Bộ Y tế", "The Ministry of Health"),
    ("Bộ Giáo dục và Đào tạo", "The Ministry of Education and Training"),
]
TOPICS = [
    ("chuyển đổi số", "digital transformation"),
    ("Chính phủ điện tử", "e-Government"),
    ("cải cách thủ tục hành chính", "administrative procedure reform"),
    ("hạ tầng giao thông", "transport infrastructure"),
    ("phòng, chống thiên tai", "natural disaster prevention"),
    ("an sinh xã hội", "social security"),
    ("xuất khẩu nông sản", "farm exports"),
    ("giáo dục nghề nghiệp", "vocational education"),
    ("y tế cơ sở", "primary health care"),
    ("nhà ở xã hội", "social housing"),
    ("năng lượng tái tạo", "renewable energy"),
    ("kinh tế tư nhân", "the private economy"),
    ("giải ngân vốn đầu tư công", "public investment disbursement"),
    ("dữ liệu dân cư", "population data"),
]
PLACES = [
    ("Hà Nội", "Ha Noi"),
    ("Thành phố Hồ Chí Minh", "Ho Chi Minh City"),
    ("Đà Nẵng", "Da Nang"),
    ("Hải Phòng", "Hai Phong"),
    ("Cần Thơ", "Can Tho"),
    ("Huế", "Hue"),
    ("Quảng Ninh", "Quang Ninh"),
    ("Nghệ An", "Nghe An"),
    ("Lâm Đồng", "Lam Dong"),
    ("An Giang", "An Giang"),
    ("Lào Cai", "Lao Cai"),
    ("Khánh Hòa", "Khanh Hoa"),
]
# Title patterns: {a} actor, {t} topic, {p} place, {n} a number.
TITLES = [
    ("{a} chỉ đạo đẩy nhanh {t} tại {p}", "{a} calls for faster progress on {t} in {p}"),
    ("{a} làm việc với {p} về {t}", "{a} works with {p} on {t}"),
    ("Ban hành kế hoạch {t} giai đoạn 2026-2030", "Plan for {t} in 2026-2030 issued"),
    ("{p} đạt {n}% mục tiêu {t} trong năm", "{p} reaches {n}% of its {t} target this year"),
    ("{a} yêu cầu tháo gỡ vướng mắc về {t}", "{a} asks for obstacles to {t} to be removed"),
    ("Hội nghị toàn quốc về {t} tổ chức tại {p}", "National conference on {t} held in {p}"),
    ("{a} công bố kết quả {t} quý III", "{a} announces third-quarter results in {t}"),
    ("Người dân {p} hưởng lợi từ {t}", "People in {p} benefit from {t}"),
]
LEADS = [
    (
        "Chiều nay, {a} đã chủ trì cuộc họp về {t}, nhấn mạnh yêu cầu hoàn thành các nhiệm vụ "
        "đúng tiến độ và công khai kết quả cho người dân theo dõi.",
        "This afternoon {a} chaired a meeting on {t}, stressing that tasks must be finished on "
        "time and their results published for citizens to follow.",
    ),
    (
        "Theo báo cáo tại {p}, {t} đã có bước tiến rõ rệt, với {n}% hồ sơ được xử lý trực tuyến "
        "và thời gian chờ đợi của người dân giảm đáng kể.",
        "According to a report from {p}, {t} has clearly advanced: {n}% of applications are now "
        "handled online and citizens wait far less.",
    ),
    (
        "{a} vừa ký văn bản gửi các bộ, ngành và địa phương, đề nghị tập trung nguồn lực cho {t} "
        "trong những tháng cuối năm.",
        "{a} has signed a letter asking ministries, sectors and localities to focus their "
        "resources on {t} in the last months of the year.",
    ),
]
PARAGRAPHS = [
    (
        "Phát biểu tại buổi làm việc, {a} đánh giá cao sự chủ động của {p} trong triển khai {t}. "
        "Các chỉ tiêu chính đều đạt hoặc vượt kế hoạch đề ra từ đầu năm.",
        "Speaking at the meeting, {a} praised {p} for its initiative on {t}. The main targets "
        "were all met or exceeded compared with the plan set at the start of the year.",
    ),
    (
        "Bên cạnh kết quả đạt được, vẫn còn những khó khăn về nguồn nhân lực, hạ tầng kỹ thuật "
        "và sự phối hợp giữa các cơ quan. Một số dự án chậm tiến độ do vướng mắc về mặt bằng.",
        "Alongside the results, difficulties remain with staffing, technical infrastructure and "
        "coordination between agencies. Some projects are behind schedule because of land issues.",
    ),
    (
        "{a} yêu cầu các cơ quan liên quan rà soát quy trình, cắt giảm giấy tờ không cần thiết và "
        "công bố công khai thời hạn giải quyết để người dân, doanh nghiệp giám sát.",
        "{a} asked the agencies concerned to review their procedures, drop unnecessary paperwork "
        "and publish processing deadlines so that citizens and businesses can hold them to account.",
    ),
    (
        "Trong năm 2026, {p} dự kiến bố trí thêm {n} tỷ đồng cho {t}, ưu tiên các xã vùng sâu, "
        "vùng xa và các đối tượng chính sách.",
        "In 2026 {p} plans to allocate another {n} billion dong to {t}, giving priority to "
        "remote communes and to people entitled to social policies.",
    ),
    (
        "Đại diện người dân cho biết các thủ tục nay được thực hiện nhanh hơn, không phải đi lại "
        "nhiều lần và có thể theo dõi tình trạng hồ sơ ngay trên điện thoại.",
        "Residents said procedures are now quicker, need fewer trips to offices and can be "
        "followed step by step on a phone.",
    ),
    (
        "Kết luận buổi làm việc, {a} giao Văn phòng Chính phủ theo dõi, đôn đốc việc thực hiện "
        "và báo cáo kết quả trước ngày 31 tháng 12.",
        "Concluding the meeting, {a} tasked the Government Office with monitoring implementation "
        "and reporting the results before 31 December.",
    ),
    (
        "Các chuyên gia nhận định {t} là động lực quan trọng cho tăng trưởng bền vững, đồng thời "
        "đòi hỏi khung pháp lý rõ ràng và sự tham gia của cộng đồng.",
        "Experts see {t} as an important driver of sustainable growth, one that needs a clear "
        "legal framework and the participation of communities.",
    ),
]
HEADINGS = [
    ("Kết quả nổi bật", "Main results"),
    ("Những việc cần làm ngay", "What must be done now"),
    ("Ý kiến của người dân", "What residents say"),
]
QUOTES = [
    (
        "Mọi chính sách đều phải hướng tới người dân và doanh nghiệp, lấy sự hài lòng của họ làm "
        "thước đo.",
        "Every policy must serve citizens and businesses, and their satisfaction is the measure.",
    ),
    (
        "Không để hồ sơ nằm chờ vô lý, không để người dân phải đi lại nhiều lần.",
        "No file should wait for no reason, and no citizen should have to come back again and again.",
    ),
]
BYLINES = ["Minh Anh", "Thu Hà", "Quốc Tuấn", "Phương Linh", "Đức Mạnh", "Hải Yến", "Văn Long"]

PALETTES = [
    ((200, 16, 46), (255, 205, 0)),
    ((0, 84, 147), (120, 190, 230)),
    ((24, 120, 80), (190, 225, 120)),
    ((90, 60, 140), (240, 170, 90)),
    ((30, 40, 60), (230, 110, 80)),
    ((0, 110, 120), (250, 220, 160)),
]


@dataclass(frozen=True)
class Story:
    """One story's choices; ``render(lang)`` writes it in Vietnamese or English."""

    seed: int
    actor: tuple[str, str]
    topic: tuple[str, str]
    place: tuple[str, str]
    number: int
    title: tuple[str, str]
    lead: tuple[str, str]
    paragraphs: tuple[tuple[str, str], ...]
    heading: tuple[str, str]
    quote: tuple[str, str]
    byline: str

    def _fill(self, template: str, lang: int) -> str:
        text = template.format(
            a=self.actor[lang], t=self.topic[lang], p=self.place[lang], n=self.number
        )
        return text[0].upper() + text[1:]

    def title_in(self, language: str) -> str:
        return self._fill(self.title[_index(language)], _index(language))

    def lead_in(self, language: str) -> str:
        return self._fill(self.lead[_index(language)], _index(language))

    def topic_in(self, language: str) -> str:
        return self.topic[_index(language)]

    def body_in(self, language: str) -> list[dict[str, object]]:
        """StreamField JSON: paragraphs, a heading, a quotation."""
        lang = _index(language)
        blocks: list[dict[str, object]] = []
        for number, paragraph in enumerate(self.paragraphs):
            if number == 2:
                blocks.append(
                    {"type": "heading", "value": {"text": self.heading[lang], "level": "h2"}}
                )
            if number == 3:
                blocks.append(
                    {
                        "type": "quote",
                        "value": {"text": self.quote[lang], "attribution": self.actor[lang]},
                    }
                )
            blocks.append(
                {"type": "paragraph", "value": f"<p>{self._fill(paragraph[lang], lang)}</p>"}
            )
        return blocks

    def plain_body_in(self, language: str) -> str:
        lang = _index(language)
        return " ".join(self._fill(p[lang], lang) for p in self.paragraphs)


def _index(language: str) -> int:
    return 1 if language == "en" else 0


def story(seed: int) -> Story:
    rng = random.Random(seed)  # noqa: S311 - made-up content, not secrets
    return Story(
        seed=seed,
        actor=rng.choice(ACTORS),
        topic=rng.choice(TOPICS),
        place=rng.choice(PLACES),
        number=rng.randint(12, 98),
        title=rng.choice(TITLES),
        lead=rng.choice(LEADS),
        paragraphs=tuple(rng.sample(PARAGRAPHS, 5)),
        heading=rng.choice(HEADINGS),
        quote=rng.choice(QUOTES),
        byline=rng.choice(BYLINES),
    )


def picture(seed: int, width: int = 1200, height: int = 675) -> bytes:
    """A JPEG of an abstract city scene, different for each seed."""
    rng = random.Random(seed)  # noqa: S311 - made-up content, not secrets
    dark, light = rng.choice(PALETTES)
    image = Image.new("RGB", (width, height), dark)
    draw = ImageDraw.Draw(image)
    for y in range(height):  # vertical gradient sky
        mix = y / height
        colour = tuple(int(light[i] * (1 - mix) + dark[i] * mix) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)
    sun_x, sun_r = rng.randint(width // 5, width * 4 // 5), rng.randint(50, 110)
    draw.ellipse(
        [sun_x - sun_r, height // 4 - sun_r, sun_x + sun_r, height // 4 + sun_r],
        fill=(255, 236, 170),
    )
    x = 0
    while x < width:
        block_w = rng.randint(40, 130)
        block_h = rng.randint(height // 6, height * 2 // 3)
        shade = rng.randint(10, 60)
        colour = tuple(max(0, c - shade) for c in dark)
        draw.rectangle([x, height - block_h, x + block_w, height], fill=colour)
        for wy in range(height - block_h + 12, height - 12, 24):  # lit windows
            for wx in range(x + 8, x + block_w - 12, 18):
                if rng.random() < 0.35:
                    draw.rectangle([wx, wy, wx + 8, wy + 12], fill=(255, 220, 140))
        x += block_w + rng.randint(0, 8)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()

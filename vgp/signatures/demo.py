"""Demo certification authority and certificates (``load_demo``; idempotent).

The Government Office runs the CA (a root, an issuing CA and the time-stamp certificate, made
by ``actions.create_authority`` as the system); each agency with a demo clerk gets its seal,
and each demo account that may sign documents its personal certificate. Every one gets a
picture for visible signatures, drawn here with Pillow: a blue handwriting-like signature on a
transparent background for a person, a red round seal with the agency's name around the ring
and a star in the middle for an organisation. The pictures are invented, not anyone's real
signature or seal.

Fonts: Noto Serif from ``build/fonts`` (``make assets``); without it Pillow's own font, the
names then written without diacritics.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw, ImageFont

from vgp.accounts.roles import Role
from vgp.agencies.models import Agency
from vgp.core.text import fold
from vgp.demo.accounts import DEMO_ACCOUNTS

from . import actions
from .models import CertificateKind, SigningCertificate

OFFICE = "000.00.00.G22"
INK_BLUE = (22, 46, 150, 255)
SEAL_RED = (206, 22, 34, 255)
SIGNATURE_SIZE = (640, 240)
SEAL_SIDE = 400
# Drawn this many times larger, then reduced: smooth edges without an anti-aliasing library.
SCALE = 3

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _font_path(name: str) -> Path:
    return Path(settings.BASE_DIR) / "build" / "fonts" / "noto-serif" / name


def _font(name: str, size: int) -> tuple[Font, bool]:
    """The font and whether it writes Vietnamese (Pillow's own font does not)."""
    path = _font_path(name)
    if path.exists():
        return ImageFont.truetype(str(path), size), True
    return ImageFont.load_default(size), False


def _text(text: str, vietnamese: bool) -> str:
    """``text`` as the font can write it: without diacritics in Pillow's own font."""
    if vietnamese:
        return text
    folded = fold(text)
    if text.isupper():
        return folded.upper()
    return " ".join(word.capitalize() for word in folded.split())


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _seed(text: str) -> random.Random:
    # The same person gets the same signature every time the demo is loaded.
    return random.Random(int(hashlib.sha256(text.encode()).hexdigest()[:12], 16))  # noqa: S311


def _bezier(points: Sequence[tuple[float, float]], steps: int = 120) -> list[tuple[float, float]]:
    """Points along a Bézier curve of any degree (de Casteljau)."""
    curve = []
    for step in range(steps + 1):
        t = step / steps
        level = list(points)
        while len(level) > 1:
            level = [
                (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                for a, b in itertools.pairwise(level)
            ]
        curve.append(level[0])
    return curve


def _stroke(draw: ImageDraw.ImageDraw, curve: list[tuple[float, float]], width: float) -> None:
    """A pen stroke: thicker in the middle, thin where the pen lands and lifts; segments
    joined by round dots so that the line stays whole however it bends."""
    count = len(curve) - 1
    for index, (start, end) in enumerate(itertools.pairwise(curve)):
        pressure = math.sin(math.pi * index / max(count, 1)) ** 0.5
        size = max(width * (0.3 + 0.7 * pressure), 2.0)
        draw.line([start, end], fill=INK_BLUE, width=round(size))
        radius = size / 2
        draw.ellipse(
            (end[0] - radius, end[1] - radius, end[0] + radius, end[1] + radius), fill=INK_BLUE
        )


def signature_png(full_name: str) -> bytes:
    """A blue signature: the family name's initial, the given name in a slanted hand, and a
    looping flourish under it, on a transparent background."""
    words = full_name.split() or ["?"]
    given = words[-1]
    initials = "".join(word[0] for word in words[:-1])[:2]
    rng = _seed(full_name)
    width, height = SIGNATURE_SIZE[0] * SCALE, SIGNATURE_SIZE[1] * SCALE
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    font, vietnamese = _font("NotoSerif_400Regular_Italic.ttf", 92 * SCALE)
    small, _ = _font("NotoSerif_400Regular_Italic.ttf", 70 * SCALE)
    given, initials = _text(given, vietnamese), _text(initials, vietnamese)

    x: float = 40 * SCALE
    baseline = int(height * 0.62)
    if initials:
        # The initial(s) of the family name, with a loop through them.
        draw.text(
            (x, baseline), initials, font=small, fill=INK_BLUE, anchor="ls", stroke_width=SCALE
        )
        box = draw.textbbox((x, baseline), initials, font=small, anchor="ls")
        loop = _bezier(
            [
                (box[0] - 10 * SCALE, box[3]),
                (box[0] + 20 * SCALE, box[1] - 60 * SCALE),
                (box[2] + 30 * SCALE, box[1] + 10 * SCALE),
                (box[2] + 5 * SCALE, box[3] + 5 * SCALE),
            ]
        )
        _stroke(draw, loop, 4.5 * SCALE)
        x = box[2] + 18 * SCALE
    draw.text((x, baseline), given, font=font, fill=INK_BLUE, anchor="ls", stroke_width=SCALE)
    box = draw.textbbox((x, baseline), given, font=font, anchor="ls")

    # The flourish: from the last letter, back under the name, and out to the right.
    end = (box[2] + rng.uniform(5, 25) * SCALE, baseline - rng.uniform(10, 30) * SCALE)
    flourish = _bezier(
        [
            (box[2] - 8 * SCALE, baseline - 10 * SCALE),
            end,
            (box[2] + 30 * SCALE, baseline + 70 * SCALE),
            (40 * SCALE, baseline + rng.uniform(40, 70) * SCALE),
            (20 * SCALE, baseline + 20 * SCALE),
            (min(box[2] + 120 * SCALE, width - 30 * SCALE), baseline + rng.uniform(15, 35) * SCALE),
        ],
        steps=240,
    )
    _stroke(draw, flourish, 5 * SCALE)
    # A quick dash above the end, as many signatures have.
    left = min(box[2] + 20 * SCALE, width - 90 * SCALE)
    top = baseline - rng.uniform(70, 90) * SCALE
    _stroke(draw, _bezier([(left, top + 12 * SCALE), (left + 70 * SCALE, top)], 40), 4 * SCALE)

    image = image.crop(image.getbbox() or (0, 0, width, height))
    margin = 12 * SCALE
    framed = Image.new("RGBA", (image.width + 2 * margin, image.height + 2 * margin), (0, 0, 0, 0))
    framed.paste(image, (margin, margin))
    reduced = framed.resize(
        (max(framed.width // SCALE, 20), max(framed.height // SCALE, 20)), Image.Resampling.LANCZOS
    )
    return _png(reduced)


def _star(centre: tuple[float, float], outer: float, inner: float) -> list[tuple[float, float]]:
    points = []
    for index in range(10):
        radius = outer if index % 2 == 0 else inner
        angle = -math.pi / 2 + index * math.pi / 5
        points.append((centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)))
    return points


def _ring_text(
    image: Image.Image, text: str, font: Font, centre: float, radius: float, spacing: float
) -> None:
    """``text`` around a circle, clockwise, centred on the top, each letter upright to the
    ring (as an engraver cuts a round seal)."""
    draw = ImageDraw.Draw(image)
    widths = [draw.textlength(char, font=font) for char in text]
    total = sum(widths) + spacing * (len(text) - 1)
    # The arc the text takes; a long name goes most of the way round.
    angle = -math.pi / 2 - min(total / radius, math.radians(300)) / 2
    scale = min(1.0, math.radians(300) * radius / total)
    size = int(font.size * 2) if isinstance(font, ImageFont.FreeTypeFont) else 60
    for char, char_width in zip(text, widths, strict=True):
        step = (char_width * scale) / radius
        middle = angle + step / 2
        if char.strip():
            tile = Image.new("RGBA", (size, size), (0, 0, 0, 0))
            ImageDraw.Draw(tile).text(
                (size / 2, size / 2), char, font=font, fill=SEAL_RED, anchor="mm"
            )
            turned = tile.rotate(
                -math.degrees(middle + math.pi / 2), resample=Image.Resampling.BICUBIC
            )
            x = centre + radius * math.cos(middle) - size / 2
            y = centre + radius * math.sin(middle) - size / 2
            image.alpha_composite(turned, (int(x), int(y)))
        angle += step + spacing * scale / radius


def seal_png(name: str) -> bytes:
    """A red round seal: two rings, ``name`` in capitals around them, a star in the middle."""
    side = SEAL_SIDE * SCALE
    centre = side / 2
    image = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    outer = side / 2 - 8 * SCALE
    draw.ellipse(
        (centre - outer, centre - outer, centre + outer, centre + outer),
        outline=SEAL_RED,
        width=12 * SCALE,
    )
    inner = outer - 78 * SCALE
    draw.ellipse(
        (centre - inner, centre - inner, centre + inner, centre + inner),
        outline=SEAL_RED,
        width=4 * SCALE,
    )
    font, vietnamese = _font("NotoSerif_700Bold.ttf", 34 * SCALE)
    text = _text(name.upper(), vietnamese)
    _ring_text(image, text, font, centre, (outer + inner) / 2 - 4 * SCALE, 4 * SCALE)
    draw.polygon(_star((centre, centre + 4 * SCALE), inner * 0.62, inner * 0.25), fill=SEAL_RED)
    reduced = image.resize((SEAL_SIDE, SEAL_SIDE), Image.Resampling.LANCZOS)
    return _png(reduced)


def _draw_missing_images(certificates: list[SigningCertificate]) -> int:
    drawn = 0
    for certificate in certificates:
        if certificate.image:
            continue
        if certificate.kind == CertificateKind.SEAL:
            picture = seal_png(certificate.agency.name_vi)
        else:
            holder: Any = certificate.holder
            picture = signature_png(holder.get_full_name() or holder.get_username())
        actions.set_image(None, certificate, picture)
        drawn += 1
    return drawn


def load_demo_signatures() -> str:
    office = Agency.objects.filter(code=OFFICE).first()
    if office is None:
        return "skipped (the Government Office is missing)"
    created_ca = False
    if actions.active_issuing() is None:
        name = office.abbreviation or office.code
        actions.create_authority(
            None, agency=office, root_name=f"{name} Root CA", issuing_name=f"{name} Issuing CA"
        )
        created_ca = True

    usernames = [account.username for account in DEMO_ACCOUNTS]
    officials = list(
        get_user_model()
        .objects.filter(username__in=usernames, is_active=True, agency__isnull=False)
        .select_related("agency")
        .order_by("username")
    )
    clerk_agencies = sorted(
        {account.agency_code for account in DEMO_ACCOUNTS if account.role == Role.CLERK}
    )
    certificates: list[SigningCertificate] = []
    seals = personal = 0
    for agency in Agency.objects.filter(code__in=clerk_agencies).order_by("code"):
        seal = actions.current_seal(agency)
        if seal is None:
            seal = actions.issue_certificate(None, kind=CertificateKind.SEAL, agency=agency)
            seals += 1
        certificates.append(seal)
    for official in officials:
        if not official.has_perm("documents.sign_document"):
            continue
        certificate = actions.current_certificate(official)
        if certificate is None:
            certificate = actions.issue_certificate(
                None, kind=CertificateKind.PERSONAL, holder=official
            )
            personal += 1
        certificates.append(certificate)
    drawn = _draw_missing_images(certificates)
    if not (created_ca or seals or personal or drawn):
        return "already loaded"
    parts = ["certification authority created" if created_ca else "certification authority kept"]
    parts.append(f"{seals} seal(s) and {personal} personal certificate(s) issued")
    parts.append(f"{drawn} signature image(s) drawn")
    return "; ".join(parts)

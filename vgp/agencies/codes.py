"""Official electronic agency codes (mã định danh điện tử), STANDARDS.md §1.

Two forms are in live use and both are accepted:

* QCVN 102:2016, 13 characters ``LLL.KK.JJ.Xnn`` read right to left from level 1
  (``000.00.00.G22`` is the Government Office, ``000.00.18.G12`` a department under G12);
* Decision 20/2020/QĐ-TTg, up to 35 characters of digits, A–Z and dots, groups left to right
  from level 1 (``G22``, ``G09.20``, ``H55.242``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LEVEL1_GROUPS = {
    "A": _("Party bodies"),
    "B": _("Office of the President"),
    "C": _("National Assembly"),
    "D": _("Supreme People's Court"),
    "E": _("Supreme People's Procuracy"),
    "F": _("State Audit"),
    "G": _("Ministries and Government agencies"),
    "H": _("Provincial People's Committees"),
    "I": _("Socio-political organisations"),
    "J": _("Social and professional organisations"),
    "K": _("Provincial People's Councils"),
}

LEGACY_FORM = "qcvn102"
DOTTED_FORM = "qd20"

_LEGACY = re.compile(r"^(?P<l4>\d{3})\.(?P<l3>\d{2})\.(?P<l2>\d{2})\.(?P<l1>[A-Z]\d{2})$")
_LEVEL1 = re.compile(r"^[A-Z]\d{2}$")
_LOWER_GROUP = re.compile(r"^[0-9A-Z]+$")
MAX_DOTTED_LENGTH = 35


@dataclass(frozen=True)
class AgencyCode:
    value: str
    form: str  # LEGACY_FORM or DOTTED_FORM
    levels: tuple[str, ...]  # level 1 first; zero groups of the legacy form left out

    @property
    def group(self) -> str:
        return self.levels[0][0]

    @property
    def level1(self) -> str:
        return self.levels[0]


def parse_agency_code(raw: str) -> AgencyCode:
    """Parse and validate a code in either form; raise ``ValidationError`` saying what is wrong."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("The agency code is empty."), code="empty")
    if value != value.upper():
        raise ValidationError(
            _("Agency code %(code)s must use capital letters."), code="case", params={"code": value}
        )
    if " " in value:
        raise ValidationError(
            _("Agency code %(code)s must not contain spaces."), code="spaces", params={"code": value}
        )

    legacy = _LEGACY.match(value)
    if legacy:
        _check_group(legacy["l1"], value)
        lower = [legacy["l2"], legacy["l3"], legacy["l4"]]
        # Trailing zero groups mean "no lower level"; a zero group between two set groups is
        # not a valid hierarchy (a level-4 unit needs its level-2 and level-3 parents).
        significant = [g for g in lower if int(g) != 0]
        if significant and any(int(g) == 0 for g in lower[: lower.index(significant[-1])]):
            raise ValidationError(
                _("Agency code %(code)s skips a level: a lower level is set while a higher one is 000."),
                code="skipped_level",
                params={"code": value},
            )
        levels = (legacy["l1"], *[g for g in lower if int(g) != 0])
        return AgencyCode(value=value, form=LEGACY_FORM, levels=levels)

    if "." in value and len(value) == 13 and value[3] == "." and value[:3].isdigit():
        raise ValidationError(
            _(
                "Agency code %(code)s looks like the 13-character form but is malformed; "
                "expected LLL.KK.JJ.Xnn such as 000.00.00.G22."
            ),
            code="legacy_malformed",
            params={"code": value},
        )
    if len(value) > MAX_DOTTED_LENGTH:
        raise ValidationError(
            _("Agency code %(code)s is longer than %(max)s characters."),
            code="too_long",
            params={"code": value, "max": MAX_DOTTED_LENGTH},
        )
    groups = value.split(".")
    if any(not g for g in groups):
        raise ValidationError(
            _("Agency code %(code)s has an empty group (two dots together, or a dot at an end)."),
            code="empty_group",
            params={"code": value},
        )
    if not _LEVEL1.match(groups[0]):
        raise ValidationError(
            _(
                "Agency code %(code)s must start with a level-1 group: a letter A–K and two "
                "digits (G22, H55), or use the 13-character form 000.00.00.G22."
            ),
            code="level1",
            params={"code": value},
        )
    _check_group(groups[0], value)
    for group in groups[1:]:
        if not _LOWER_GROUP.match(group):
            raise ValidationError(
                _("Agency code %(code)s: group %(group)s may hold only digits and capital letters."),
                code="bad_group",
                params={"code": value, "group": group},
            )
    return AgencyCode(value=value, form=DOTTED_FORM, levels=tuple(groups))


def _check_group(level1: str, value: str) -> None:
    if level1[0] not in LEVEL1_GROUPS:
        raise ValidationError(
            _("Agency code %(code)s: %(letter)s is not a level-1 group (A to K)."),
            code="unknown_group",
            params={"code": value, "letter": level1[0]},
        )


def validate_agency_code(value: str) -> None:
    """Model/form field validator."""
    parse_agency_code(value)

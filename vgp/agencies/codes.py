"""Official electronic agency codes (mã định danh điện tử), STANDARDS.md §1.

Two forms are in live use and both are accepted:

* QCVN 102:2016, 13 characters ``LLL.KK.JJ.Xnn`` read right to left from level 1
  (``000.00.00.G22`` is the Government Office, ``000.00.18.G12`` a department under G12);
* Decision 20/2020/QĐ-TTg, up to 35 characters of digits, capital letters and dots, groups left to right
  from level 1 (``G22``, ``G09.20``, ``H55.242``).

Only ASCII digits and capital letters count: ``\\d`` and ``str.isdigit()`` would let Arabic-Indic
or full-width digits through, which no exchange partner accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
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
LEGACY_LENGTH = 13
MAX_DOTTED_LENGTH = 35

_LEGACY = re.compile(r"(?P<l4>[0-9]{3})\.(?P<l3>[0-9]{2})\.(?P<l2>[0-9]{2})\.(?P<l1>[A-Z][0-9]{2})")
_LEVEL1 = re.compile(r"[A-Z][0-9]{2}")
_LOWER_GROUP = re.compile(r"[0-9A-Z]+")
_DIGITS = re.compile(r"[0-9]+")
# Group sizes of the 13-character form, left to right (level 4, 3, 2, then level 1).
_LEGACY_GROUP_SIZES = (3, 2, 2, 3)
_LEGACY_LEVEL_NAMES = ("4", "3", "2", "1")


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

    @property
    def depth(self) -> int:
        """1 for a level-1 body (a ministry, a province), 2 for its units, and so on."""
        return len(self.levels)


def parse_agency_code(raw: str) -> AgencyCode:
    """Parse and validate a code in either form; raise ``ValidationError`` saying what is wrong."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("The agency code is empty."), code="empty")
    if any(ch.isspace() for ch in value):
        raise ValidationError(
            _("Agency code %(code)s must not contain spaces."),
            code="spaces",
            params={"code": value},
        )
    if value != value.upper():
        raise ValidationError(
            _("Agency code %(code)s must use capital letters."), code="case", params={"code": value}
        )
    if value[0] in "0123456789":
        return _parse_legacy(value)
    return _parse_dotted(value)


def _parse_legacy(value: str) -> AgencyCode:
    """The 13-character form; every code that starts with a digit is an attempt at it."""
    match = _LEGACY.fullmatch(value)
    if match is None:
        raise ValidationError(
            _(
                "Agency code %(code)s looks like the 13-character form but %(problem)s; "
                "expected LLL.KK.JJ.Xnn such as 000.00.00.G22."
            ),
            code="legacy_malformed",
            params={"code": value, "problem": _legacy_problem(value)},
        )
    _check_group(match["l1"], value)
    lower = [match["l2"], match["l3"], match["l4"]]  # level 2, 3, 4
    set_levels = [i for i, group in enumerate(lower) if int(group) != 0]
    # Zero groups mean "no such level"; a zero group below a set one would leave a unit
    # without its parent (a level-3 code needs its level-2 group).
    if set_levels and any(int(group) == 0 for group in lower[: set_levels[-1]]):
        raise ValidationError(
            _(
                "Agency code %(code)s skips a level: a lower level is set while a higher one is zero."
            ),
            code="skipped_level",
            params={"code": value},
        )
    levels = (match["l1"], *[lower[i] for i in set_levels])
    return AgencyCode(value=value, form=LEGACY_FORM, levels=levels)


def _legacy_problem(value: str) -> str:
    """A short explanation of what is wrong with an attempted 13-character code."""
    groups = value.split(".")
    if len(groups) != len(_LEGACY_GROUP_SIZES):
        return gettext("it has %(count)s groups instead of 4 separated by dots") % {
            "count": len(groups)
        }
    for group, size, level in zip(groups, _LEGACY_GROUP_SIZES, _LEGACY_LEVEL_NAMES, strict=True):
        if level == "1":
            if not _LEVEL1.fullmatch(group):
                return gettext(
                    "its level-1 group %(group)s is not a letter followed by two digits"
                ) % {"group": group}
        elif len(group) != size or not _DIGITS.fullmatch(group):
            return gettext(
                "its level-%(level)s group %(group)s must be exactly %(size)s digits"
            ) % {"level": level, "group": group, "size": size}
    return gettext("it is malformed")


def _parse_dotted(value: str) -> AgencyCode:
    """The Decision 20/2020 form, level 1 first."""
    if len(value) > MAX_DOTTED_LENGTH:
        raise ValidationError(
            _("Agency code %(code)s is longer than %(max)s characters."),
            code="too_long",
            params={"code": value, "max": MAX_DOTTED_LENGTH},
        )
    groups = value.split(".")
    if any(not group for group in groups):
        raise ValidationError(
            _("Agency code %(code)s has an empty group (two dots together, or a dot at an end)."),
            code="empty_group",
            params={"code": value},
        )
    if not _LEVEL1.fullmatch(groups[0]):
        raise ValidationError(
            _(
                "Agency code %(code)s must start with a level-1 group: a letter from A to K and "
                "two digits (G22, H55), or use the 13-character form 000.00.00.G22."
            ),
            code="level1",
            params={"code": value},
        )
    _check_group(groups[0], value)
    for group in groups[1:]:
        if not _LOWER_GROUP.fullmatch(group):
            raise ValidationError(
                _(
                    "Agency code %(code)s: group %(group)s may hold only digits and capital letters."
                ),
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


def validation_message(error: ValidationError) -> str:
    """The text of ``error`` with its parameters filled in, for reports and logs."""
    return "; ".join(str(message) for message in error.messages)

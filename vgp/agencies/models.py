"""The agency registry: every body on the network, identified by its official electronic code."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .codes import LEVEL1_GROUPS, parse_agency_code, validate_agency_code


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("Government body")
    MINISTRY = "ministry", _("Ministry")
    MINISTRY_LEVEL = "ministry_level", _("Ministry-level agency")
    GOVERNMENT_AGENCY = "government_agency", _("Agency under the Government")
    PROVINCE = "province", _("Province / centrally-run city")
    UNIT = "unit", _("Unit")
    OTHER = "other", _("Other body")


class AgencyStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged into another agency")
    RETIRED = "retired", _("Retired")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self, on: dt.date | None = None) -> AgencyQuerySet:
        day = on or timezone.localdate()
        return self.filter(status=AgencyStatus.ACTIVE).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        )


class Agency(models.Model):
    code = models.CharField(
        _("electronic code"),
        max_length=35,
        unique=True,
        validators=[validate_agency_code],
        help_text=_("Official electronic code: 000.00.00.G22 or the dotted form G22, G09.20."),
    )
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    abbreviation = models.CharField(
        _("abbreviation in document symbols"),
        max_length=30,
        blank=True,
        help_text=_("Used in number and symbol, e.g. VPCP, BNV, TTg, WebCP."),
    )
    group = models.CharField(
        _("level-1 group"),
        max_length=1,
        choices=[(k, v) for k, v in LEVEL1_GROUPS.items()],
        editable=False,
        db_index=True,
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    fax = models.CharField(_("fax"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AgencyStatus.choices, default=AgencyStatus.ACTIVE
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        permissions = [
            ("merge_agency", _("Can merge agencies")),
            ("retire_agency", _("Can retire agencies")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="agency_validity_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(successor__isnull=False),
                name="agency_merged_has_successor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi

    @property
    def code_form(self) -> str:
        return parse_agency_code(self.code).form

    def is_active_on(self, day: dt.date) -> bool:
        return (
            self.status == AgencyStatus.ACTIVE
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or self.valid_to >= day)
        )

    def ancestors(self) -> list[Agency]:
        chain: list[Agency] = []
        node = self.parent
        seen = {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def save(self, *args: object, **kwargs: object) -> None:
        # The group is derived from the code, never entered separately.
        self.group = parse_agency_code(self.code).group
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "code" in update_fields:  # type: ignore[operator]
            kwargs["update_fields"] = {*update_fields, "group"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

"""The agency registry: every body on the network, identified by its official electronic code."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .codes import LEVEL1_GROUPS, parse_agency_code, validate_agency_code
from .search_text import fold


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


def with_units(agency_ids: set[int]) -> set[int]:
    """These agencies and every agency below them (their units, at any depth)."""
    ids: set[int] = set()
    frontier = set(agency_ids)
    while frontier:
        ids |= frontier
        frontier = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - ids
        )
    return ids


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
    # Code, names and abbreviation folded (see search_text.fold), kept by save() like ``group``.
    search_text = models.CharField(max_length=600, blank=True, editable=False)
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
                violation_error_code="validity_order",
                violation_error_message=_("The end of validity cannot be before its start."),
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(successor__isnull=False),
                name="agency_merged_has_successor",
                violation_error_code="merged_without_successor",
                violation_error_message=_("A merged agency must name the agency it merged into."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.refresh_derived_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = set()
            if "code" in update_fields:  # type: ignore[operator]
                derived.add("group")
            if {"code", "name_vi", "name_en", "abbreviation"} & set(update_fields):  # type: ignore[call-overload]
                derived.add("search_text")
            kwargs["update_fields"] = {*update_fields, *derived}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def refresh_derived_fields(self) -> None:
        # The group and the search text are derived from other fields, never entered.
        self.group = parse_agency_code(self.code).group
        self.search_text = fold(
            " ".join([self.code, self.name_vi, self.name_en, self.abbreviation])
        )

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

    def clean(self) -> None:
        """Invariants that involve several fields (messages are shown on the form)."""
        errors: dict[str, list[ValidationError]] = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors.setdefault("valid_to", []).append(
                ValidationError(
                    _("The end of validity cannot be before its start."), code="validity_order"
                )
            )
        if self.pk is not None and self.parent_id == self.pk:
            errors.setdefault("parent", []).append(
                ValidationError(_("An agency cannot be its own parent."), code="own_parent")
            )
        elif (
            self.pk is not None
            and self.parent is not None
            and any(node.pk == self.pk for node in self.parent.ancestors())
        ):
            errors.setdefault("parent", []).append(
                ValidationError(
                    _(
                        "%(parent)s is a unit of this agency; choosing it as parent would make a "
                        "cycle."
                    ),
                    code="parent_cycle",
                    params={"parent": self.parent.code},
                )
            )
        if self.pk is not None and self.successor_id == self.pk:
            errors.setdefault("successor", []).append(
                ValidationError(_("An agency cannot be merged into itself."), code="own_successor")
            )
        if self.status == AgencyStatus.MERGED and self.successor_id is None:
            errors.setdefault("successor", []).append(
                ValidationError(
                    _("A merged agency must name the agency it merged into."),
                    code="merged_without_successor",
                )
            )
        if self.status == AgencyStatus.ACTIVE and self.successor_id is not None:
            errors.setdefault("successor", []).append(
                ValidationError(
                    _("Only a merged agency has a successor."), code="active_with_successor"
                )
            )
        if errors:
            raise ValidationError(errors)

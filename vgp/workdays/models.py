"""Days on which the statutory calendar is overridden by a decision of the Government."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Extra day off")
    WORKING_DAY = "working_day", _("Working day (e.g. a compensatory Saturday)")


class CalendarOverride(models.Model):
    """One day whose status differs from weekends plus the statutory public holidays.

    Each year the Prime Minister decides the officials' Tết and holiday schedule, often moving a
    weekday off against a Saturday worked in compensation (``làm bù``). The ``holidays`` package
    knows the statutory days and some of these decisions; an override records the rest, and
    always wins over the package.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OverrideKind.choices)
    reason = models.CharField(
        _("reason"),
        max_length=255,
        help_text=_("The decision it follows, e.g. 'Official Letter 1234/VPCP-KGVX'."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"

"""The reports' summary: facts already counted by each app, refreshed in the background.

Dashboards read only these tables, so they answer in milliseconds however many
enrolments or certificates lie underneath.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportFact(models.Model):
    """One aggregated cell (see `lms.reports.facts.FactRow`)."""

    metric = models.CharField(_("metric"), max_length=40)
    month = models.DateField(_("month"))
    governorate_code = models.CharField(_("governorate"), max_length=4, blank=True)
    occupation_code = models.CharField(_("occupation"), max_length=10, blank=True)
    level_code = models.CharField(_("skill level"), max_length=30, blank=True)
    gender = models.CharField(_("gender"), max_length=6, blank=True)
    has_disability = models.BooleanField(_("has a disability"), default=False)
    course_id = models.BigIntegerField(_("course"), null=True, blank=True)
    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("report fact")
        verbose_name_plural = _("report facts")
        indexes = [
            models.Index(fields=["metric", "month"], name="reports_fact_metric_month"),
            models.Index(
                fields=["metric", "course_id", "month"],
                name="reports_fact_metric_course",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} {self.month:%Y-%m} = {self.value}"


class ReportRefresh(models.Model):
    """One run of the refresh: when the figures were taken and how it went."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    since = models.DateField(_("recomputed from month"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)

    class Meta:
        verbose_name = _("report refresh")
        verbose_name_plural = _("report refreshes")
        get_latest_by = "started_at"
        indexes = [models.Index(fields=["finished_at"])]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.rows} rows)"


class IssueWaitFact(models.Model):
    """Certificates issued in a month in a governorate after `days` whole days of
    waiting (registry.selectors.issue_wait_histogram), refreshed with the facts:
    the workload page's median and 90th percentile over 60 months come from these
    few thousand rows instead of every certificate."""

    month = models.DateField(_("month"))
    governorate_code = models.CharField(_("governorate"), max_length=4, blank=True)
    days = models.PositiveIntegerField(_("days waited"))
    count = models.BigIntegerField(_("certificates"))

    class Meta:
        verbose_name = _("issue wait")
        verbose_name_plural = _("issue waits")
        indexes = [models.Index(fields=["month"], name="reports_wait_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.governorate_code}: {self.days} d"

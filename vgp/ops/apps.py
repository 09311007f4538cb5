import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Operations for the IT centre: background tasks, the periodic scheduler, later endpoints."""

    name = "vgp.ops"
    label = "ops"
    verbose_name = _("Operations")

    def ready(self) -> None:
        from vgp.core import health
        from vgp.documents.tasks import (
            catch_up_documents_index,
            purge_register_exports,
            send_document_reminders,
        )
        from vgp.feedback.tasks import (
            intake_health,
            register_feedback_intakes,
            send_feedback_reminders,
        )
        from vgp.gazette.tasks import catch_up_gazette_index
        from vgp.legal.tasks import catch_up_legal_index, refresh_legal_validity
        from vgp.portal.tasks import publish_scheduled_pages

        from . import late_publishing, scheduler

        # Every app's periodic jobs are registered here, at the top: the domains below do not
        # import ops (layers point down only). Each job's code stays in its app's tasks.py.
        scheduler.register_periodic(
            publish_scheduled_pages,
            every=dt.timedelta(minutes=1),
            name="portal.publish_scheduled_pages",
        )
        scheduler.register_periodic(
            catch_up_legal_index, every=dt.timedelta(minutes=1), name="legal.catch_up_index"
        )
        scheduler.register_periodic(
            refresh_legal_validity, every=dt.timedelta(hours=1), name="legal.refresh_validity"
        )
        scheduler.register_periodic(
            catch_up_gazette_index, every=dt.timedelta(minutes=10), name="gazette.catch_up_index"
        )
        scheduler.register_periodic(
            catch_up_documents_index,
            every=dt.timedelta(minutes=1),
            name="documents.catch_up_index",
        )
        scheduler.register_periodic(
            register_feedback_intakes,
            every=dt.timedelta(minutes=1),
            name="feedback.register_intakes",
        )
        scheduler.register_periodic(
            send_feedback_reminders, every=dt.timedelta(hours=1), name="feedback.send_reminders"
        )
        scheduler.register_periodic(
            send_document_reminders, every=dt.timedelta(hours=1), name="documents.send_reminders"
        )
        scheduler.register_periodic(
            purge_register_exports, every=dt.timedelta(days=1), name="documents.purge_exports"
        )
        health.register_check("scheduler", late_publishing.check_scheduler)
        health.register_check("feedback_intake", intake_health)

"""State changes made by IT administrators on the background task queue."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from vgp.accounts import permissions
from vgp.audit.trail import record

FAILED = "FAILED"


def retry_task(actor: Any, result: DBTaskResult) -> str:
    """Enqueue a failed task again with the same arguments; returns the new task's id.

    Every task of this project is idempotent (STYLE.md), which is what makes a retry safe.
    """
    permissions.require(actor, "django_tasks_database.change_dbtaskresult")
    if result.status != FAILED:
        raise ValidationError(_("Only a failed task can be retried."))
    try:
        # Not ``result.task``: that would also carry over the old run_after time.
        task = import_string(result.task_path)
        if not isinstance(task, Task):
            raise TypeError(result.task_path)
    except (ImportError, TypeError) as exc:  # the task's code was removed or renamed
        raise ValidationError(
            _("This task no longer exists in the code: %(path)s") % {"path": result.task_path}
        ) from exc
    args = result.args_kwargs.get("args", [])
    kwargs = result.args_kwargs.get("kwargs", {})
    with transaction.atomic():
        new = task.using(queue_name=result.queue_name, priority=result.priority).enqueue(
            *args, **kwargs
        )
        record(
            action="ops.retry_task",
            actor=actor,
            object_type="django_tasks_db.dbtaskresult",
            object_id=str(result.id),
            object_repr=result.task_path,
            summary=f"Retried as {new.id}",
        )
    return str(new.id)

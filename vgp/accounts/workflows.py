"""Wagtail workflows whose steps belong to role groups, kept in line with the code.

Each desk (the news desk, the legal database desk) declares its workflow as data — a name and
its steps, each a group approval task owned by one role — and calls :func:`ensure_workflow`
after every role sync. Attaching the workflow to pages or models stays with the desk.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Workflow, WorkflowTask

from .roles import group_name

Named = TypeVar("Named", Workflow, GroupApprovalTask)


def ensure_workflow(name: str, steps: Sequence[tuple[str, str]], changes: list[str]) -> Workflow:
    """Create or bring in line the active workflow ``name`` whose steps are ``steps``
    (``(step name, role)`` in order); append what changed to ``changes``. Call it inside the
    caller's transaction."""
    workflow = _active(Workflow, name, "workflow", changes)

    tasks = [_ensure_step(step, role, changes) for step, role in steps]
    existing = WorkflowTask.objects.filter(workflow=workflow)
    if list(existing.order_by("sort_order").values_list("task_id", flat=True)) != [
        task.pk for task in tasks
    ]:
        existing.delete()
        WorkflowTask.objects.bulk_create(
            WorkflowTask(workflow=workflow, task=task, sort_order=order)
            for order, task in enumerate(tasks)
        )
        changes.append(f"workflow {name}: steps set")
    return workflow


def _ensure_step(name: str, role: str, changes: list[str]) -> GroupApprovalTask:
    group, _created = Group.objects.get_or_create(name=group_name(role))
    task = _active(GroupApprovalTask, name, "step", changes)
    if set(task.groups.values_list("pk", flat=True)) != {group.pk}:
        task.groups.set([group])
        changes.append(f"step {name}: reviewers {group.name}")
    return task


def _active(model: type[Named], name: str, label: str, changes: list[str]) -> Named:
    """The first ``model`` row called ``name``, created or reactivated if need be."""
    found = model._default_manager.filter(name=name).order_by("pk").first()
    if found is None:
        found = model._default_manager.create(name=name, active=True)
        changes.append(f"{label} {name} created")
    elif not found.active:
        found.active = True
        found.save(update_fields=["active"])
        changes.append(f"{label} {name} reactivated")
    return found

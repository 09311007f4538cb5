"""Messages to officials about documents they now hold (placeholder until the notifications
module lands: nothing is sent yet)."""

from __future__ import annotations

from .models import Event


def schedule(event: Event) -> None:
    """After commit: tell the new holder(s) of the document at once when it is urgent."""
    return None

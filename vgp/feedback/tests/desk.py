"""The Ministry of Finance's desk: bring a submission to any stage through the real actions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from vgp.feedback import actions
from vgp.feedback.models import FeedbackItem
from vgp.feedback.testing import submit

REPLY = (
    "Bộ Tài chính trả lời ông Trần Văn Dũng (0912 345 678, dung.tran@example.vn): hồ sơ của "
    "ông đã được giải quyết ngày 15/3, đề nghị ông đến nhận kết quả."
)


@dataclass
class Desk:
    reception: Any
    clerk: Any
    unit_head: Any
    handler: Any
    leader: Any
    agency: Any

    def received(self, **overrides: Any) -> FeedbackItem:
        return submit(**overrides)

    def routed(self, **overrides: Any) -> FeedbackItem:
        return actions.route(self.reception, self.received(**overrides), self.agency)

    def accepted(self, **overrides: Any) -> FeedbackItem:
        return actions.accept(self.clerk, self.routed(**overrides))

    def assigned(self, **overrides: Any) -> FeedbackItem:
        return actions.assign(self.unit_head, self.accepted(**overrides), self.handler)

    def in_approval(self, **overrides: Any) -> FeedbackItem:
        return actions.draft_reply(self.handler, self.assigned(**overrides), text=REPLY)

    def answered(self, **overrides: Any) -> FeedbackItem:
        return actions.approve_reply(self.leader, self.in_approval(**overrides))

    def at(self, stage: str, **overrides: Any) -> FeedbackItem:
        return getattr(self, stage)(**overrides)


@pytest.fixture(name="desk")
def desk_fixture(
    receptionist, mof_clerk, mof_unit_head, mof_handler, mof_leader, ministry_of_finance
) -> Desk:
    return Desk(
        receptionist, mof_clerk, mof_unit_head, mof_handler, mof_leader, ministry_of_finance
    )

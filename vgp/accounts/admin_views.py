"""The officials' user admin: Wagtail's user viewset with agency, unit and position."""

from __future__ import annotations

from typing import Any

from wagtail.users.views.users import UserViewSet

from .forms import OfficialCreationForm, OfficialEditForm


class OfficialUserViewSet(UserViewSet):
    def get_form_class(self, for_update: bool = False) -> Any:
        return OfficialEditForm if for_update else OfficialCreationForm

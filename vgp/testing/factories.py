"""Factories shared by every app's tests."""

from __future__ import annotations

import itertools

import factory
from django.contrib.auth.models import Group

from vgp.accounts.models import User
from vgp.accounts.roles import group_name
from vgp.agencies.models import Agency, AgencyKind

PASSWORD = "correct horse battery"
_ministry_numbers = itertools.count(60)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.LazyFunction(lambda: f"000.00.00.G{next(_ministry_numbers) % 100:02d}")
    name_vi = factory.Sequence(lambda n: f"Bộ Thử nghiệm {n}")
    name_en = factory.Sequence(lambda n: f"Ministry of Testing {n}")
    abbreviation = factory.Sequence(lambda n: f"BTN{n}")
    kind = AgencyKind.MINISTRY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")
    first_name = "An"
    last_name = "Nguyễn Văn"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if not create:
            return
        obj.save()
        for role in extracted or []:
            group, _ = Group.objects.get_or_create(name=group_name(role))
            obj.groups.add(group)

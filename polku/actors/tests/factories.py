"""Factories for organisations, people, memberships and bodies."""

from typing import Any

from factory.declarations import LazyAttribute, PostGeneration, Sequence, SubFactory
from factory.django import DjangoModelFactory

from polku.accounts.choices import Role
from polku.accounts.models import User
from polku.actors.choices import BodyKind, BodyRole, OrganisationKind
from polku.actors.models import Body, BodyMember, Membership, Organisation


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.AUTHORITY


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = Sequence(lambda n: f"user{n}")
    first_name = Sequence(lambda n: f"First{n}")
    last_name = Sequence(lambda n: f"Last{n}")
    email = LazyAttribute(lambda user: f"{user.username}@example.org")

    @PostGeneration
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:
        obj.set_password(extracted or "correct-horse-battery-staple")
        if create:
            obj.save(update_fields=["password"])


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = SubFactory(UserFactory)
    organisation = SubFactory(OrganisationFactory)
    role = Role.PRACTITIONER


class BodyFactory(DjangoModelFactory[Body]):
    class Meta:
        model = Body

    name = Sequence(lambda n: f"Working group {n}")
    kind = BodyKind.WORKING_GROUP
    convened_by = SubFactory(OrganisationFactory, kind=OrganisationKind.MINISTRY)


class BodyMemberFactory(DjangoModelFactory[BodyMember]):
    class Meta:
        model = BodyMember

    body = SubFactory(BodyFactory)
    user = SubFactory(UserFactory)
    organisation = SubFactory(OrganisationFactory)
    role = BodyRole.MEMBER


def make_organisation(**kwargs: Any) -> Organisation:
    return OrganisationFactory.create(**kwargs)


def make_user(**kwargs: Any) -> User:
    return UserFactory.create(**kwargs)


def make_membership(**kwargs: Any) -> Membership:
    return MembershipFactory.create(**kwargs)


def make_body(**kwargs: Any) -> Body:
    return BodyFactory.create(**kwargs)


def make_body_member(**kwargs: Any) -> BodyMember:
    return BodyMemberFactory.create(**kwargs)

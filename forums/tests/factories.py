import datetime

import factory

from forums.models import Body, Decree, Member


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ("kind", "region")

    kind = Body.Kind.FORUM_KECAMATAN


class DecreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decree

    body = factory.SubFactory(BodyFactory)
    number = factory.Sequence(lambda n: f"400/{n}/2024")
    date = datetime.date(2024, 1, 15)
    signer = "Camat Carenang"
    valid_from = datetime.date(2024, 1, 15)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Anggota {n}")

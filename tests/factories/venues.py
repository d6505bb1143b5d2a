import factory
import wagtail_factories

from members.models import Commune, VenueClaim, VenuePage


def commune(insee_code="59350"):
    return Commune.objects.get(insee_code=insee_code)


class VenuePageFactory(wagtail_factories.PageFactory):
    """A published venue; pass ``parent`` (the "lieux" index page) and ``tags=[...]``."""

    class Meta:
        model = VenuePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Lieu numéro {n}")
    slug = factory.Sequence(lambda n: f"lieu-{n}")
    summary = "Un tiers-lieu pour travailler et fabriquer ensemble."
    main_activity = "coworking"
    commune = factory.LazyFunction(commune)
    surface_m2 = 100
    capacity = 20
    live = True

    @factory.post_generation
    def tags(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.tags.set(extracted)
            obj.save()


class VenueClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VenueClaim

    kind = VenueClaim.Kind.NEW
    name = factory.Sequence(lambda n: f"Nouveau lieu {n}")
    commune = factory.LazyFunction(commune)
    main_activity = "fablab"
    message = "Je suis la coordinatrice du lieu."

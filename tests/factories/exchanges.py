from datetime import timedelta

import factory
from django.utils import timezone

from exchanges.models import Post
from exchanges.vocabulary import Category, Kind
from tests.factories.members import VerifiedUserFactory
from tests.factories.venues import commune


class PostFactory(factory.django.DjangoModelFactory):
    """An open need (pass ``kind``, ``category``, ``commune``... to vary it)."""

    class Meta:
        model = Post

    kind = Kind.NEED
    category = Category.PREMISES
    title = factory.Sequence(lambda n: f"Annonce numéro {n}")
    description = "<p>Nous cherchons un local de 50 m² pour un atelier.</p>"
    commune = factory.LazyFunction(commune)
    author = factory.SubFactory(VerifiedUserFactory)
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

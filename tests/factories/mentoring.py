import factory

from mentoring.models import CheckIn, MentoringRequest, MentorProfile, Pairing, Proposal
from tests.factories.members import VerifiedUserFactory
from tests.factories.venues import commune


class MentorProfileFactory(factory.django.DjangoModelFactory):
    """Pass ``venue`` (a VenuePage from ``make_venue``)."""

    class Meta:
        model = MentorProfile

    expertise = ["modele_economique", "statut_juridique", "financement"]
    stages = ["idee", "prefiguration"]
    legal_forms = ["association"]
    capacity = 2
    formats = ["sur_place", "visio"]
    availability = "le mardi après-midi"


class MentoringRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringRequest

    applicant = factory.SubFactory(VerifiedUserFactory)
    project_name = factory.Sequence(lambda n: f"Projet {n}")
    description = "Un café associatif avec un atelier de réparation, au cœur du quartier."
    stage = "idee"
    activities = ["culture_cafe"]
    needs = ["modele_economique", "statut_juridique"]
    commune = factory.LazyFunction(commune)
    legal_form = "association"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal row as-is (bypasses the services: for read-side tests)."""

    class Meta:
        model = Proposal

    request = factory.SubFactory(MentoringRequestFactory, status="proposed")
    score = 0.7
    explanation = "Couvre vos 2 besoins"


class PairingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pairing

    proposal = factory.SubFactory(ProposalFactory, status="accepted")
    request = factory.LazyAttribute(lambda o: o.proposal.request)
    mentor = factory.LazyAttribute(lambda o: o.proposal.mentor)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    date = factory.Faker("past_date")
    notes = "Nous avons parlé du modèle économique."

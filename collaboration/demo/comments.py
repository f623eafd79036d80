"""Demo comments: staff of other municipalities and partners ask questions and share experience on a
few dozen published initiatives, and the owner answers; a facilitator has hidden one comment (with a
reason) and someone has reported another. Written through the services.

Deterministic and safe to run again: an initiative that has comments already is left alone, and the
hidden and reported examples are added only when none exist."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from collaboration.models import Comment, CommentReport
from collaboration.services.comment import comment_hide, comment_post, comment_report
from initiatives.models import Initiative, InitiativeStatus
from municipalities.models import Membership, Organisation
from samenorg.accounts.models import User
from samenorg.core.actors import Actor, moderator_actor
from samenorg.core.demo import FACILITATOR_EMAIL, PEOPLE

SEED = 2026
INITIATIVES = 36  # a few dozen conversations

QUESTIONS = [
    "Interessant! Hoe hebben jullie de privacytoets aangepakt? Wij lopen daar tegenaan bij een vergelijkbaar plan.",
    "Wij zijn met iets vergelijkbaars bezig. Zullen we eens kennis uitwisselen? Ik hoor graag wat jullie "
    "anders zouden doen als je opnieuw begon.",
    "Wat waren de eenmalige kosten, en wie beheert het nu de pilot voorbij is?",
    "Mooi resultaat. Is de aanpak ook bruikbaar voor een kleinere gemeente met één klantcontactcentrum?",
    "Staat de documentatie ergens openbaar? Dan kijken wij of we kunnen aansluiten.",
    "Wij hebben dit vorig jaar geprobeerd; het struikelblok was de koppeling met ons zaaksysteem. "
    "Hoe hebben jullie dat opgelost?",
    "Goed om te zien dat inwoners vanaf het begin zijn betrokken. Hoe hebben jullie de deelnemers geworven?",
    "Hoeveel formatie kostte het beheer na de invoering? Die vraag krijg ik direct van onze directie.",
    "Hebben jullie de aanpak ook met de ondernemingsraad besproken? Bij ons is dat een belangrijke stap.",
    "Wij willen dit graag overnemen. Wat zijn volgens jullie de **drie belangrijkste lessen**?",
]
EXPERIENCES = [
    "Wij werken sinds een half jaar met dezelfde aanpak. Onze ervaring:\n\n"
    "- begin klein, met één team\n- betrek de juridische afdeling vroeg\n- meet vanaf dag één",
    "Herkenbaar! Bij ons hielp het om eerst met tien inwoners te testen voordat we breed gingen.",
    "Vanuit ons lectoraat meten we graag de effecten. Staat u open voor een korte evaluatie?",
    "Leverancierstip: vraag bij de aanbesteding expliciet naar open standaarden, dan blijft overstappen mogelijk.",
    "Dit sluit goed aan bij wat wij in de regio doen. Ik zet het op de agenda van ons volgende regio-overleg.",
]
ANSWERS = [
    "Dank voor uw vraag! We delen de documentatie graag; neem contact op via de contactgegevens hierboven.",
    "Goede vraag. De koppeling liep via de standaard-API's van het zaaksysteem; dat scheelde veel maatwerk.",
    "We hebben vooral geleerd dat het helpt om vroeg te beginnen met de privacytoets. Bel gerust even.",
    "Leuk om te horen! Laten we na de zomer een online sessie plannen met de geïnteresseerde gemeenten.",
]
HIDDEN = (
    "Bel mij gerust op 06-12345678, dan regel ik voor uw gemeente 20% korting op onze licenties.",
    "Bevat een persoonlijk telefoonnummer en een commercieel aanbod; dat hoort niet in het gesprek.",
)
REPORTED = (
    "Weer zo'n project waar niemand om gevraagd heeft. Zonde van het belastinggeld.",
    "Deze reactie gaat niet over het initiatief en is onvriendelijk naar de makers.",
)


@transaction.atomic
def seed_demo_comments() -> int:
    """Write the demo conversations; returns how many comments it created."""
    people = _people()
    if len(people) < 2:
        return 0
    rng = random.Random(SEED)  # noqa: S311 (demo content, not secrets)
    candidates = list(
        Initiative.objects.filter(status=InitiativeStatus.PUBLISHED).select_related("owner").order_by("slug")
    )
    chosen = sorted(rng.sample(candidates, min(INITIATIVES, len(candidates))), key=lambda i: i.slug)
    created = 0
    conversations = []
    for initiative in chosen:
        if initiative.comments.exists():
            continue
        created += _conversation(rng, initiative, people)
        conversations.append(initiative)
    if conversations:
        _moderation_examples(rng, conversations, people)
    return created


def _people() -> list[Actor]:
    """Demo staff who comment, each for their first organisation by name (as the comment form does)."""
    emails = [person.email for person in PEOPLE if person.email != FACILITATOR_EMAIL]
    actors = []
    for user in User.objects.filter(email__in=emails, is_active=True).order_by("email"):
        organisation = Organisation.objects.active().filter(memberships__user=user).order_by("name", "pk").first()
        if organisation is not None:
            actors.append(Actor(organisation=organisation, user=user))
    return actors


def _conversation(rng: random.Random, initiative: Initiative, people: list[Actor]) -> int:
    outsiders = [actor for actor in people if actor.organisation.pk != initiative.owner_id]
    speakers = rng.sample(outsiders, min(len(outsiders), rng.randint(1, 3)))
    days_ago = rng.randint(10, 90)
    written = 0
    for actor in speakers:
        body = rng.choice(QUESTIONS if rng.random() < 0.6 else EXPERIENCES)
        _post(actor, initiative, body, days_ago)
        written += 1
        days_ago = max(1, days_ago - rng.randint(1, 10))
    owner = _owner_member(initiative)
    if owner is not None and rng.random() < 0.6:
        _post(owner, initiative, rng.choice(ANSWERS), max(0, days_ago - 1))
        written += 1
    return written


def _post(actor: Actor, initiative: Initiative, body: str, days_ago: int) -> Comment:
    """Post through the service, then date the comment back to when it was "written": the demo tells
    a conversation of weeks, and the flood limit counts only the last hour."""
    comment = comment_post(actor=actor, initiative=initiative, body=body)
    moment = timezone.now() - datetime.timedelta(days=days_ago, minutes=comment.pk % 600)
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)
    return comment


def _owner_member(initiative: Initiative) -> Actor | None:
    membership = (
        Membership.objects.filter(organisation=initiative.owner, user__is_active=True)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    return None if membership is None else Actor(organisation=initiative.owner, user=membership.user)


def _moderation_examples(rng: random.Random, initiatives: list[Initiative], people: list[Actor]) -> None:
    """One comment a facilitator hid (with the reason), and one a reader reported, still open."""
    facilitator = User.objects.filter(email=FACILITATOR_EMAIL).first()
    if facilitator is not None and not Comment.objects.filter(hidden_at__isnull=False).exists():
        initiative = initiatives[0]
        seller = next((a for a in people if not a.organisation.is_municipality), people[0])
        comment = _post(seller, initiative, HIDDEN[0], rng.randint(2, 8))
        comment_hide(actor=moderator_actor(facilitator), comment=comment, reason=HIDDEN[1])
    outsiders = [actor for actor in people if actor.organisation.pk != initiatives[-1].owner_id]
    if len(outsiders) >= 2 and not CommentReport.objects.exists():
        initiative = initiatives[-1]
        author, reporter = outsiders[:2]
        comment = _post(author, initiative, REPORTED[0], rng.randint(1, 5))
        comment_report(reporter=reporter.user, comment=comment, reason=REPORTED[1])

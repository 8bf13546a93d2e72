"""Commitments: the forms real documents use in French and English (first person,
reported, verb-first clauses, list items), their kinds and actors, and what is not one."""
from __future__ import annotations

import pytest

import indexer.extract.commitments as commitments_module
import indexer.extract.commitments.actors
import indexer.extract.commitments.clauses
import indexer.extract.commitments.lexicon
import indexer.extract.commitments.syntax
import indexer.extract.commitments.units

from indexer.extract.commitments import extract_commitments, opening_actor, resolve
from model.record import ActorEntity, City, DateMention, Organisation

pytestmark = pytest.mark.slow       # sentences are parsed with spaCy

MELBOURNE = """Strong Cities Network Déclaration de Melbourne – Juillet 2018

Nous, les maires, élus, et leaders locaux du Strong Cities Network :

Condamnons la montée du terrorisme. Nous soulignons que l'année 2016 a vu plus de 25 000 morts.

Collectivement, en tant que Strong Cities Network, nous nous engageons à répondre au besoin d'une gouvernance locale.

En particulier, nous déclarons la nécessité pour les maires, élus et leaders locaux de :

- Promouvoir et défendre les principes directeurs du Strong Cities Network, notamment les droits de l'Homme ;
- Bâtir des partenariats intersectoriels pour prévenir et contrer la polarisation ;
- Comprendre, habiliter et équiper les services publics en première ligne de la prévention."""


def texts(text, **kwargs):
    return [c.text for c in extract_commitments(text, **kwargs)]


def test_each_item_after_a_lead_in_is_a_commitment_with_the_lead_in_actor():
    found = extract_commitments(MELBOURNE)
    assert [c.text for c in found] == [
        "Collectivement, en tant que Strong Cities Network, nous nous engageons à répondre au besoin "
        "d'une gouvernance locale.",
        "En particulier, nous déclarons la nécessité pour les maires, élus et leaders locaux de :",
        "Promouvoir et défendre les principes directeurs du Strong Cities Network, notamment les droits de l'Homme",
        "Bâtir des partenariats intersectoriels pour prévenir et contrer la polarisation",
        "Comprendre, habiliter et équiper les services publics en première ligne de la prévention.",
    ]
    assert [c.kind for c in found] == ["pledge", "need", "need", "need", "need"]
    assert found[0].actor == "les maires, élus, et leaders locaux du Strong Cities Network"
    assert {c.actor for c in found[1:]} == {"les maires, élus et leaders locaux du Strong Cities Network"}
    assert all(c.text in MELBOURNE for c in found)


def test_themes_of_a_commitment():
    found = extract_commitments(MELBOURNE)
    assert "polarisation" in found[3].themes and "human-rights" in found[2].themes
    assert "front-line-training" in found[4].themes


def test_opening_actor():
    assert opening_actor("We, the mayors of Beirut and Montreal, commit to act.") == "the mayors of Beirut and Montreal"
    assert opening_actor("Nous, les Maires de l'AIMF :\n\nNous nous engageons.") == "les Maires de l'AIMF"
    assert opening_actor("Les maires s'engagent.") == ""


@pytest.mark.parametrize("sentence", [
    "Nous nous engageons à lutter contre la haine.",
    "Nous appelons les États à soutenir les villes.",
    "Les maires s'engagent à former leurs agents.",
    "A cet égard, ils se sont engagés aujourd'hui à « constituer une plateforme d'échanges ».",
    "We commit to sharing good practices.",
    "We pledge to protect our young people.",
    "We call on national governments to fund local prevention.",
    "We will create a local prevention network.",
    "We resolve to strengthen social cohesion.",
    "The mayors committed to publishing local data every year.",
])
def test_pledges(sentence):
    assert texts(f"Introduction.\n\n{sentence}\n\nFin.", language="en" if sentence[0] in "WT" else "fr") == [sentence]


@pytest.mark.parametrize("language, text, kind, actor", [
    # reported, in press releases and statements
    ("en", "The mayors called on national governments to fund local prevention programmes.", "call", "The mayors"),
    ("en", "UCLG calls on its members to welcome refugees with dignity.", "call", "UCLG"),
    ("fr", "Les villes réclament que l'État leur donne les moyens d'agir.", "call", "Les villes"),
    ("fr", "Les maires du réseau se sont réunis à Lyon. Ils prévoient de créer un observatoire local de la haine.",
     "pledge", "Les maires du réseau"),
    ("fr", "Les élues du réseau étaient réunies à Nantes. Elles appellent à renforcer la formation des agents.",
     "call", "Les élues du réseau"),
    ("en", "The Mayor of Aarhus has pledged to expand the mentoring programme.", "pledge", "The Mayor of Aarhus"),
    ("fr", "Le Congrès invite les collectivités locales à élaborer des stratégies de prévention.", "call", "Le Congrès"),
    ("en", "The Congress encourages local authorities to develop prevention strategies.", "call", "The Congress"),
    # first person
    ("en", "We will continue to support victims of hate crime in our cities.", "pledge", "Org"),
    ("en", "We urge the European Union to support cities.", "call", "Org"),
    ("en", "We agree to establish a joint working group on online hate.", "resolution", "Org"),
    ("fr", "Nous décidons de créer un fonds commun de prévention.", "resolution", "Org"),
    ("fr", "Nous devons agir ensemble contre la haine.", "need", "Org"),
    # the role "we" give themselves in their sentence
    ("en", "As mayors of European cities, we will support victims of hate crime.", "pledge",
     "mayors of European cities"),
    ("fr", "En tant que maires, nous nous engageons à protéger tous les habitants.", "pledge", "maires"),
    # needs and obligations
    ("en", "Cities must lead the response to polarisation.", "need", "Cities"),
    ("en", "Local governments have a duty to protect all residents.", "need", "Local governments"),
    ("fr", "Il nous revient de protéger tous les habitants.", "need", "Org"),
    ("fr", "Les informations doivent être partagées entre élus locaux, préfets et procureurs.", "need", "Org"),
    ("en", "Now, more than ever, states must hear our voices.", "call", "Org"),
])
def test_kinds_and_actors(language, text, kind, actor):
    (found,) = extract_commitments(text, language, fallback_actor="Org")
    assert (found.kind, found.actor) == (kind, actor)
    assert found.text in text


def test_verb_first_clauses_under_an_opening():
    text = ("We, the mayors of the network, meeting in Oslo on 3 May 2023:\n\n"
            "ask national authorities to support local prevention;\n\n"
            "commit themselves to train front-line workers;\n\nendorse the proposal for a regional hub.")
    found = extract_commitments(text, "en")
    assert [c.kind for c in found] == ["call", "pledge", "resolution"]
    assert {c.actor for c in found} == {"the mayors of the network"}


def test_list_items_whatever_their_form():
    text = ("The signatories pledge to:\n\n- Denouncing all acts of hate wherever they occur;\n"
            "- Training teachers in every school;\n- A yearly report on local hate crime.")
    found = extract_commitments(text, "en")
    assert [c.text for c in found[1:]] == ["Denouncing all acts of hate wherever they occur",
                                           "Training teachers in every school", "A yearly report on local hate crime."]
    assert {(c.kind, c.actor) for c in found} == {("pledge", "The signatories")}


def test_a_heading_makes_the_verb_items_after_it_objectives():
    text = ("Les valeurs :\n\n• L'égalité de traitement pour toutes et tous.\n\n"
            "Les objectifs :\n\n• Sensibiliser les citoyens à toutes les formes de discrimination.\n"
            "• Former et fédérer les acteurs locaux.")
    assert texts(text) == ["Sensibiliser les citoyens à toutes les formes de discrimination.",
                           "Former et fédérer les acteurs locaux."]


def test_under_an_adoption_formula_each_item_is_judged():
    text = ("We, the mayors of cities, hereby agree to the following:\n\n"
            "  • Cooperation between mayors is a key element of living together;\n"
            "  • A clear understanding of polarisation must be part of our responsibilities;")
    found = extract_commitments(text, "en")
    assert [(c.kind, c.text) for c in found][1:] == [
        ("need", "A clear understanding of polarisation must be part of our responsibilities")]


@pytest.mark.parametrize("sentence", [
    "The declaration was adopted unanimously on 3 May.",
    "La déclaration a été signée à l'unanimité.",
    "The summit will take place in autumn 2017 in Rabat.",
    "This partnership will provide training to ten cities.",
    "We strongly denounce the attack on the mosque.",
    "We recognise that cities have a pivotal role in prevention.",
    "Please save the date for the summit on 4 June.",
    "Participants must RSVP by 1 May.",
    "As part of our engagement to inspire cities, we organised a workshop in Tunis.",
    "Cette rencontre sera centrée sur trois sujets.",
    "It aims to foster greater knowledge of the heritage of people of African descent.",
    "The GPM believes political debate should be a safe space for all.",
    "Political dialogue should be free to express and go beyond borders.",
    "Nous vous invitons à une réunion à Strasbourg.",
    "Nous vous incitons à vous inscrire au plus tard le 8 avril 2024.",
    "We will send you the agenda and the hotel list after registration.",
    "En 2015, les membres avaient souligné « l'impératif d'accueillir les réfugiés ».",
    "The mayors had pledged to act in 2015.",
    "Les villes sont déjà en première ligne quand le terrorisme frappe.",
    "Le réseau va permettre de construire une communauté.",
    "Nous soulignons que l'année 2016 a vu plus de pays que jamais souffrir.",
    "Nous condamnons le terrorisme.",
    "Will we commit to this?",
])
def test_not_commitments(sentence):
    language = "fr" if any(w in sentence.split() for w in ("Nous", "La", "Les", "Le", "Cette", "En")) else "en"
    assert texts(sentence, language=language) == []


def test_actor_of_a_pronoun_is_the_last_group_named():
    text = ("Elles participent aux secours, témoignent les Maires de l'AIMF. A leurs yeux, ce rôle va "
            "se renforcer. A cet égard, ils se sont engagés à constituer une plateforme.")
    (found,) = extract_commitments(text)
    assert found.actor == "les Maires de l'AIMF"


def test_actor_is_the_subject():
    (found,) = extract_commitments("Les élus du réseau s'engagent à publier leurs données.")
    assert found.actor == "Les élus du réseau"


def test_actor_falls_back_to_the_given_organisation():
    (found,) = extract_commitments("We will train front-line staff.", "en", fallback_actor="Strong Cities Network")
    assert found.actor == "Strong Cities Network"


def test_english_list_after_a_lead_in():
    text = ("We, the mayors of the network, meeting in Cape Town:\n\n"
            "We commit to:\n\n- Share good practices;\n- Train front-line practitioners.")
    found = extract_commitments(text, "en")
    assert [c.text for c in found] == ["We commit to:", "Share good practices", "Train front-line practitioners."]
    assert {c.actor for c in found} == {"the mayors of the network"}


def test_a_list_without_a_pledge_is_not_commitments():
    assert texts("Le programme :\n\n- Accueil des participants ;\n- Déjeuner.") == []


PARIS = City("Paris", "FR", 2988507, 48.85, 2.35, ("Paris",), 1, ("signatory",))
LYON = City("Lyon", "FR", 2996944, 45.75, 4.85, ("Lyon",), 1, ("mentioned",))


def test_actors_resolve_to_cities_organisations_and_signatories():
    aimf = Organisation("Association Internationale des Maires Francophones", ("AIMF",))
    found = resolve(extract_commitments(
        "The signatories commit to act.\n\nThe Mayor of Lyon will train every teacher.", "en"), [PARIS, LYON], [aimf])
    found += resolve(extract_commitments("Les membres de l'AIMF s'engagent à partager leurs pratiques.", "fr"),
                     [PARIS, LYON], [aimf])
    assert [c.actor_entities for c in found] == [
        (ActorEntity("city", "Paris", "FR"),),
        (ActorEntity("city", "Lyon", "FR"),),
        (ActorEntity("organisation", "Association Internationale des Maires Francophones"),)]
    assert "The signatories" in found[0].actor


def test_a_commitments_own_deadline():
    (found,) = resolve(extract_commitments("We commit to adopting an action plan by 2025.", "en"), [], [],
                       [DateMention("2025", "2025", "deadline"), DateMention("2019", "2019")])
    assert found.deadline == "2025"
    (found,) = resolve(extract_commitments("Nous nous engageons à agir dès 2019.", "fr"), [], [],
                       [DateMention("2019", "2019", "reference")])
    assert found.deadline is None


@pytest.mark.parametrize("module", [commitments_module, indexer.extract.commitments.actors,
                                    indexer.extract.commitments.clauses, indexer.extract.commitments.lexicon,
                                    indexer.extract.commitments.syntax,
                                    indexer.extract.commitments.units], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed


@pytest.mark.parametrize("language, text, kind", [
    ("en", "It is essential that cities take part in national prevention plans.", "need"),
    ("fr", "Il est indispensable de former les agents de première ligne.", "need"),
    ("fr", "Il est urgent d'agir contre les discours de haine.", "need"),
    ("en", "There is a need to strengthen cooperation between cities.", "need"),
    ("fr", "Il faut que l'État donne aux communes les moyens d'agir.", "need"),
    ("fr", "Il importe de renforcer le dialogue entre les communautés.", "need"),
    ("en", "We are determined to fight all forms of racism.", "pledge"),
    ("en", "We are committed to building inclusive cities.", "pledge"),
    ("fr", "Nous sommes déterminés à lutter contre toutes les formes de racisme.", "pledge"),
    ("fr", "Nous lançons un appel aux États pour qu'ils protègent les réfugiés.", "call"),
    ("fr", "Nous exigeons que l'État garantisse la sécurité des élus.", "call"),
    ("fr", "Serrons-nous les coudes face à la haine.", "call"),
    ("en", "Let us stand together against hatred.", "call"),
    ("en", "Local authorities are encouraged to involve young people.", "call"),
    ("fr", "Les villes sont invitées à désigner un référent.", "call"),
    ("en", "We urge you, as members of parliament, to protect the rights of refugees.", "call"),
])
def test_adjectives_expletives_exhortations_and_passive_calls(language, text, kind):
    assert [c.kind for c in extract_commitments(text, language)] == [kind]


@pytest.mark.parametrize("language, text", [
    ("en", "We, local governments, are convinced that solidarity is essential to addressing these challenges."),
    ("en", "Solidarity and strong local responses are essential to addressing these challenges."),
    ("en", "We encourage you to register for the summit before 1 May."),
    ("en", "The cities agreed to meet again in 2025."),
    ("en", "The mayors decided to hold the next summit in Rabat."),
    ("fr", "Le maire a rappelé que la ville avait investi dans la prévention."),
    ("fr", "Le rapport sera publié en juin."),
])
def test_principles_invitations_and_reported_procedure_are_not_commitments(language, text):
    assert texts(text, language=language) == []


@pytest.mark.parametrize("language, text, kind, actor", [
    ("en", "The mayors said they would work together to counter hate speech online.", "pledge", "The mayors"),
    ("fr", "La maire a annoncé que la ville renforcerait son dispositif de prévention.", "pledge", "la ville"),
    ("en", "The mayors emphasised the need to strengthen local prevention.", "need", "The mayors"),
    ("en", "Mayors highlighted their commitment to inclusive cities.", "pledge", "Mayors"),
])
def test_reported_futures_needs_and_commitments(language, text, kind, actor):
    assert [(c.kind, c.actor) for c in extract_commitments(text, language)] == [(kind, actor)]


@pytest.mark.parametrize("text", ["The minister said the weather would be fine.",
                                  "He said the summit would take place in June."])
def test_reported_futures_of_things_and_events_are_not_pledges(text):
    assert texts(text, language="en") == []


def test_a_heading_opens_a_list_of_infinitive_paragraphs():
    text = ("10 Points Plan of Action\n\nCommitment 1 – Greater vigilance against racism\n\n"
            "To set up a monitoring network against racism at city level.\n\n"
            "To establish a mechanism for consultation with the various social actors.\n\n"
            "The Coalition was launched in 2004.")
    assert texts(text, language="en") == [
        "To set up a monitoring network against racism at city level.",
        "To establish a mechanism for consultation with the various social actors."]


def test_a_pledge_to_the_following_areas_commits_to_each_item():
    text = ("At the workshop, the member cities affirmed their commitment to act on the following "
            "priority areas:\n\n- Map the incidents of racism reported in each city\n"
            "- Strengthen ties with local associations for joint projects.")
    found = extract_commitments(text, "en")
    assert [c.kind for c in found] == ["pledge"] * 3
    assert found[2].text == "Strengthen ties with local associations for joint projects."


@pytest.mark.parametrize("language, text, kind", [
    ("fr", "Les membres du réseau ont aussi accepté de réviser la charte de gouvernance.", "pledge"),
    ("en", "The member cities agreed to review the network's governance within a year.", "pledge"),
    ("en", "The mayors agreed on the need for more local prevention efforts.", "need"),
    ("fr", "Les élus ont convenu de la nécessité d'un plan local contre les discriminations.", "need"),
    ("en", "We convey our willingness to find a way out of this crisis.", "pledge"),
    ("fr", "Ce texte traduit l'engagement des maires à placer la dignité au cœur de leur action.", "pledge"),
    ("fr", "Par le dialogue, les maires entendent mobiliser les associations de quartier.", "pledge"),
    ("fr", "Et combattons sans relâche ces projets de division.", "call"),
    ("en", "We stand together to face hate speech wherever it appears.", "pledge"),
    ("fr", "Nous restons unis pour combattre toutes les formes de haine.", "pledge"),
])
def test_reported_agreements_stances_and_exhortations(language, text, kind):
    assert [c.kind for c in extract_commitments(text, language)] == [kind]


@pytest.mark.parametrize("language, text", [
    ("fr", "Les participants ont convenu de diverses améliorations du texte."),
    ("en", "We accept the invitation of the city of Lyon."),
    ("en", "Cities want the lives of all people to be protected."),
    ("en", "The old bridge stands together with the church on the hill."),
    ("en", "We remain firm in our belief that dialogue works."),
    ("fr", "Maisons et jardins ont été rénovés par la commune."),
])
def test_procedure_wishes_for_others_and_look_alikes_are_not_commitments(language, text):
    assert texts(text, language=language) == []


def test_a_commitment_held_by_a_group_the_noun_names_is_theirs():
    found = extract_commitments("Elle traduit l'engagement des maires francophones à placer la dignité "
                                "humaine au cœur de leur action.", "fr")
    assert [(c.kind, c.actor) for c in found] == [("pledge", "maires francophones")]


def test_an_acronym_commits_only_when_it_names_one_of_the_documents_organisations():
    from indexer.extract.commitments import CommitmentReader
    from indexer.extract.commitments.lexicon import load_lexicon
    english = load_lexicon("en")
    sentence = "The MBA programme will start in May."
    assert english.may_commit(sentence)                                 # organisations unknown: any acronym may
    assert not english.may_commit(sentence, organisations=frozenset())
    assert english.may_commit("UCLG will support its members.", organisations=frozenset({"UCLG"}))
    text = "UCLG will support every town. The MBA will cost more next year."
    assert CommitmentReader(text, "en", frozenset({"UCLG"})).sentences() == ["UCLG will support every town."]
    assert len(CommitmentReader(text, "en").sentences()) == 2


def test_only_a_lead_in_that_may_commit_opens_a_list():
    pledge = "We, the mayors of Lyon and Nantes, commit to support families affected by radicalisation."
    overview = f"{pledge}\n\nHere is a quick overview of the exhibition:\n\nDo this for about one hour."
    assert [c.text for c in extract_commitments(overview, "en")] == [pledge]
    listed = "The signatories commit to:\n\n- Support families affected by radicalisation;\n- Train municipal staff."
    assert [c.text for c in extract_commitments(listed, "en")][1:] == [
        "Support families affected by radicalisation", "Train municipal staff."]

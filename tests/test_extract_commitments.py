"""Commitments: pledges in French and English, lists after a lead-in, actors, non-commitments."""
from __future__ import annotations

import pytest

import indexer.extract.commitments as commitments_module

from indexer.extract.commitments import extract_commitments, opening_actor

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
        "Promouvoir et défendre les principes directeurs du Strong Cities Network, notamment les droits de l'Homme",
        "Bâtir des partenariats intersectoriels pour prévenir et contrer la polarisation",
        "Comprendre, habiliter et équiper les services publics en première ligne de la prévention.",
    ]
    assert found[0].actor == "les maires, élus, et leaders locaux du Strong Cities Network"
    assert {c.actor for c in found[1:]} == {"les maires, élus et leaders locaux du Strong Cities Network"}
    assert all(c.text in MELBOURNE for c in found)


def test_themes_of_a_commitment():
    found = extract_commitments(MELBOURNE)
    assert "polarisation" in found[2].themes and "human-rights" in found[1].themes
    assert "front-line-training" in found[3].themes


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
    assert texts(f"Introduction.\n\n{sentence}\n\nFin.") == [sentence]


@pytest.mark.parametrize("sentence", [
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
    assert texts(sentence) == []


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
    assert [c.text for c in found] == ["Share good practices", "Train front-line practitioners."]
    assert found[0].actor == "the mayors of the network"


def test_a_list_without_a_pledge_is_not_commitments():
    assert texts("Le programme :\n\n- Accueil des participants ;\n- Déjeuner.") == []


@pytest.mark.parametrize("module", [commitments_module], ids=lambda m: m.__name__)
def test_docstring_examples(module):
    import doctest
    result = doctest.testmod(module)
    assert result.attempted and not result.failed

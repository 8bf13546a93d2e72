"""A small bilingual corpus written straight into an index with explicit extractions, so
that the web pages have cities, dates, organisations and commitments to show whatever the
extraction pipeline finds today. Used by the Flask client tests and the browser tests."""
from __future__ import annotations

from model.record import ActorEntity, City, Commitment, DateMention, Extraction, Organisation, Record

MELBOURNE = City("Melbourne", "AU", 2158177, -37.81, 144.96, ("Melbourne",), 2, ("venue",))
PARIS = City("Paris", "FR", 2988507, 48.85, 2.35, ("Paris",), 2, ("signatory",))
MONTREAL = City("Montreal", "CA", 6077243, 45.51, -73.59, ("Montréal",), 1, ("signatory",))
BRUSSELS = City("Brussels", "BE", 2800866, 50.85, 4.35, ("Bruxelles",), 1, ("mentioned",))
STRASBOURG = City("Strasbourg", "FR", 2973783, 48.58, 7.75, ("Strasbourg",), 2, ("venue",))
CAPE_TOWN = City("Cape Town", "ZA", 3369157, -33.93, 18.42, ("Cape Town",), 1, ("mentioned",))
NEW_YORK = City("New York City", "US", 5128581, 40.71, -74.01, ("New York",), 1, ("venue",))
BEIRUT = City("Beirut", "LB", 276781, 33.89, 35.50, ("Beyrouth",), 1, ("mentioned",))
SCN = Organisation("Strong Cities Network", ("Strong Cities Network", "réseau Strong Cities"))
AIMF = Organisation("AIMF", ("Association internationale des maires francophones",))

MELBOURNE_FR = """Déclaration de Melbourne

Nous, les maires et leaders locaux du Strong Cities Network, réunis à Melbourne en juillet 2018 :

Condamnons la montée de l'extrémisme violent et de la haine dans nos villes.

Nous nous engageons à partager nos pratiques de prévention entre les villes du réseau.

- Former les professionnels de première ligne à la prévention de la radicalisation ;
- Soutenir les jeunes et les familles dans chaque quartier.

Signée à Melbourne par les maires de Paris et de Montréal."""

MELBOURNE_EN = """Melbourne Declaration

We, the mayors and local leaders of the Strong Cities Network, gathered in Melbourne in July 2018:

Condemn the rise of violent extremism and hate in our cities.

We commit to sharing our prevention practices between the cities of the network.

- Train front-line professionals to prevent radicalisation;
- Support young people and families in every neighbourhood.

Signed in Melbourne by the mayors of Paris and Montréal."""


def record(doc_id: str, title: str, body: str, language: str = "fr", **fields) -> Record:
    kind = fields.pop("type", "declaration")
    return Record(id=doc_id, title=title, type=kind, language=language, body=body,
                  path=f"{kind}/{doc_id}.{language}.md", fingerprint=doc_id, **fields)


def records(hostile: bool = False) -> list[Record]:
    out = [
        record("melbourne-2018-fr", "Déclaration de Melbourne", MELBOURNE_FR, "fr", date="2018-07",
               translation_key="melbourne-2018", organisations=("Strong Cities Network",),
               source_url="https://example.org/melbourne-fr",
               extraction=Extraction(
                   language="fr", cities=(MELBOURNE, PARIS, MONTREAL),
                   dates=(DateMention("2018-07", "juillet 2018", "event"),),
                   organisations=(SCN,),
                   commitments=(
                       Commitment("Nous nous engageons à partager nos pratiques de prévention entre les villes du réseau.",
                                  "les maires du Strong Cities Network", ("city-cooperation",), "pledge",
                                  (ActorEntity("organisation", "Strong Cities Network"),)),
                       Commitment("Former les professionnels de première ligne à la prévention de la radicalisation ;",
                                  "les maires", ("front-line-training", "radicalisation")),
                       Commitment("Soutenir les jeunes et les familles dans chaque quartier.",
                                  "les maires", ("youth-and-education",))),
                   themes=("violent-extremism", "city-cooperation", "radicalisation"))),
        record("melbourne-2018-en", "Melbourne Declaration", MELBOURNE_EN, "en", date="2018-07",
               translation_key="melbourne-2018", organisations=("Strong Cities Network",),
               extraction=Extraction(
                   language="en", cities=(MELBOURNE, PARIS, MONTREAL),
                   dates=(DateMention("2018-07", "July 2018", "event"),),
                   organisations=(SCN,),
                   commitments=(
                       Commitment("We commit to sharing our prevention practices between the cities of the network.",
                                  "the mayors of the Strong Cities Network", ("city-cooperation",), "pledge",
                                  (ActorEntity("organisation", "Strong Cities Network"),)),
                       Commitment("Train front-line professionals to prevent radicalisation;",
                                  "the mayors", ("front-line-training", "radicalisation"))),
                   themes=("violent-extremism", "city-cooperation", "radicalisation"))),
        record("aimf-2016", "L'AIMF contre le terrorisme", (
            "Communiqué\n\nRéunis à Paris le 8 avril 2016, les maires de l'Association internationale "
            "des maires francophones condamnent les attentats de Bruxelles et de Beyrouth.\n\n"
            "Les maires s'engagent à soutenir les victimes du terrorisme dans leurs villes."),
               "fr", type="press_release", date="2016-04-08", organisations=("AIMF",),
               extraction=Extraction(
                   language="fr", cities=(PARIS, BRUSSELS, BEIRUT),
                   dates=(DateMention("2016-04-08", "8 avril 2016", "event"),),
                   organisations=(AIMF,),
                   commitments=(Commitment("Les maires s'engagent à soutenir les victimes du terrorisme dans leurs villes.",
                                           "les maires de l'AIMF", ("victims-of-terrorism",), "pledge",
                                           (ActorEntity("organisation", "AIMF"),)),),
                   themes=("terrorism", "victims-of-terrorism"))),
        record("strasbourg-2024", "Dialogue transatlantique à Strasbourg", (
            "Invitation\n\nLa Ville de Strasbourg vous invite au dialogue transatlantique des villes "
            "les 14-15 mai 2024, avec les maires de Montréal.\n\nNous nous engageons à faire vivre "
            "le vivre-ensemble et la cohésion sociale à Strasbourg.\n\nInscription au plus tard le "
            "8 avril 2024."),
               "fr", type="invitation", date="2024-05-14",
               extraction=Extraction(
                   language="fr", cities=(STRASBOURG, MONTREAL),
                   dates=(DateMention("2024-05-14", "14-15 mai 2024", "event", "2024-05-15"),
                          DateMention("2024-04-08", "8 avril 2024", "deadline")),
                   commitments=(Commitment("Nous nous engageons à faire vivre le vivre-ensemble et la cohésion sociale à Strasbourg.",
                                           "la Ville de Strasbourg", ("social-cohesion",), "pledge",
                                           (ActorEntity("city", "Strasbourg", "FR"),)),),
                   themes=("social-cohesion",))),
        record("cape-town-guide-2021", "A guide to social cohesion for mayors", (
            "A guide for mayors\n\nCities from Cape Town to Montréal share what works to build social "
            "cohesion and prevent hate."),
               "en", type="guide", date="2021",
               extraction=Extraction(language="en", cities=(CAPE_TOWN, MONTREAL),
                                     themes=("social-cohesion", "hate-and-discrimination"))),
        record("paris-2015", "Paris joins the Strong Cities Network", (
            "New York, 29 September 2015\n\nThe Mayor of Paris joined the Strong Cities Network at its "
            "launch in New York.\n\nParis commits to sharing its experience of preventing "
            "radicalisation with other cities."),
               "en", type="press_release", date="2015-09-29", organisations=("Strong Cities Network",),
               extraction=Extraction(
                   language="en", cities=(PARIS, NEW_YORK),
                   dates=(DateMention("2015-09-29", "29 September 2015", "event"),),
                   organisations=(SCN,),
                   commitments=(Commitment("Paris commits to sharing its experience of preventing radicalisation with other cities.",
                                           "Paris", ("radicalisation", "city-cooperation"), "pledge",
                                           (ActorEntity("city", "Paris", "FR"),), "2016"),),
                   themes=("radicalisation",))),
        record("undated-note", "A note without date", "A short statement about hate speech online.",
               "en", type="statement"),
    ]
    if hostile:
        evil = City("<b>Evil</b>ville", "XX", 1, 10.0, 10.0, ('<img src=x onerror=alert(1)>',), 1, ("venue",))
        out.append(record(
            "hostile", "<script>alert('title')</script> Titre", (
                "Paragraphe <img src=x onerror=alert(1)> sur la haine.\n\n"
                'Nous nous engageons à "<script>alert(2)</script>" lutter contre la haine.'),
            "fr", date="2020", source_url="javascript:alert(3)",
            organisations=("<i>Org</i>",),
            extraction=Extraction(
                language="fr", cities=(evil,),
                dates=(DateMention("2020", "<img src=x onerror=alert(1)>", "event"),),
                organisations=(Organisation("<i>Org</i>", ("<script>",)),),
                commitments=(Commitment('Nous nous engageons à "<script>alert(2)</script>" lutter contre la haine.',
                                        "<svg onload=alert(4)>", ("<theme>",)),),
                themes=("<theme>",))))
    return out


def build(store, hostile: bool = False) -> None:
    """Write the corpus into ``store`` (a ``kb.index.Index``) in one commit."""
    with store.write() as writer:
        for item in records(hostile):
            writer.put(item)

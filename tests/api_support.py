"""The small knowledge base of the API tests, whose records the examples of the OpenAPI
document find (the ``published`` fixture in conftest.py indexes them)."""
from __future__ import annotations

from model.record import ActorEntity, City, Commitment, Extraction, Organisation, Record

BRUSSELS = City("Brussels", "BE", 2800866, 50.85, 4.35, ("Bruxelles",), 2, ("signatory",))
PARIS = City("Paris", "FR", 2988507, 48.85, 2.35, ("Paris",), 1, ("venue",))
MONTREAL = City("Montreal", "CA", 6077243, 45.5, -73.57, ("Montréal",), 1, ("mentioned",))
MELBOURNE_ID = "declaration-de-melbourne-2018-fr"


def record(doc_id, body, language="fr", **fields):
    return Record(id=doc_id, title=fields.pop("title", doc_id), type=fields.pop("type", "declaration"),
                  language=language, body=body, path=f"{doc_id}.md", fingerprint=doc_id, **fields)


def api_records() -> list[Record]:
    """A small knowledge base that the examples of webapp/openapi.json find."""
    records = [
        record(MELBOURNE_ID, "Les maires de Bruxelles et de Paris luttent contre la haine et "
               "l'extrémisme violent.\n\nNous nous engageons à prévenir l'extrémisme violent.",
               title="Déclaration de Melbourne", date="2018-07", translation_key="melbourne-2018",
               organisations=("Strong Cities Network",), source_url="https://example.org/melbourne",
               extraction=Extraction(
                   language="fr", cities=(BRUSSELS, PARIS),
                   organisations=(Organisation("Strong Cities Network", ("réseau Strong Cities",)),),
                   themes=("violent-extremism",),
                   commitments=(
                       Commitment("Nous nous engageons à prévenir l'extrémisme violent.", "Les maires",
                                  ("violent-extremism",), "pledge",
                                  (ActorEntity("city", "Brussels", "BE"), ActorEntity("city", "Paris", "FR"),
                                   ActorEntity("organisation", "Strong Cities Network")), "2025-12-31"),
                       Commitment("=HYPERLINK(\"http://evil\")", "@maires", ("hate-and-discrimination",))))),
        record("melbourne-declaration-2018-en", "Mayors of Brussels and Paris fight hate and violent "
               "extremism.", "en", title="Melbourne Declaration", date="2018-07",
               translation_key="melbourne-2018", extraction=Extraction(cities=(BRUSSELS,))),
        record("montreal-2024", "We commit to social cohesion and fight hate in Montréal.", "en",
               title="Montréal statement", type="statement", date="2024-05-14",
               extraction=Extraction(cities=(MONTREAL,), themes=("social-cohesion",), commitments=(
                   Commitment("We commit to social cohesion.", "The Mayor of Montréal", ("social-cohesion",),
                              "pledge", (ActorEntity("city", "Montreal", "CA"),), "2025"),))),
        record("brouillon", "La haine, un brouillon.", status="draft",
               extraction=Extraction(cities=(City("Lyon", "FR", 2996944, 45.75, 4.85),),
                                     commitments=(Commitment("Un engagement non publié.", "Lyon"),))),
    ]
    records += [record(f"maires-{n:02d}", f"Les maires luttent contre la haine, numéro {n}.",
                       title=f"-Maires {n:02d}", date=f"20{10 + n % 10:02d}", type="report")
                for n in range(12)]
    return records

"""What every engine's analysis shares: the stop words, the French elisions and the shape
of a word. Each engine builds its analyzers from these (``whoosh/schema.py``,
``tantivy/analysis.py``), so that a query word is dropped, kept or split the same way
whichever engine searches.
"""
from __future__ import annotations

# The Snowball project's French and English stop lists (as NLTK and Whoosh ship them).
FRENCH_STOP_WORDS = frozenset("""
ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayante ayantes
ayants ayez ayons c ce ces d dans de des du elle en es est et eu eue eues eurent eus eusse
eussent eusses eussiez eussions eut eux eûmes eût eûtes furent fus fusse fussent fusses
fussiez fussions fut fûmes fût fûtes il j je l la le leur lui m ma mais me mes moi mon même
n ne nos notre nous on ont ou par pas pour qu que qui s sa se sera serai seraient serais
serait seras serez seriez serions serons seront ses soient sois soit sommes son sont soyez
soyons suis sur t ta te tes toi ton tu un une vos votre vous y à étaient étais était étant
étante étantes étants étiez étions été étée étées étés êtes
""".split())
ENGLISH_STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can did do does doing don down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own s same she should so some such t than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with you your yours yourself yourselves
""".split())
# One stop list for every field: a query word that one language drops must be dropped by
# all, or "la haine" would require "la" in English bodies and titles.
STOP_WORDS = FRENCH_STOP_WORDS | ENGLISH_STOP_WORDS

# French elided articles and pronouns, dropped before a word: l'extrémisme → extrémisme.
ELIDED = ("qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "c", "d", "j", "l", "m", "n", "s", "t")
APOSTROPHES = "'’"
ELISIONS = frozenset(e + a for e in ELIDED for a in APOSTROPHES)
MIN_WORD_LENGTH = 2      # shorter words are not searched

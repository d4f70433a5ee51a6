"""The PLOVER event ontology (Open Event Data Alliance; the coding of the POLECAT data set), as
far as `states/vocabulary.yaml` maps our event types onto it: categories, their modes, contexts.

From the PLOVER manual (github.com/openeventdata/PLOVER, PLOVER_MANUAL.tex): 16 event categories,
modes per category (a category without modes takes none) and the general contexts.
"""

from __future__ import annotations

MODES: dict[str, frozenset[str]] = {
    "AGREE": frozenset(),
    "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
    "SUPPORT": frozenset(),
    "CONCEDE": frozenset(),
    "COOPERATE": frozenset(),
    "AID": frozenset(),
    "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
    "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
    "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
    "REJECT": frozenset({"assist", "change", "yield", "meet"}),
    "THREATEN": frozenset({"restrict", "arrest", "relations", "expel", "territory", "violence"}),
    "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct"}),
    "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
    "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
    "COERCE": frozenset({"seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold", "misinformation", "cyber"}),
    "ASSAULT": frozenset({"abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms", "explosives",
                          "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "unconventional", "sideAB"}),
}
CONTEXTS = frozenset(
    {
        "military", "intelligence", "executive", "legislative", "election", "political_institutions", "pro_democracy",
        "pro_autocracy", "economic", "legal", "reparations", "human_rights", "rights_freedoms", "repression",
        "human_security", "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic", "territory",
        "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource", "environment",
        "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime", "corruption", "illegal_drugs",
        "trafficking",
    }
)

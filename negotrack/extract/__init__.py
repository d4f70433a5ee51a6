"""Events from articles, one step a module:

  cues        the spans of a sentence that may carry an event (the lexicon's rules, and any
              learned `proposers`), as `Hit` records
  threads     which thread a sentence or clause is about
  modality    the ordered checks that set a cue aside (negated, denied, conditional, ...)
  dating      the event's date, and the expected date of a planned one
  attribution who says so, and who denies it
  assemble    the article read sentence by sentence with its context; retractions; one event
              per happening; `extract_article`
  view        one sentence's clauses, words, dates and list matches, worked out once
"""

from negotrack.extract.assemble import extract_article
from negotrack.extract.cues import Hit, Proposer

__all__ = ["Hit", "Proposer", "extract_article"]

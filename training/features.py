"""Custom transformers for the intent pipeline.

They live here, in an importable package module, because a pickled Pipeline stores a reference to each
class by module path: `nlp.intent_model` can only load the artifact if these classes import from the same
place they were trained from. Both transformers are stateless (nothing is learned in `fit`), so a change to
the tables below changes the model only after a retrain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from nlp.literal_scan import LiteralScanner  # pure helpers: neither imports spaCy or the pipeline
from nlp.regex_gate import fold, prefiltered, required_literals

# Shorthand and frequent misspellings in OT/PT notes -> one canonical spelling, so that "AROM", "active ROM"
# and "active range of motion" become the same words. _CASE_SENSITIVE runs first, on the original text, because
# only case tells "LB dressing" (lower body) from "10 lb" and "US" (ultrasound) from "us"; _ABBREVIATIONS then
# runs in order on lower-cased text.
_CASE_SENSITIVE = [
    (r"\bLB\b(?=\s*(?:dressing|bathing|self|adl|clothing))", "lower body"),
    (r"\bUB\b", "upper body"),
    (r"\bUS\b", "ultrasound"),
    (r"\bTA\b", "therapeutic activities"),
    (r"\bTE\b", "therapeutic exercise"),
    (r"\bB\b(?=\s*(?:UE|LE|hands?|shoulders?|knees?|hips?|ankles?)\b)", "bilateral"),
]
_ABBREVIATIONS = [
    # "w/c" before "w/", or wheelchair would read "with c"
    (r"\bw/c\b|\bwc\b|\bwheelchiar\b|\bwheel chair\b", " wheelchair "),
    (r"\bw/\s*o\b|\bw/out\b|\bw/o\b", " without "),
    (r"\bw/", " with "),
    (r"\bs/p\b", " status post "),
    (r"\bd/t\b", " due to "),
    (r"\bb/l\b", " bilateral "),
    # dose and resistance: numbers are noise to the model, their shape is the signal
    (r"\b\d+\s*(?:#|lbs?|pounds?|kg)(?!\w)", " weightload "),
    (r"#", " weightload "),
    (r"\b\d+\s*x\s*\d+(?:\s*x\s*\d+)?\b", " setsreps "),
    (r"\b\d+(?:\.\d+)?\s*(?:min(?:ute)?s?|mins|sec(?:ond)?s?|s|')(?!\w)", " duration "),
    (r"\bx\s*\d+\b|\b\d+\s*x\b", " repcount "),
    (r"\b(?:aa\s*rom|aarom|active[- ]assist(?:ed|ive)? (?:range of motion|rom))\b", " activeassisted rangeofmotion "),
    (r"\b(?:a\s*rom|arom|active (?:range of motion|rom))\b", " active rangeofmotion "),
    (r"\b(?:p\s*rom|prom|passive (?:range of motion|rom))\b", " passive rangeofmotion "),
    (r"\b(?:rom|range of motion)\b", " rangeofmotion "),
    (r"\b(?:ther\s*ex|therex|therapeutic exercises?)\b", " therapeutic exercise "),
    (r"\b(?:ther\s*act|theract|therapeutic activit(?:y|ies))\b", " therapeutic activities "),
    (r"\b(?:nmr|nmre|neuro\s*re-?\s*ed(?:ucation)?|neuromuscular re-?\s*ed(?:ucation)?)\b",
     " neuromuscular reeducation "),
    (r"\bhep\b|\bhome exercise program\b|\bhome program\b", " homeprogram "),
    (r"\bi?adls?\b", " dailyliving "),
    (r"\bactivities of daily living\b", " dailyliving "),
    (r"\bae\b|\badaptive equipment\b|\bassistive devices?\b", " adaptiveequipment "),
    (r"\b(?:t-?band|tb|theraband|thera-band|resistance band|band)\b", " theraband "),
    (r"\b(?:theraputty|thera-putty|putty)\b", " putty "),
    (r"\b(?:db|dbs|dumbbells?|hand weights?|free weights?)\b", " dumbbell "),
    (r"\b(?:ube|arm bike|arm ergometer|upper body ergometer)\b", " armergometer "),
    (r"\b(?:sts|sit\s*(?:to|-|2|<->|->)\s*stand|sit-to-stand)\b", " sittostand "),
    (r"\b(?:sls|single[- ]leg(?:ged)? stance|single[- ]limb stance|single[- ]leg balance)\b", " singlelegstance "),
    (r"\bslr\b|\bstraight leg raises?\b", " straightlegraise "),
    (r"\b(?:n?bos|base of support)\b", " baseofsupport "),
    (r"\beo\s*/\s*ec\b|\beyes open\s*(?:/|and|,)\s*eyes closed\b", " eyesopen eyesclosed "),
    (r"\bec\b|\beyes closed\b", " eyesclosed "),
    (r"\bwt\b", " weight "),
    (r"\bpnf\b|\bproprioceptive neuromuscular facilitation\b", " pnf "),
    (r"\b(?:cga|contact guard(?: assist)?)\b", " contactguard "),
    (r"\b(?:sba|stand ?by assist|supervision)\b", " standby "),
    (r"\b(?:min|mod|max)\s*a\b|\b(?:min|mod|max)(?:imal|erate|imum)? assist(?:ance)?\b", " physicalassist "),
    (r"\bhha\b|\bhand[- ]held assist\b", " handheldassist "),
    (r"\b(?:vcs?|verbal cues?|verbal cueing)\b", " verbalcue "),
    (r"\b(?:tcs?|tactile cues?|tactile cueing)\b", " tactilecue "),
    (r"\b(?:fww|rw|rolling walker|front[- ]wheeled walker|walker)\b", " walker "),
    (r"\b(?:spc|qc|quad cane|single point cane|cane)\b", " cane "),
    (r"\b(?:ue|upper extremity|upper extremities|upper limbs?)\b", " upperextremity "),
    (r"\b(?:bue|rue|lue)\b", " upperextremity "),
    (r"\b(?:le|lower extremity|lower extremities|lower limbs?)\b", " lowerextremity "),
    (r"\b(?:ble|rle|lle)\b", " lowerextremity "),
    (r"\b(?:e-?stim|electrical stimulation|nmes|tens|fes)\b", " estim "),
    (r"\bcva\b", " stroke "),
    (r"\btx\b", " treatment "),
    (r"\bdon(?:ned|ning|s)?\b", " don "),
    (r"\bdoff(?:ed|ing|s)?\b", " doff "),
    (r"\bbed mob\b", " bed mobility "),
    (r"\bpt\b", " patient "),
    (r"\bea\b", " each "),
    (r"\bwk\b", " week "),
    (r"\bfxnl\b|\bfunc\b", " functional "),
    (r"\bballance\b", " balance "),
    (r"\bstrech(?:es|ing)?\b", " stretch "),
    (r"\bexc?er?cise\b|\bexcercise\b", " exercise "),
    (r"\bseqencing\b", " sequencing "),
    (r"\bplaning\b", " planning "),
    (r"\bcoord\b", " coordination "),
]


@dataclass(frozen=True)
class _Rewrite:
    """One substitution, with the literals one of which any match contains: most rewrites cannot apply to
    a given text, and checking which literals occur is far cheaper than a regex pass (same result)."""

    regex: re.Pattern[str]
    replacement: str
    literals: frozenset[str] | None
    finder: Any  # the pattern's search tried only where its opening words occur (`nlp.regex_gate`)

    def apply(self, text: str, folded: str) -> str:
        if self.finder.search(text, folded, 0, len(text)) is None:
            return text  # most rewrites that could apply do not: a search at a few places says so
        return self.regex.sub(self.replacement, text)


class _RewriteTable:
    """Rewrites applied in order; the literals present are found in one scan, and again after a change.

    Which rewrites the literals present allow is one bit mask (a bit per rewrite, OR-ed over the few literals
    found), not each of some sixty rewrites asked in turn: the same rewrites are tried, in the same order."""

    def __init__(self, rewrites: list[_Rewrite]) -> None:
        self.rewrites = rewrites
        self._scanner = LiteralScanner(literal for r in rewrites for literal in r.literals or ())
        self._always = sum(1 << i for i, r in enumerate(rewrites) if r.literals is None)
        self._allowed_by: dict[str, int] = {}
        for i, rewrite in enumerate(rewrites):
            for literal in rewrite.literals or ():
                self._allowed_by[literal] = self._allowed_by.get(literal, 0) | 1 << i

    def _allowed(self, folded: str) -> int:
        mask = self._always
        for literal in self._scanner.present(folded):
            mask |= self._allowed_by.get(literal, 0)
        return mask

    def apply(self, text: str) -> str:
        folded = fold(text)
        pending = self._allowed(folded)
        while pending:
            lowest = pending & -pending
            index = lowest.bit_length() - 1
            pending ^= lowest
            rewritten = self.rewrites[index].apply(text, folded)
            if rewritten != text:  # later rewrites must see the new words
                text = rewritten
                folded = fold(text)
                pending = self._allowed(folded) & ~((lowest << 1) - 1)  # those after this one
        return text


def _rewrites(table: list[tuple[str, str]], padded: bool) -> _RewriteTable:
    compiled = [(re.compile(pattern), f" {repl} " if padded else repl) for pattern, repl in table]
    return _RewriteTable([_Rewrite(regex, repl, required_literals(regex.pattern), prefiltered(regex))
                          for regex, repl in compiled])


_REWRITES_CS = _rewrites(_CASE_SENSITIVE, padded=True)
_REWRITES = _rewrites(_ABBREVIATIONS, padded=False)
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Expand shorthand, fold misspellings and replace numbers by the shape of the dose."""
    text = _REWRITES_CS.apply(text).lower()
    text = _REWRITES.apply(text)
    return _SPACES.sub(" ", text).strip()


class TextNormaliser(BaseEstimator, TransformerMixin):
    """`normalise_text` as a pipeline step (stateless)."""

    def __sklearn_is_fitted__(self) -> bool:
        return True  # nothing to learn: usable before fit, which lets pipeline slices transform

    def fit(self, texts: Iterable[str], y: object = None) -> TextNormaliser:
        return self

    def transform(self, texts: Iterable[str]) -> list[str]:
        return [normalise_text(text) for text in texts]


# Cue groups, one per concept the guidelines name; matched on normalised text. Each group gives one
# feature (1 if any cue matches), which lets the model share evidence between words it saw rarely.
CUE_GROUPS: dict[str, str] = {
    "dose": r"\b(?:setsreps|repcount|reps|sets|holds?)\b",
    "resistance": r"\b(?:weightload|theraband|putty|dumbbell|cuff weights?|resist(?:ance|ive|ed)?|kettlebell)\b",
    "rom_stretch": r"\b(?:rangeofmotion|stretch\w*|glides?|pendulums?|wand|pulleys?|flexibility)\b",
    "strength_endurance": r"\b(?:strength\w*|endurance|armergometer|nustep|bike|treadmill|ergometer|elliptical)\b",
    "exercise_word": r"\b(?:exercise|therapeutic exercise|homeprogram)\b",
    "balance": r"\b(?:balance|foam|tandem|singlelegstance|baseofsupport|perturbation\w*|weight shift\w*|bosu|"
               r"rocker board|wobble board|eyesclosed|sway|postural|stance)\b",
    "motor_control": r"\b(?:coordination|motor control|facilitation|proprioce\w*|kinesthe\w*|posture|trunk control|"
                     r"pnf|ndt|bobath|mirror therapy|sensory|desensiti\w*|vestibular|gaze|in-hand|peg|"
                     r"neuromuscular reeducation|re-?education|weight bearing|forced use)\b",
    "functional_task": r"\b(?:lift\w*|carry\w*|push\w*|pull\w*|simulat\w*|work|task|transfers?|bed mobility|floor|"
                       r"obstacle|play\w*|game|car|shelf|shelves|cabinet|cupboard|counter|functional)\b",
    "self_care": r"\b(?:dress\w*|don|doff|bath\w*|shower|toilet\w*|groom\w*|hygiene|feed\w*|eating|meal|cook\w*|"
                 r"laundry|home management|adaptiveequipment|reacher|sock aid|button\w*|zipper|fasten\w*|"
                 r"energy conservation|joint protection|medications?|dailyliving|self-?care)\b",
    "not_billable_here": r"\b(?:rest|vitals?|bp|hr|spo2|chart|documentation|late|arrived|transport|set-?up|"
                         r"evaluation|eval|re-?assess\w*|goniometry|measured|mobili[sz]ation|mobs|soft tissue|"
                         r"massage|hot pack|ice|ultrasound|estim|paraffin|ionto\w*|traction|gait|wheelchair|"
                         r"orthosis|splint|fabricat\w*|cognitiv\w*|memory|group|education|kinesiotape)\b",
}
_COMPILED_CUES = [re.compile(pattern) for pattern in CUE_GROUPS.values()]
# as for the rewrites: a cue is searched only in a text holding one of the literals every match of it holds
_CUE_LITERALS = [required_literals(pattern) for pattern in CUE_GROUPS.values()]
_CUE_SCANNER = LiteralScanner(literal for literals in _CUE_LITERALS for literal in literals or ())


def _cue_row(text: str) -> list[float]:
    present = _CUE_SCANNER.present(fold(text))
    return [1.0 if (literals is None or not literals.isdisjoint(present)) and pattern.search(text) else 0.0
            for pattern, literals in zip(_COMPILED_CUES, _CUE_LITERALS, strict=True)]


class CueFeatures(BaseEstimator, TransformerMixin):
    """One binary column per entry of CUE_GROUPS (expects normalised text)."""

    def __sklearn_is_fitted__(self) -> bool:
        return True  # stateless, as TextNormaliser

    def fit(self, texts: Iterable[str], y: object = None) -> CueFeatures:
        return self

    def transform(self, texts: Iterable[str]) -> sparse.csr_matrix:
        rows = [_cue_row(text) for text in texts]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(-1, len(_COMPILED_CUES)))

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        return np.asarray([f"cue_{name}" for name in CUE_GROUPS], dtype=object)

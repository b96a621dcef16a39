"""Every spaCy registration notecode makes, in one module: component factories and Doc extensions.

Importing this module registers them; `nlp.pipeline` imports it before building or loading a pipeline.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from nlp.components import FindingsComponent, IntentComponent, InterventionsComponent, LayoutComponent

for _name, _default in (("notecode", None), ("discipline", None), ("intent_notes", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


@Language.factory("notecode_layout", assigns=["doc.spans"], requires=[])
def make_layout(nlp: Language, name: str) -> LayoutComponent:
    return LayoutComponent(nlp, name)


@Language.factory("notecode_findings", assigns=["doc.spans"])
def make_findings(nlp: Language, name: str) -> FindingsComponent:
    return FindingsComponent(nlp, name)


@Language.factory("notecode_interventions", assigns=["doc.spans"])
def make_interventions(nlp: Language, name: str) -> InterventionsComponent:
    return InterventionsComponent(nlp, name)


@Language.factory("notecode_intent", assigns=["doc.spans"], default_config={"model_dir": None})
def make_intent(nlp: Language, name: str, model_dir: str | None) -> IntentComponent:
    return IntentComponent(nlp, name, model_dir)

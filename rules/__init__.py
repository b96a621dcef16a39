"""Billing rules for outpatient therapy claims: pure Python, usable without the NLP layer.

`rules.engine.apply_rules` turns coded services (CPT code + minutes) into claim lines, units,
modifiers and documentation warnings, each with a trace of the rule that produced it.
"""

__version__ = "0.1.0"

"""Rules as data: YAML rule packs are loaded into validated, compiled Rule objects."""
from .spec import CATEGORIES, Rule, RuleSet, Reference  # noqa: F401
from .load import load_packs, load_ruleset_file, builtin_pack_names, default_pack_names  # noqa: F401

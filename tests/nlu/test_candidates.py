"""nlu/candidates/: data measured and left out (its README) must stay what was measured."""
import importlib.util
from pathlib import Path

CANDIDATES = Path(__file__).resolve().parents[2] / "nlu" / "candidates"


def test_paired_voices_yaml_is_what_its_generator_writes():
    # The pairs live only in the generator (the YAML groups by intent); an edit to one file alone
    # would make the next measurement of the candidate measure something else.
    spec = importlib.util.spec_from_file_location("paired_voices_pairs", CANDIDATES / "paired_voices_pairs.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert generator.to_yaml(generator.PAIRS) == (CANDIDATES / "paired_voices.yml").read_text(encoding="utf-8")

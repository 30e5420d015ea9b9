"""The benchmark and drill scripts are not run by `make test` (they take minutes and want the
whole machine), but a refactor must not leave them broken: they import cleanly."""
import importlib

import pytest


@pytest.mark.parametrize("module", ["benchmarks.lexicon_bench", "benchmarks.nlu_bench", "benchmarks.load_bench",
                                    "benchmarks.faults", "benchmarks.traffic", "tests.eval.evaluate"])
def test_the_script_imports(module):
    importlib.import_module(module)

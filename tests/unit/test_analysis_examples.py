"""The examples in the analysis functions' docstrings run and give what they show."""

import doctest
import importlib
import pkgutil

import pytest

import graph.analysis

MODULES = [
    importlib.import_module(f"graph.analysis.{info.name}")
    for info in pkgutil.iter_modules(graph.analysis.__path__)
]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0

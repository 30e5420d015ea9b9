"""A fake Rasa for the channel tests: it greets with one intent button and one word button."""
import pytest

from tests.fakes import FakeRasa, greeting


@pytest.fixture
def rasa():
    with FakeRasa(greeting) as fake:
        yield fake

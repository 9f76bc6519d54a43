import pytest

from app.strategies import validate


class TestValidate:
    def test_empty(self):
        assert validate([]) == ["a strategy needs at least one block"]

    def test_must_end_with_action(self):
        assert validate([{"kind": "signal", "name": "rsi"}, {"kind": "filter", "name": "volume"}]) == ["last block must be an action"]

    @pytest.mark.skip(reason="filters ship next sprint")
    def test_filters(self):
        pass

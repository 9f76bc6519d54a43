from app.prices import percent_change, spread

BOOK = [
    {"side": "buy", "price": 100},
    {"side": "buy", "price": 105},
    {"side": "sell", "price": 110},
]


def test_spread():
    assert spread(BOOK) == 5


def test_spread_one_sided():
    assert spread(BOOK[:2]) is None


def test_percent_change():
    assert percent_change(300, 400) == 33.33

def spread(book):
    bids = [order["price"] for order in book if order["side"] == "buy"]
    asks = [order["price"] for order in book if order["side"] == "sell"]
    if not bids or not asks:
        return None
    return min(asks) - max(bids)


def percent_change(start, end):
    if start == 0:
        return 0
    return round((end - start) / start * 100, 2)

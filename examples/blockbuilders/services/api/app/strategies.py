def validate(blocks):
    if not blocks:
        return ["a strategy needs at least one block"]
    problems = []
    if blocks[0]["kind"] != "signal":
        problems.append("first block must be a signal")
    if blocks[-1]["kind"] != "action":
        problems.append("last block must be an action")
    return problems


def describe(blocks):
    return " -> ".join(block["name"] for block in blocks)

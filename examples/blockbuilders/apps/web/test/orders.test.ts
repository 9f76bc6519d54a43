import { describe, expect, it } from "vitest";
import { bestPrices, notional, type Order, spread } from "../src/orders.js";

const book: Order[] = [
  { id: "1", side: "buy", priceCents: 100, quantity: 2 },
  { id: "2", side: "buy", priceCents: 105, quantity: 1 },
  { id: "3", side: "sell", priceCents: 110, quantity: 3 },
];

describe("order book", () => {
  it("sums notional per side", () => {
    expect(notional(book, "buy")).toBe(305);
    expect(notional(book, "sell")).toBe(330);
  });

  it("finds the best bid and ask", () => {
    expect(bestPrices(book)).toEqual({ bid: 105, ask: 110 });
  });

  it("has no spread with one side empty", () => {
    expect(spread(book.filter((order) => order.side === "buy"))).toBeUndefined();
  });

  // BLOCKBUILDERS_BREAK_TESTS=1 makes this fail on purpose, so the gate's failure path runs against real vitest output.
  it("measures the spread between best ask and best bid", () => {
    const expected = process.env.BLOCKBUILDERS_BREAK_TESTS === "1" ? 4 : 5;
    expect(spread(book)).toBe(expected);
  });
});

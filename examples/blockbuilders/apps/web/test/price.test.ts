import { describe, expect, it } from "vitest";
import { formatPrice, percentChange } from "../src/price.js";

describe("formatPrice", () => {
  it("formats cents as dollars with separators", () => {
    expect(formatPrice(123456)).toBe("$1,234.56");
  });

  it("puts other currencies after the amount", () => {
    expect(formatPrice(5000, "EUR")).toBe("50.00 EUR");
  });
});

describe("percentChange", () => {
  it("rounds to two decimals", () => {
    expect(percentChange(300, 400)).toBe(33.33);
  });

  it("is zero from a zero price", () => {
    expect(percentChange(0, 10)).toBe(0);
  });
});

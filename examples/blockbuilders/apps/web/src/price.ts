/** Formats a price in cents for the order book, e.g. 123456 → "1,234.56". */
export function formatPrice(cents: number, currency = "USD"): string {
  const value = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(cents / 100);
  return currency === "USD" ? `$${value}` : `${value} ${currency}`;
}

/** Percentage change between two prices, rounded to two decimals. */
export function percentChange(from: number, to: number): number {
  if (from === 0) return 0;
  return Math.round(((to - from) / from) * 10_000) / 100;
}

export type Side = "buy" | "sell";

export interface Order {
  id: string;
  side: Side;
  priceCents: number;
  quantity: number;
}

/** Total notional value of the orders on one side, in cents. */
export function notional(orders: readonly Order[], side: Side): number {
  return orders.filter((order) => order.side === side).reduce((sum, order) => sum + order.priceCents * order.quantity, 0);
}

/** The best bid (highest buy) and best ask (lowest sell), or undefined when a side is empty. */
export function bestPrices(orders: readonly Order[]): { bid?: number; ask?: number } {
  const bids = orders.filter((order) => order.side === "buy").map((order) => order.priceCents);
  const asks = orders.filter((order) => order.side === "sell").map((order) => order.priceCents);
  return { bid: bids.length ? Math.max(...bids) : undefined, ask: asks.length ? Math.min(...asks) : undefined };
}

/** The spread in cents between best ask and best bid; undefined unless both sides have orders. */
export function spread(orders: readonly Order[]): number | undefined {
  const { bid, ask } = bestPrices(orders);
  return bid === undefined || ask === undefined ? undefined : ask - bid;
}

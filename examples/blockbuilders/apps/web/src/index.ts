export { bestPrices, notional, type Order, spread } from "./orders.js";
export { formatPrice, percentChange } from "./price.js";
export { type Block, validateStrategy } from "./strategy.js";

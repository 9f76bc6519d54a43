/** The manifest envelope: what every seed file must look like, whatever its rows hold. */
export const ENVELOPE_SCHEMA = {
  type: "object",
  required: ["table", "key", "rows"],
  additionalProperties: false,
  properties: {
    table: { type: "string", pattern: "^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$" },
    key: {
      anyOf: [
        { type: "string", pattern: "^[a-z_][a-z0-9_]*$" },
        { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[a-z_][a-z0-9_]*$" } },
      ],
    },
    version: { type: ["string", "integer"] },
    prune: { type: "boolean" },
    schema: { type: "string", minLength: 1 },
    environments: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^[\\w.-]{1,64}$" } },
    "requires-approval": { type: "boolean" },
    references: {
      type: "object",
      additionalProperties: { type: "string", pattern: "^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?\\.[a-z_][a-z0-9_]*$" },
    },
    rows: {
      type: "array",
      items: { type: "object", propertyNames: { pattern: "^[a-z_][a-z0-9_]*$" } },
    },
  },
} as const;

const slug = { type: "string", pattern: "^[a-z][a-z0-9_-]*$" };
const count = { type: "integer", minimum: 0 };
const optionalCount = { type: ["integer", "null"], minimum: 0 };
const localized = {
  type: "object",
  required: ["en"],
  minProperties: 1,
  propertyNames: { pattern: "^[a-z]{2}(-[A-Z]{2})?$" },
  additionalProperties: { type: "string", minLength: 1 },
};

interface BuiltInSchema {
  /** JSON Schema for one row. Secret references are checked as the string "<secret>". */
  row: Record<string, unknown>;
  /** Default cross-table references (column → table.column), on top of the manifest's own. */
  references: Record<string, string>;
  /** Columns that must come from a hashed secret, never a literal. */
  hashedSecrets: string[];
}

/** The schemas a manifest can name with `schema:`. */
export const BUILT_IN_SCHEMAS: Record<string, BuiltInSchema> = {
  plans: {
    row: {
      type: "object",
      required: ["code", "name", "price_cents", "currency"],
      additionalProperties: false,
      properties: {
        code: slug,
        name: { type: "string", minLength: 1 },
        price_cents: count,
        currency: { type: "string", pattern: "^[a-z]{3}$" },
        stripe_price_id: { anyOf: [{ type: "string", pattern: "^price_[A-Za-z0-9]+$" }, { type: "null" }] },
        max_strategies: optionalCount,
        max_backtests_per_day: optionalCount,
        max_live_bots: optionalCount,
        feature_flags: { type: "object", additionalProperties: { type: "boolean" } },
        sort_order: { type: "integer" },
      },
    },
    references: {},
    hashedSecrets: [],
  },
  "quota-policies": {
    row: {
      type: "object",
      required: ["plan_code", "resource", "period", "hard_limit"],
      additionalProperties: false,
      properties: {
        plan_code: slug,
        resource: { enum: ["backtests", "live_bots", "strategies", "api_calls", "exports"] },
        period: { enum: ["minute", "hour", "day", "month"] },
        hard_limit: count,
        soft_limit: optionalCount,
        burst: optionalCount,
      },
    },
    references: { plan_code: "plans.code" },
    hashedSecrets: [],
  },
  templates: {
    row: {
      type: "object",
      required: ["slug", "kind", "min_plan", "descriptions", "compliance"],
      additionalProperties: false,
      properties: {
        slug,
        kind: { enum: ["momentum", "mean_reversion", "dca"] },
        min_plan: slug,
        parameters: { type: "object" },
        descriptions: localized,
        compliance: {
          type: "object",
          required: ["risk_level", "disclaimer", "excluded_jurisdictions"],
          additionalProperties: false,
          properties: {
            risk_level: { enum: ["low", "medium", "high"] },
            disclaimer: { type: "string", minLength: 1 },
            excluded_jurisdictions: { type: "array", uniqueItems: true, items: { type: "string", pattern: "^[A-Z]{2}(-[A-Z0-9]{1,3})?$" } },
            reviewed_at: { type: "string", format: "date" },
          },
        },
        published: { type: "boolean" },
      },
    },
    references: { min_plan: "plans.code" },
    hashedSecrets: [],
  },
  "demo-users": {
    row: {
      type: "object",
      required: ["email", "display_name", "role", "password_hash"],
      additionalProperties: false,
      properties: {
        email: { type: "string", format: "email" },
        display_name: { type: "string", minLength: 1 },
        role: { enum: ["educator", "support", "admin"] },
        plan_code: slug,
        password_hash: { type: "string" },
      },
    },
    references: { plan_code: "plans.code" },
    hashedSecrets: ["password_hash"],
  },
};

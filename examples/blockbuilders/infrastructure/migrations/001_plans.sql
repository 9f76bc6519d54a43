-- Subscription plans and the quotas each plan grants.
CREATE TABLE plans (
  code text PRIMARY KEY,
  name text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents >= 0),
  currency char(3) NOT NULL,
  stripe_price_id text UNIQUE,
  max_strategies integer,
  max_backtests_per_day integer,
  max_live_bots integer,
  feature_flags jsonb NOT NULL DEFAULT '{}',
  sort_order integer NOT NULL DEFAULT 0
);

CREATE TABLE quota_policies (
  plan_code text NOT NULL REFERENCES plans (code),
  resource text NOT NULL,
  period text NOT NULL,
  hard_limit integer NOT NULL,
  soft_limit integer,
  burst integer NOT NULL DEFAULT 0,
  PRIMARY KEY (plan_code, resource)
);

-- Starter strategy templates shown to new users, and the accounts behind the app.
CREATE TABLE strategy_templates (
  slug text PRIMARY KEY,
  kind text NOT NULL,
  min_plan text NOT NULL REFERENCES plans (code),
  parameters jsonb NOT NULL DEFAULT '{}',
  descriptions jsonb NOT NULL,
  compliance jsonb NOT NULL,
  published boolean NOT NULL DEFAULT false
);

CREATE TABLE users (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL DEFAULT 'trader',
  plan_code text REFERENCES plans (code),
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now()
);

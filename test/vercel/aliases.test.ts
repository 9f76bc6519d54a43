import { describe, expect, it } from "vitest";
import { ConfigurationError } from "../../src/lib/errors.js";
import { silentLogger } from "../../src/lib/logger.js";
import { renderAliases, slugifyBranch } from "../../src/vercel/aliases.js";

const lines = (...templates: string[]) => templates.map((template, index) => ({ line: index + 1, template }));

describe("alias templates", () => {
  it("slugifies branch names into one DNS-safe label of at most 48 characters", () => {
    expect(slugifyBranch("feature/Login-Page_v2")).toBe("feature-login-page-v2");
    expect(slugifyBranch("refs/heads/--Release/2026.11--")).toBe("release-2026-11");
    expect(slugifyBranch(`feat/${"x".repeat(80)}`)).toHaveLength(48);
    expect(slugifyBranch(`feat/${"a".repeat(42)}/b`)).not.toMatch(/-$/);
  });

  it("fills {{branch}}, {{pr}} and the short {{sha}}, dropping duplicates and a scheme", () => {
    const rendered = renderAliases(
      lines("{{ branch }}.dev.example.com", "https://pr-{{pr}}.dev.example.com", "{{sha}}.dev.example.com", "pr-{{pr}}.dev.example.com"),
      { branch: "main", pr: 12, sha: "abcdef0123456789" },
      silentLogger,
    );
    expect(rendered).toEqual(["main.dev.example.com", "pr-12.dev.example.com", "abcdef0.dev.example.com"]);
  });

  it("names the line of an alias that does not render to a hostname", () => {
    const render = () =>
      renderAliases(lines("ok.example.com", "{{branch}}..example.com"), { branch: "main", sha: "abc1234" }, silentLogger);
    expect(render).toThrow(ConfigurationError);
    expect(render).toThrow(
      /^Input 'alias' line 2: '\{\{branch\}\}\.\.example\.com' renders to 'main\.\.example\.com', which is not a hostname/,
    );
  });
});

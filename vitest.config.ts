import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const WORKFLOW_PARSER = "/node_modules/@actions/workflow-parser/dist/";

export default defineConfig({
  plugins: [
    {
      // @actions/workflow-parser ships source maps without their sources: load its files without them (no warnings).
      name: "workflow-parser-without-source-maps",
      enforce: "pre",
      load(id) {
        if (!id.includes(WORKFLOW_PARSER) || !id.endsWith(".js")) return undefined;
        return readFileSync(id, "utf8").replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
      },
    },
  ],
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    // @actions/workflow-parser imports its JSON schema without `with { type: "json" }`; Vite's transform handles it.
    server: { deps: { inline: ["@actions/workflow-parser"] } },
  },
});

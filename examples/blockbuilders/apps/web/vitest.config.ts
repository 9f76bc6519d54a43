// The example app's own config: the repo root config only includes test/**. A plain object (no import of
// vitest/config) so a copy of the example outside this repo still loads it.
export default {
  root: import.meta.dirname,
  test: {
    include: ["test/**/*.test.ts"],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["json-summary", "lcov"],
      reportsDirectory: "coverage",
      reportOnFailure: true,
    },
  },
};

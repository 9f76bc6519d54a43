import { Command } from "commander";
import { expect, it } from "vitest";
import { registerEcs } from "../../src/ecs/cli.js";
import { ECS_INPUTS, ECS_OUTPUTS } from "../../src/ecs/settings.js";
import { readActionMetadata } from "../harness/run-bundle.js";

it("declares exactly the inputs and outputs the ecs-blue-green entry reads and writes, with a post backstop", () => {
  const metadata = readActionMetadata("ecs-blue-green");
  expect(Object.keys(metadata.inputs ?? {}).sort()).toEqual(Object.values(ECS_INPUTS).sort());
  expect(Object.keys(metadata.outputs ?? {}).sort()).toEqual(Object.values(ECS_OUTPUTS).sort());
  expect(metadata.runs).toMatchObject({ post: "../../dist/ecs-blue-green/post/index.js", "post-if": "always()" });
  expect(metadata.inputs?.["poll-interval"]?.description).toMatch(/^For tests and tuning/);
});

it("names every CLI flag like the action input it feeds", () => {
  const program = new Command();
  registerEcs(program);
  const flags = program.commands[0].options.map((option) => option.long?.replace(/^--/, ""));
  expect(flags.filter((flag) => flag !== "summary").sort()).toEqual(Object.values(ECS_INPUTS).sort());
});

import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { stringify } from "yaml";
import { Inputs, mapInputSource } from "../lib/inputs.js";
import type { PreflightStep } from "../lib/preflight.js";
import { appSpecRevision, generateAppSpec, loadAppSpec } from "./appspec.js";
import { lineDiff } from "./diff.js";
import { parseImage } from "./image.js";
import { ECS_INPUTS } from "./input-names.js";
import { containerPortOf, loadTaskDefinitionFile, READ_ONLY_FIELDS, renderTaskDefinition } from "./task-definition.js";

/**
 * What the step would register and send, without credentials: its task definition rendered with its `image` and
 * `environment`, as a diff of what changes, and the AppSpec CreateDeployment would carry. An image that evaluates
 * to empty locally (a job output of an image build) is stood in for by the file's image tagged `preflight`.
 */
export const ecsPreflight: PreflightStep = {
  action: "ecs-blue-green",
  async run({ root, with: values }) {
    const inputs = new Inputs(mapInputSource(values));
    const file = resolve(root, inputs.required(ECS_INPUTS.taskDefinition));
    const shown = relative(root, file);
    const container = inputs.required(ECS_INPUTS.containerName);
    const original = loadTaskDefinitionFile(file, container, root);
    const current = original.containerDefinitions.find((item) => item.name === container)?.image ?? "";
    const given = inputs.optional(ECS_INPUTS.image);
    const image = given || `${parseImage(current)?.name ?? current.split(":")[0]}:preflight`;
    const rendered = renderTaskDefinition(original, {
      containerName: container,
      image,
      environment: inputs.keyValues(ECS_INPUTS.environment),
    });
    // The diff shows what the deploy changes; the read-only fields it strips are listed once instead.
    const stripped = renderTaskDefinition(original, { containerName: container, environment: new Map() });
    const removed = READ_ONLY_FIELDS.filter((field) => field in original);
    const appSpecPath = inputs.optional(ECS_INPUTS.appspec);
    const input = {
      taskDefinitionArn: `${original.family}:<next revision>`,
      containerName: container,
      containerPort: containerPortOf(rendered, container),
      hooks: [],
      service: {},
    };
    const appSpecFile = appSpecPath ? resolve(root, appSpecPath) : undefined;
    const appSpec = appSpecFile && existsSync(appSpecFile) ? loadAppSpec(appSpecFile, input, root) : generateAppSpec(input);
    const revision = appSpecRevision(appSpec);
    const markdown = [
      `Rendered \`${shown}\` with image \`${image}\`${given ? "" : " (the `image` input is empty locally)"}; read-only fields stripped: ${removed.map((key) => `\`${key}\``).join(", ") || "none"}.\n`,
      `\`\`\`diff\n${lineDiff(JSON.stringify(stripped, null, 2), JSON.stringify(rendered, null, 2))}\n\`\`\`\n`,
      `AppSpec (${appSpecFile && existsSync(appSpecFile) ? relative(root, appSpecFile) : "generated"}, sha256 \`${revision.appSpecContent.sha256.slice(0, 12)}…\`):\n`,
      `\`\`\`yaml\n${stringify(appSpec).trimEnd()}\n\`\`\`\n`,
    ].join("\n");
    return {
      ok: true,
      headline: `${original.family}: image → ${image}, ${removed.length} read-only fields stripped; nothing sent`,
      markdown,
    };
  },
};

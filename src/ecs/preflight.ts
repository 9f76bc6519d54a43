import { existsSync } from "node:fs";
import { join } from "node:path";
import type { PreflightStep } from "../cli/preflight.js";
import { appSpecRevision, generateAppSpec, loadAppSpec } from "./appspec.js";
import { lineDiff } from "./diff.js";
import { parseImage } from "./image.js";
import { containerPortOf, loadTaskDefinitionFile, renderTaskDefinition } from "./task-definition.js";

const TASK_DEFINITION = "infrastructure/ecs/task-definition.json";
const APPSPEC = "infrastructure/ecs/appspec.yaml";
const CONTAINER = "api";

/**
 * What the deploy would register and send, without credentials: the example task definition rendered with a new
 * image (read-only fields stripped), as a diff against the file, and the AppSpec CreateDeployment would carry.
 */
export const ecsPreflight: PreflightStep = {
  name: "ecs-blue-green",
  async run({ root }) {
    const file = join(root, TASK_DEFINITION);
    if (!existsSync(file)) return { ok: false, headline: `no task definition at ${TASK_DEFINITION}`, markdown: "Nothing to render.\n" };
    const original = loadTaskDefinitionFile(file, CONTAINER, root);
    const current = original.containerDefinitions.find((container) => container.name === CONTAINER)?.image ?? "";
    const reference = parseImage(current);
    const image = `${reference?.name ?? current.split(":")[0]}:preflight`;
    const rendered = renderTaskDefinition(original, {
      containerName: CONTAINER,
      image,
      environment: new Map([["LAUNCHPAD_RELEASE", "preflight"]]),
    });
    const diff = lineDiff(JSON.stringify(original, null, 2), JSON.stringify(rendered, null, 2));
    const input = {
      taskDefinitionArn: `${original.family}:<next revision>`,
      containerName: CONTAINER,
      containerPort: containerPortOf(rendered, CONTAINER),
      hooks: [],
      service: {},
    };
    const appSpec = existsSync(join(root, APPSPEC)) ? loadAppSpec(join(root, APPSPEC), input, root) : generateAppSpec(input);
    const revision = appSpecRevision(appSpec);
    const removed = Object.keys(original).filter((key) => !(key in rendered));
    const markdown = [
      `Rendered \`${TASK_DEFINITION}\` with image \`${image}\`; read-only fields stripped: ${removed.map((key) => `\`${key}\``).join(", ") || "none"}.\n`,
      `\`\`\`diff\n${diff}\n\`\`\`\n`,
      `AppSpec (${existsSync(join(root, APPSPEC)) ? APPSPEC : "generated"}, sha256 \`${revision.appSpecContent.sha256.slice(0, 12)}…\`):\n`,
      `\`\`\`json\n${JSON.stringify(appSpec, null, 2)}\n\`\`\`\n`,
    ].join("\n");
    return { ok: true, headline: `${original.family}: image → ${image}, ${removed.length} read-only fields stripped`, markdown };
  },
};

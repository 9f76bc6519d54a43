import { runEcs, withEcsClients } from "../ecs/run.js";
import { ECS_SECRET_ENV, readEcsSettings } from "../ecs/settings.js";
import { runAction } from "../lib/run-action.js";
import { workspacePaths } from "../lib/workspace-path.js";

await runAction(
  async (run) => {
    const workspace = run.context.workspace;
    const settings = readEcsSettings(run.inputs, workspacePaths(workspace), run.secrets);
    const outcome = await withEcsClients(settings, (clients) =>
      runEcs(settings, { clients, logger: run.logger, signal: run.signal, root: workspace, saveState: run.saveState }),
    );
    for (const [name, value] of Object.entries(outcome.outputs)) run.setOutput(name, value);
    await run.writeSummary(outcome.summary);
    if (!outcome.ok) throw outcome.error;
  },
  { secretEnv: ECS_SECRET_ENV },
);

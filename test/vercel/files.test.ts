import { mkdirSync, symlinkSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ClientFiles, createVercelClient } from "../../src/vercel/client.js";
import { hashFiles } from "../../src/vercel/files.js";
import { VercelFake } from "../fakes/vercel.js";
import { clientRequestFor, makeWorkspace, missingContents, removeWorkspace } from "./support.js";

/** The map as comparable data: sha → sorted names, content, mode, size. */
function shape(files: ClientFiles) {
  return [...(files as Map<string | undefined, { names: string[]; data?: Buffer; mode?: number; size?: number }>)]
    .map(([sha, file]) => ({ sha, names: [...file.names].sort(), data: file.data?.toString("base64"), mode: file.mode, size: file.size }))
    .sort((a, b) => String(a.sha).localeCompare(String(b.sha)));
}

describe("hashing the files ourselves", () => {
  let fake: VercelFake;
  let workspace: string;

  beforeEach(async () => {
    fake = await new VercelFake().start();
    workspace = makeWorkspace({ "static/a.js": "same", "static/copy/a.js": "same", "static/b.css": "b{}" });
    mkdirSync(`${workspace}/.vercel/output/static/empty`);
    symlinkSync("a.js", `${workspace}/.vercel/output/static/link.js`);
  });

  afterEach(async () => {
    await fake.stop();
    removeWorkspace(workspace);
  });

  it("builds the same files map as @vercel/client's own hashing: duplicates together, symlinks by target, directories under no sha", async () => {
    const client = createVercelClient({});
    const request = clientRequestFor(fake, workspace);
    const missing = await missingContents(client, request);
    const ours = await hashFiles(await client.listFiles(request), { concurrency: 2 });
    expect(shape(ours)).toEqual(shape(missing.files));
    expect(
      shape(ours)
        .find((file) => file.names.length === 2)
        ?.names.map((name) => name.slice(workspace.length)),
    ).toEqual(["/.vercel/output/static/a.js", "/.vercel/output/static/copy/a.js"]);
  });

  it("hands every file on once, in the order of the list, whatever order the reads finish in", async () => {
    const client = createVercelClient({});
    const paths = await client.listFiles({ path: workspace, prebuilt: true, outputDir: `${workspace}/.vercel/output` });
    const seen: string[] = [];
    await hashFiles(paths, { concurrency: 4, onRead: (file) => seen.push(file.path) });
    expect(seen).toEqual(paths);
  });
});

import { afterEach, beforeEach } from "vitest";
import { GitHubFake } from "../fakes/github.js";
import { RepositoryModel, serveRepository } from "../fakes/github-graphql.js";

/** A started GitHub fake serving a fresh blockbuilders/platform model in each test, stopped after it. */
export function fakeRepository(): { readonly github: GitHubFake; readonly model: RepositoryModel } {
  const world = {} as { github: GitHubFake; model: RepositoryModel };
  beforeEach(async () => {
    world.github = await new GitHubFake().start();
    world.model = new RepositoryModel("blockbuilders", "platform");
    serveRepository(world.github, world.model);
  });
  afterEach(async () => {
    await world.github.stop();
  });
  return world;
}

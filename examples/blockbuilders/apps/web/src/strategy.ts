/** A trading strategy as the block builder stores it: named blocks wired in order. */
export interface Block {
  kind: "signal" | "filter" | "action";
  name: string;
}

/** A strategy is valid when it starts with a signal and ends with an action. */
export function validateStrategy(blocks: readonly Block[]): string[] {
  const problems: string[] = [];
  if (blocks.length === 0) return ["a strategy needs at least one block"];
  if (blocks[0].kind !== "signal") problems.push(`first block "${blocks[0].name}" must be a signal`);
  if (blocks[blocks.length - 1].kind !== "action") problems.push(`last block "${blocks[blocks.length - 1].name}" must be an action`);
  return problems;
}

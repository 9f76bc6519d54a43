/** A mistake in what the user gave us: shown as one line, never with a stack. */
export class ConfigurationError extends Error {
  override name = "ConfigurationError";
}

/** A remote service refused or failed; the message is built from the service's own error fields. */
export class RemoteError extends Error {
  override name = "RemoteError";
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The job was cancelled or a deadline passed; cleanup has already run when this is thrown. */
export class CancelledError extends Error {
  override name = "CancelledError";
}

/** The step did its work and the verdict is "fail" (checks failed, a gate was missed): an outcome, not a bug. */
export class StepFailedError extends Error {
  override name = "StepFailedError";
}

export function isUserFacing(error: unknown): error is ConfigurationError | RemoteError | CancelledError | StepFailedError {
  return (
    error instanceof ConfigurationError ||
    error instanceof RemoteError ||
    error instanceof CancelledError ||
    error instanceof StepFailedError
  );
}

/** One readable line for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message.split("\n")[0] || error.name;
  return String(error);
}

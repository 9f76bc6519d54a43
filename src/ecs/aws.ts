import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { CancelledError, RemoteError } from "../lib/errors.js";

/** The three SDK clients a deployment talks to; the entry and CLI build them from the default credential chain. */
export interface EcsClients {
  ecs: ECSClient;
  codedeploy: CodeDeployClient;
  ecr: ECRClient;
}

/** Attempts per call, the first included: the SDK's retry covers throttling and 5xx with its own backoff. */
export const SDK_MAX_ATTEMPTS = 6;

/**
 * Clients from the standard chain (OIDC via configure-aws-credentials in workflows). No explicit endpoint, so
 * AWS_ENDPOINT_URL_ECS/_CODEDEPLOY/_ECR reach the SDK; ECR gets the image's own region when that differs.
 */
export function createEcsClients(options: { region?: string; ecrRegion?: string } = {}): EcsClients {
  const common = { region: options.region, maxAttempts: SDK_MAX_ATTEMPTS, retryMode: "standard" as const };
  return {
    ecs: new ECSClient(common),
    codedeploy: new CodeDeployClient(common),
    ecr: new ECRClient({ ...common, region: options.ecrRegion ?? options.region }),
  };
}

export function destroyClients(clients: EcsClients): void {
  clients.ecs.destroy();
  clients.codedeploy.destroy();
  clients.ecr.destroy();
}

interface Sendable {
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** A command's output type, read off its middleware handler; `any` if the SDK's types ever hide it. */
type OutputOf<C> = C extends { resolveMiddleware(...args: any[]): (...args: any[]) => Promise<{ output: infer O }> } ? O : any;

/**
 * Sends one command and turns an AWS failure into a RemoteError whose message is the service's own
 * error name and text: "ECS DescribeServices failed: ClusterNotFoundException: Cluster not found."
 */
export async function call<C>(client: Sendable, command: C, signal?: AbortSignal): Promise<OutputOf<C>> {
  signal?.throwIfAborted();
  try {
    return (await client.send(command, signal ? { abortSignal: signal } : undefined)) as OutputOf<C>;
  } catch (error) {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new CancelledError("Cancelled.");
    throw toRemoteError(serviceOf(client), command, error);
  }
}

export function awsErrorCode(error: unknown): string | undefined {
  if (error instanceof RemoteError) return error.code;
  return (error as { name?: string })?.name;
}

function toRemoteError(service: string, command: any, error: unknown): RemoteError {
  const operation = String(command?.constructor?.name ?? "request").replace(/Command$/, "");
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e?.name && e.name !== "Error" ? e.name : undefined;
  const message = (e?.message ?? String(error)).split("\n")[0];
  const text = code && !message.startsWith(code) ? `${code}: ${message}` : message;
  const hint = SETUP_HINTS.find(([pattern]) => pattern.test(message))?.[1] ?? "";
  return new RemoteError(`${service} ${operation} failed: ${text}${hint}`, e?.$metadata?.httpStatusCode, code);
}

/** The SDK's own words for a runner without AWS setup, and what fixes it. */
const SETUP_HINTS: Array<[RegExp, string]> = [
  [/Region is missing/i, " (set AWS_REGION, e.g. with aws-actions/configure-aws-credentials' aws-region)"],
  [/Could not load credentials/i, " (run aws-actions/configure-aws-credentials first; it needs `permissions: id-token: write` for OIDC)"],
];

function serviceOf(client: unknown): string {
  if (client instanceof CodeDeployClient) return "CodeDeploy";
  if (client instanceof ECRClient) return "ECR";
  return "ECS";
}

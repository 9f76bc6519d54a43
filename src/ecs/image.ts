import {
  DescribeImageScanFindingsCommand,
  type DescribeImageScanFindingsCommandOutput,
  DescribeImagesCommand,
  type ECRClient,
} from "@aws-sdk/client-ecr";
import { ConfigurationError, RemoteError } from "../lib/errors.js";
import { inputLabel, quoteValue } from "../lib/inputs.js";
import type { Logger } from "../lib/logger.js";
import { awsErrorCode, call } from "./aws.js";
import { ECS_INPUTS } from "./input-names.js";

export interface ImageReference {
  /** Everything before the tag or digest. */
  name: string;
  repository: string;
  tag?: string;
  digest?: string;
  /** Set when the registry is an ECR registry. */
  ecr?: { registryId: string; region: string };
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** Splits `host/repo:tag` or `host/repo@sha256:…`; undefined when it has neither a valid tag nor a digest. */
export function parseImage(uri: string): ImageReference | undefined {
  const [withTag, digest, extra] = uri.split("@");
  if (extra !== undefined || (digest !== undefined && !DIGEST.test(digest))) return undefined;
  const slash = withTag.lastIndexOf("/");
  const colon = withTag.lastIndexOf(":");
  const tag = colon > slash ? withTag.slice(colon + 1) : undefined;
  const name = tag === undefined ? withTag : withTag.slice(0, colon);
  if ((tag === undefined && digest === undefined) || (tag !== undefined && !TAG.test(tag)) || !name || /\s/.test(name)) return undefined;
  const [host, ...path] = name.split("/");
  const ecr = ECR_HOST.exec(host);
  return {
    name,
    repository: ecr ? path.join("/") : name,
    tag,
    digest,
    ecr: ecr ? { registryId: ecr[1], region: ecr[2] } : undefined,
  };
}

export interface ImageCheck {
  /** The image as deployed: pinned to the digest ECR reported. */
  pinned: string;
  digest: string;
  findings?: Record<string, number>;
}

/**
 * Proves the image exists in ECR, pins its digest, and gates on the scan's critical findings
 * (`maxCritical` < 0 turns the gate off).
 */
export async function checkImage(
  ecr: ECRClient,
  uri: string,
  maxCritical: number,
  deps: { logger: Logger; signal?: AbortSignal },
): Promise<ImageCheck> {
  const image = parseImage(uri);
  if (!image?.ecr) {
    throw new ConfigurationError(
      `${inputLabel(ECS_INPUTS.image)} (${quoteValue(uri)}) is not an ECR image URI, so it cannot be verified; use an ECR URI or set '${ECS_INPUTS.verifyImage}' to false.`,
    );
  }
  const imageId = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag };
  const target = { registryId: image.ecr.registryId, repositoryName: image.repository };
  let digest: string | undefined;
  try {
    const described = await call(ecr, new DescribeImagesCommand({ ...target, imageIds: [imageId] }), deps.signal);
    digest = described.imageDetails?.[0]?.imageDigest;
  } catch (error) {
    const code = awsErrorCode(error);
    const where = `${image.repository} in ECR registry ${image.ecr.registryId} (${image.ecr.region})`;
    if (code === "ImageNotFoundException")
      throw new RemoteError(
        `Image ${image.tag ? `tag '${image.tag}'` : image.digest} does not exist in ${where}; push it before deploying.`,
        400,
        code,
      );
    if (code === "RepositoryNotFoundException") throw new RemoteError(`Repository ${where} does not exist.`, 400, code);
    throw error;
  }
  if (!digest) throw new RemoteError(`ECR DescribeImages returned no digest for ${uri}.`);
  deps.logger.info(`Image ${uri} → ${digest}`);
  const findings =
    maxCritical < 0 ? undefined : await gateFindings(ecr, { ...target, imageId: { imageDigest: digest } }, uri, maxCritical, deps);
  return { pinned: `${image.name}@${digest}`, digest, findings };
}

async function gateFindings(
  ecr: ECRClient,
  target: { registryId: string; repositoryName: string; imageId: { imageDigest: string } },
  uri: string,
  maxCritical: number,
  deps: { logger: Logger; signal?: AbortSignal },
): Promise<Record<string, number> | undefined> {
  let scan: DescribeImageScanFindingsCommandOutput;
  try {
    scan = await call(ecr, new DescribeImageScanFindingsCommand({ ...target, maxResults: 20 }), deps.signal);
  } catch (error) {
    if (awsErrorCode(error) !== "ScanNotFoundException") throw error;
    deps.logger.warning(`ECR has no scan for ${uri}; the findings gate (max-critical-findings) could not be applied.`);
    return undefined;
  }
  const status = scan.imageScanStatus?.status;
  if (status && status !== "COMPLETE") {
    deps.logger.warning(
      `The ECR scan of ${uri} is ${status}${scan.imageScanStatus?.description ? ` (${scan.imageScanStatus.description})` : ""}; findings not gated.`,
    );
    return undefined;
  }
  const counts: Record<string, number> = scan.imageScanFindings?.findingSeverityCounts ?? {};
  const critical = counts.CRITICAL ?? 0;
  const summary = Object.entries(counts)
    .map(([severity, count]) => `${count} ${severity.toLowerCase()}`)
    .join(", ");
  deps.logger.info(`Scan findings: ${summary || "none"}`);
  if (critical > maxCritical) {
    const names = (scan.imageScanFindings?.findings ?? [])
      .filter((finding: { severity?: string }) => finding.severity === "CRITICAL")
      .slice(0, 5)
      .map((finding: { name?: string }) => finding.name);
    throw new RemoteError(
      `Image ${uri} has ${critical} critical scan finding(s) (${names.join(", ")}${critical > names.length ? ", …" : ""}), over max-critical-findings=${maxCritical}.`,
    );
  }
  return counts;
}

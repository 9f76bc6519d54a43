import { ConfigurationError } from "../lib/errors.js";
import { type Inputs, inputLabel, quoteValue } from "../lib/inputs.js";
import type { Secrets } from "../lib/secrets.js";

export interface CheckedUrl {
  /** As given, credentials included: what requests use. */
  url: string;
  /** What reports and messages show: without credentials. */
  shownUrl: string;
}

/**
 * Reads an http(s) URL input. Credentials in it (`https://user:password@host`, or a token as the user name) are
 * registered with `secrets` before anything can print them; `shownUrl` leaves them out. Undefined when empty.
 */
export function readHttpUrl(inputs: Inputs, name: string, secrets: Secrets | undefined, what: string): CheckedUrl | undefined {
  const url = inputs.raw(name);
  if (!url) return undefined;
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (parsed) registerCredentials(parsed, secrets);
  if (!parsed || !/^https?:$/.test(parsed.protocol) || !parsed.hostname) {
    // An unparsable URL may still carry credentials that could not be registered: then it is not echoed.
    const shown = url.includes("@") ? "a value with '@' in it" : quoteValue(url);
    throw new ConfigurationError(`${inputLabel(name)} got ${shown}; expected an http:// or https:// URL${what}.`);
  }
  return { url, shownUrl: parsed.username || parsed.password ? withoutCredentials(parsed) : url };
}

/** The password (or, for `https://TOKEN@host`, the user name alone, which is then the token) becomes a secret. */
function registerCredentials(url: URL, secrets: Secrets | undefined): void {
  const secret = url.password ? [url.password, `${url.username}:${url.password}`] : [url.username];
  for (const value of secret) {
    secrets?.add(value);
    secrets?.add(decoded(value));
  }
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function withoutCredentials(url: URL): string {
  const shown = new URL(url.href);
  shown.username = "";
  shown.password = "";
  return shown.href;
}

/**
 * Values that must never be shown. The action registers each with the runner (setSecret) as soon as it is read;
 * `redact` is the same guarantee for places the runner does not mask: the CLI, files we write, error messages.
 */
export class Secrets {
  private readonly values = new Set<string>();
  private readonly listeners: Array<(value: string) => void> = [];

  onAdd(listener: (value: string) => void): void {
    this.listeners.push(listener);
    for (const value of this.values) listener(value);
  }

  add(value: string | undefined): void {
    if (!value || value.length < 4 || this.values.has(value)) return;
    for (const variant of secretVariants(value)) {
      if (this.values.has(variant)) continue;
      this.values.add(variant);
      for (const listener of this.listeners) listener(variant);
    }
  }

  redact(text: string): string {
    let result = text;
    for (const value of [...this.values].sort((a, b) => b.length - a.length)) result = result.split(value).join("***");
    return result;
  }

  has(text: string): boolean {
    return [...this.values].some((value) => text.includes(value));
  }
}

/** A secret may leak encoded: as a URL component, or as the password part of a connection string. */
function secretVariants(value: string): string[] {
  const variants = new Set([value, encodeURIComponent(value)]);
  const password = urlPassword(value);
  if (password && password.length >= 4) {
    variants.add(password);
    variants.add(decodeURIComponent(password));
  }
  return [...variants];
}

function urlPassword(value: string): string | undefined {
  try {
    return new URL(value).password || undefined;
  } catch {
    return undefined;
  }
}

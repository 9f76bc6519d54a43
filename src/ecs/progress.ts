import { formatDuration } from "../lib/duration.js";
import type { Logger } from "../lib/logger.js";

export interface TimelineEntry {
  /** Milliseconds since the deployment was created. */
  atMs: number;
  status: string;
  traffic?: string;
  event?: string;
  note?: string;
}

export interface TargetView {
  blue?: number;
  green?: number;
  /** lifecycle event name → status */
  events: Array<{ name: string; status: string }>;
}

/** Logs a deployment's status, lifecycle events and traffic weights only when they change, and keeps the timeline. */
export class Progress {
  readonly timeline: TimelineEntry[] = [];
  private status = "";
  private traffic = "";
  private readonly events = new Map<string, string>();

  constructor(
    private readonly label: string,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly startedAt = now(),
  ) {}

  private elapsed(): number {
    return this.now() - this.startedAt;
  }

  /** One poll's view: logs what changed and adds one timeline row when anything did. */
  observe(status: string, view?: TargetView, detail?: string): void {
    const changes: string[] = [];
    const statusChanged = status !== this.status;
    if (statusChanged) {
      this.status = status;
      this.logger.info(`${this.label}: ${status}${detail ? ` (${detail})` : ""} after ${formatDuration(this.elapsed())}`);
    }
    for (const event of view?.events ?? []) {
      if (this.events.get(event.name) === event.status) continue;
      const first = !this.events.has(event.name);
      this.events.set(event.name, event.status);
      if (first && event.status === "Pending") continue;
      changes.push(`${event.name} ${event.status}`);
      this.logger.info(`  lifecycle ${event.name}: ${event.status}`);
    }
    const traffic = view?.green === undefined ? "" : `blue ${view.blue ?? 100 - view.green}% / green ${view.green}%`;
    const trafficChanged = Boolean(traffic) && traffic !== this.traffic;
    if (trafficChanged) {
      this.traffic = traffic;
      this.logger.info(`  traffic: ${traffic}`);
    }
    if (statusChanged || trafficChanged || changes.length) {
      this.timeline.push({
        atMs: this.elapsed(),
        status,
        traffic: this.traffic || undefined,
        event: changes.join(", ") || undefined,
        note: detail,
      });
    }
  }

  note(note: string): void {
    this.logger.info(`${this.label}: ${note}`);
    this.timeline.push({ atMs: this.elapsed(), status: this.status, traffic: this.traffic || undefined, note });
  }
}

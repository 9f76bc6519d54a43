import { HttpFake, type RecordedRequest } from "../fakes/http-fake.js";

/**
 * Datadog's metrics intake, `POST /api/v2/series`, as far as the seed gauge uses it: the `DD-API-KEY` header is
 * checked (403 `{"errors":["Forbidden"]}`), the payload must be JSON with a `series` array whose points carry epoch
 * seconds no more than 10 minutes ahead and no more than an hour old (400 otherwise), and success is 202 `{"errors":[]}`.
 */
export class DatadogFake extends HttpFake {
  readonly apiKey = "dd-planted-api-key-5Fq9";
  /** The series of every accepted submission. */
  readonly accepted: Array<{ metric: string; type: number; points: Array<{ timestamp: number; value: number }>; tags: string[] }> = [];

  constructor() {
    super();
    this.route("POST", "/api/v2/series", (request) => this.series(request));
  }

  private series(request: RecordedRequest) {
    if (request.headers["dd-api-key"] !== this.apiKey) return { status: 403, body: { errors: ["Forbidden"] } };
    if (!/^application\/json/.test(String(request.headers["content-type"] ?? "")) || !Array.isArray(request.json?.series))
      return { status: 400, body: { errors: ["Payload is not in the expected format"] } };
    const now = Date.now() / 1000;
    for (const series of request.json.series) {
      if (typeof series.metric !== "string" || ![0, 1, 2, 3].includes(series.type) || !Array.isArray(series.points))
        return { status: 400, body: { errors: ["Invalid series: metric, type and points are required"] } };
      for (const point of series.points) {
        if (!Number.isInteger(point.timestamp) || point.timestamp > now + 600 || point.timestamp < now - 3600)
          return { status: 400, body: { errors: [`Point timestamp ${point.timestamp} is outside the accepted window`] } };
      }
    }
    this.accepted.push(...request.json.series);
    return { status: 202, body: { errors: [] } };
  }
}

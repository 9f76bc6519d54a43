// GET /api/status: a tiny serverless function so the example's Build Output has one.
export default function handler() {
  return new Response(JSON.stringify({ status: "ok", service: "blockbuilders-web" }), {
    headers: { "content-type": "application/json" },
  });
}

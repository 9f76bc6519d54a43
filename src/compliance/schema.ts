const strings = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 };
const globs = strings;
const team = { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*$" };
const login = { type: "string", pattern: "^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(\\[bot\\])?$" };

/** The JSON Schema of `.github/compliance.yml`. */
export const COMPLIANCE_SCHEMA = {
  type: "object",
  additionalProperties: false,
  properties: {
    checklist: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        properties: {
          text: { type: "string", minLength: 1 },
          pattern: { type: "string", minLength: 1 },
          when: {
            type: "object",
            additionalProperties: false,
            required: ["paths"],
            properties: { paths: globs },
          },
        },
        oneOf: [{ required: ["text"] }, { required: ["pattern"] }],
      },
    },
    sections: {
      type: "array",
      items: {
        anyOf: [
          { type: "string", minLength: 1 },
          {
            type: "object",
            additionalProperties: false,
            required: ["heading"],
            properties: { heading: { type: "string", minLength: 1 }, "allow-na": { type: "boolean" } },
          },
        ],
      },
    },
    disclosures: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["files"],
        properties: { files: globs, require: strings, forbid: strings },
        anyOf: [{ required: ["require"] }, { required: ["forbid"] }],
      },
    },
    reviewers: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["paths"],
        properties: {
          paths: globs,
          teams: { type: "array", items: team },
          users: { type: "array", items: login },
          min: { type: "integer", minimum: 1 },
        },
        anyOf: [{ required: ["teams"] }, { required: ["users"] }],
      },
    },
    "waive-label": { type: "string", minLength: 1 },
    waivers: {
      type: "object",
      additionalProperties: false,
      properties: { users: { type: "array", items: login }, teams: { type: "array", items: team } },
    },
  },
} as const;

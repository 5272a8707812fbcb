// Validates HTTP responses against tests/mock/billing-openapi.json (OpenAPI 3.0) with ajv.
//
//   const v = createValidator();
//   v.validateResponse({ method: 'GET', path: '/api/v2/organizations/me', status, headers, body })
//     -> [] when the response conforms, else a list of readable errors.
//   v.validateSchema('TrusteeBillingOverview', value) -> errors against one component schema.
//
// OpenAPI 3.0 specifics: `$ref`s point into the spec's components (compiled as one ajv document),
// `nullable` is handled by ajv itself, formats date-time/date/int32/int64 are checked and any
// other format in the spec is accepted as is. With `closed: true` (the default) object schemas
// that do not say otherwise reject undeclared properties, so a mock cannot invent fields.

import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

const SPEC_ID = 'billing-openapi.json';

export function loadSpec() {
  return JSON.parse(readFileSync(new URL('./billing-openapi.json', import.meta.url), 'utf8'));
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const FORMATS = {
  'date-time': { type: 'string', validate: (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s)) },
  date: { type: 'string', validate: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) },
  int32: { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
  int64: { type: 'number', validate: (n) => Number.isInteger(n) },
};

// '#/components/...' -> 'billing-openapi.json#/components/...', so that any sub-schema compiles
// on its own.
function absoluteRefs(node) {
  if (Array.isArray(node)) return node.map(absoluteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) =>
    [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `${SPEC_ID}${value}` : absoluteRefs(value)]));
}

function closeObjects(schema) {
  if (schema === null || typeof schema !== 'object') return;
  if (schema.properties && schema.additionalProperties === undefined) schema.additionalProperties = false;
  for (const sub of Object.values(schema.properties ?? {})) closeObjects(sub);
  for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of schema[key] ?? []) closeObjects(sub);
  for (const key of ['items', 'additionalProperties', 'not']) closeObjects(schema[key]);
}

function collectFormats(node, found = new Set()) {
  if (node && typeof node === 'object') {
    if (typeof node.format === 'string') found.add(node.format);
    for (const value of Object.values(node)) collectFormats(value, found);
  }
  return found;
}

function pointer(document, ref) {
  return ref.replace(/^#\//, '').split('/').reduce((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], document);
}

function headerValue(headers, name) {
  const wanted = name.toLowerCase();
  const entry = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return entry?.[1];
}

export function createValidator(spec = loadSpec(), { closed = true } = {}) {
  const components = absoluteRefs(structuredClone(spec.components ?? {}));
  if (closed) for (const schema of Object.values(components.schemas ?? {})) closeObjects(schema);

  const ajv = new Ajv({ strict: false, allErrors: true });
  for (const format of collectFormats(spec)) ajv.addFormat(format, FORMATS[format] ?? true);
  ajv.addSchema({ $id: SPEC_ID, components });

  const operations = Object.entries(spec.paths ?? {}).map(([template, item]) => ({
    template,
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    item,
  }));
  const compiled = new Map();
  const compile = (key, schema) => {
    if (!compiled.has(key)) compiled.set(key, ajv.compile(absoluteRefs(schema)));
    return compiled.get(key);
  };
  const describe = (validate) => (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ''}`);

  function validateSchema(name, value) {
    if (!spec.components?.schemas?.[name]) throw new Error(`no schema ${name} in the spec`);
    const validate = compile(`schema:${name}`, { $ref: `#/components/schemas/${name}` });
    return validate(value) ? [] : describe(validate).map((e) => `${name}${e}`);
  }

  // `body` is the response text; `headers` a plain object (any case). Declared response headers
  // must be present unless requireHeaders is false.
  function validateResponse({ method = 'GET', path, status, headers = {}, body }, { requireHeaders = true } = {}) {
    const pathname = new URL(path, 'http://x').pathname;
    const op = operations.find((o) => o.regex.test(pathname));
    if (!op) return [`no path in the spec matches ${pathname}`];
    const operation = op.item[method.toLowerCase()];
    if (!operation) return [`${method} ${op.template} is not in the spec`];
    let response = operation.responses?.[String(status)] ?? operation.responses?.default;
    if (!response) return [`status ${status} is not declared for ${method} ${op.template}`];
    if (response.$ref) response = pointer(spec, response.$ref);

    const errors = [];
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      const value = headerValue(headers, name);
      if (value === undefined) {
        if (requireHeaders) errors.push(`header ${name} missing`);
        continue;
      }
      const type = header.schema?.type;
      if ((type === 'integer' && !/^-?\d+$/.test(value)) || (type === 'number' && Number.isNaN(Number(value)))) {
        errors.push(`header ${name}: ${JSON.stringify(value)} is not an ${type}`);
      }
    }

    const mediaType = String(headerValue(headers, 'content-type') ?? '').split(';')[0].trim().toLowerCase();
    const content = response.content ?? {};
    if (!content[mediaType]) return [...errors, `content type ${JSON.stringify(mediaType)} is not declared (${Object.keys(content).join(', ') || 'no content'})`];
    let value;
    try {
      value = typeof body === 'string' ? JSON.parse(body) : body;
    } catch (err) {
      return [...errors, `body is not JSON: ${err.message}`];
    }
    const validate = compile(`${method} ${op.template} ${status} ${mediaType}`, content[mediaType].schema);
    if (!validate(value)) errors.push(...describe(validate));
    return errors;
  }

  return { spec, validateSchema, validateResponse };
}

#!/usr/bin/env node
// Derives the compact schema subset the provider tests check the typed classes against.
//
//   node tools/schema-subset/subset.mjs <full-schema.json> <version> [--out <file>] [--check]
//
// Reads a provider's full Pulumi package schema (for example the output of
// `pulumi package get-schema hcloud@1.41.0`), keeps only the tokens listed for that package in
// tokens.json next to this script plus every object/enum type they reach, and writes
// names, types, required, secret, default (value or environment variables) and
// replaceOnChanges — no descriptions.
// Default output: tests/Boma.Pulumi.Tests/Providers/schemas/<package>-<version>.json.
// --check compares instead of writing and exits 1 when the committed file is stale.

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node tools/schema-subset/subset.mjs <full-schema.json> <version> [--out <file>] [--check]');
  process.exit(2);
}

const args = process.argv.slice(2);
const positional = [];
let out;
let check = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = args[++i];
  else if (args[i] === '--check') check = true;
  else if (args[i].startsWith('--')) usage(`unknown option ${args[i]}`);
  else positional.push(args[i]);
}
if (positional.length !== 2) usage('expected a schema path and a version');
const [schemaPath, version] = positional;
if (!/^\d+\.\d+\.\d+([-+].*)?$/.test(version)) usage(`version "${version}" is not semver (e.g. 1.41.0)`);

const raw = readFileSync(schemaPath);
const schema = JSON.parse(raw.toString('utf8'));
const pkg = schema.name;
const tokens = JSON.parse(readFileSync(join(here, 'tokens.json'), 'utf8'))[pkg];
if (!tokens) usage(`tokens.json has no entry for package "${pkg}"`);

// A compact type notation: string | integer | number | boolean | any | asset | archive | json
// | array<T> | map<T> | ref:<type token>.
function typeOf(prop, where) {
  if (prop.$ref) {
    const ref = prop.$ref;
    const builtin = { 'pulumi.json#/Any': 'any', 'pulumi.json#/Asset': 'asset', 'pulumi.json#/Archive': 'archive', 'pulumi.json#/Json': 'json' };
    if (builtin[ref]) return builtin[ref];
    if (ref.startsWith('#/types/')) {
      const token = decodeURIComponent(ref.slice('#/types/'.length));
      reach(token, where);
      return `ref:${token}`;
    }
    throw new Error(`${where}: unsupported $ref ${ref}`);
  }
  if (prop.oneOf) throw new Error(`${where}: oneOf types are not supported by this tool`);
  switch (prop.type) {
    case 'string': case 'integer': case 'number': case 'boolean':
      return prop.type;
    case 'array':
      return `array<${typeOf(prop.items, `${where}[]`)}>`;
    case 'object':
      return `map<${prop.additionalProperties ? typeOf(prop.additionalProperties, `${where}{}`) : 'any'}>`;
    default:
      throw new Error(`${where}: unsupported type ${JSON.stringify(prop)}`);
  }
}

function secretOf(prop) {
  // A secret flag may sit on the property or on its element type.
  return Boolean(prop.secret || prop.items?.secret || prop.additionalProperties?.secret);
}

function properties(props, required, where) {
  const result = {};
  for (const name of Object.keys(props ?? {}).sort()) {
    const p = props[name];
    const entry = { type: typeOf(p, `${where}.${name}`) };
    if ((required ?? []).includes(name)) entry.required = true;
    if (secretOf(p)) entry.secret = true;
    if (p.replaceOnChanges) entry.replaceOnChanges = true;
    if (p.default !== undefined) entry.default = p.default;
    if (p.defaultInfo?.environment) entry.defaultEnv = p.defaultInfo.environment;
    result[name] = entry;
  }
  for (const name of required ?? []) {
    if (!(name in (props ?? {}))) throw new Error(`${where}: required property ${name} is not declared`);
  }
  return result;
}

const types = {};
const pending = [];
function reach(token, where) {
  if (token in types || pending.includes(token)) return;
  if (!schema.types?.[token]) throw new Error(`${where}: type ${token} is not in the schema`);
  pending.push(token);
}

const resources = {};
for (const token of tokens) {
  const r = schema.resources?.[token];
  if (!r) throw new Error(`resource ${token} is not in the schema`);
  resources[token] = {
    inputs: properties(r.inputProperties, r.requiredInputs, token),
    outputs: properties(r.properties, r.required, token),
  };
}
const providerToken = `pulumi:providers:${pkg}`;
const provider = {
  inputs: properties(schema.provider?.inputProperties, schema.provider?.requiredInputs, providerToken),
  outputs: properties(schema.provider?.properties, schema.provider?.required, providerToken),
};
while (pending.length > 0) {
  const token = pending.shift();
  const t = schema.types[token];
  types[token] = t.enum
    ? { enum: t.type, values: t.enum.map((e) => e.value) }
    : { properties: properties(t.properties, t.required, token) };
}
const sortedTypes = {};
for (const token of Object.keys(types).sort()) sortedTypes[token] = types[token];

const subset = {
  package: pkg,
  version,
  source: { file: basename(schemaPath), sha256: createHash('sha256').update(raw).digest('hex') },
  provider,
  resources,
  types: sortedTypes,
};

// Pretty-print with one line per property so diffs stay readable.
function format(value, indent) {
  const pad = ' '.repeat(indent);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const leaf = Object.values(value).every((v) => v === null || typeof v !== 'object' || Array.isArray(v) && v.every((x) => typeof x !== 'object'));
  if (leaf) {
    if (Array.isArray(value)) return JSON.stringify(value);
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
  }
  const inner = Object.entries(value).map(([k, v]) => `${pad}  ${JSON.stringify(k)}: ${format(v, indent + 2)}`);
  return `{\n${inner.join(',\n')}\n${pad}}`;
}
const text = `${format(subset, 0)}\n`;

const target = out ?? join(repoRoot, 'tests', 'Boma.Pulumi.Tests', 'Providers', 'schemas', `${pkg}-${version}.json`);
if (check) {
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current !== text) {
    console.error(`${target} differs from what ${schemaPath} derives; rerun without --check`);
    process.exit(1);
  }
  console.log(`${target} is up to date`);
} else {
  writeFileSync(target, text);
  console.log(`wrote ${target} (${Object.keys(resources).length} resources, ${Object.keys(sortedTypes).length} types)`);
}

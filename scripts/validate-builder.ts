/**
 * Checks electron-builder.yml offline, since packaging cannot run here (no Electron binary):
 * against the JSON schema that app-builder-lib ships (which refuses unknown keys), plus the
 * promises the schema cannot make: the appId is APP_ID and the security fuses are set.
 * Usage: tsx scripts/validate-builder.ts [path/to/electron-builder.yml]   (exit 1 on any problem)
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';
import { APP_ID } from '../src/shared/appId';

/** Fuses the app relies on: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, code only from a verified asar. */
export const REQUIRED_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  // The window's page comes from the app's own scheme (src/main/electron/appScheme.ts): no page needs
  // file://'s extra privileges.
  grantFileProtocolExtraPrivileges: false,
  // Flipping fuses breaks the signature; an unsigned arm64 app is killed at launch unless re-signed ad hoc.
  resetAdHocDarwinSignature: true,
} as const;

export function loadBuilderSchema(): object {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** The schema declares draft-07, Ajv's default; it carries keywords of its own, hence strict: false. */
function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

let builderSchema: object | undefined;

/** The problems with one configuration text; empty when it is valid. */
export function validateBuilderConfig(
  text: string,
  schema: object = (builderSchema ??= loadBuilderSchema()),
): string[] {
  let config: unknown;
  try {
    config = yaml.load(text);
  } catch (e) {
    return [`not YAML: ${e instanceof Error ? e.message : String(e)}`];
  }
  const validate = validatorFor(schema);
  const problems: string[] = [];
  if (!validate(config)) {
    for (const e of validate.errors ?? []) {
      const extra =
        e.keyword === 'additionalProperties'
          ? ` (${String((e.params as { additionalProperty?: string }).additionalProperty)})`
          : '';
      problems.push(`${e.instancePath || '/'} ${e.message ?? e.keyword}${extra}`);
    }
  }
  const c = (config ?? {}) as { appId?: unknown; electronFuses?: Record<string, unknown>; asar?: unknown };
  if (c.appId !== APP_ID) problems.push(`appId must be ${APP_ID} (src/shared/appId.ts), found ${String(c.appId)}`);
  if (c.asar === false) problems.push('asar must not be false: onlyLoadAppFromAsar needs it');
  for (const [fuse, wanted] of Object.entries(REQUIRED_FUSES)) {
    if (c.electronFuses?.[fuse] !== wanted) problems.push(`electronFuses.${fuse} must be ${wanted}`);
  }
  return problems;
}

function main(): void {
  const file = resolve(process.argv[2] ?? 'electron-builder.yml');
  const problems = validateBuilderConfig(readFileSync(file, 'utf8'));
  if (problems.length > 0) {
    console.error(`${file}: ${problems.length} problem(s)`);
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  console.log(`${file}: valid (app-builder-lib schema, appId ${APP_ID}, fuses set)`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();

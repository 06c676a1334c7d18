/**
 * Checks the rule catalog's data without the engine: every `rule.yaml` against `rules/schema/rule.schema.json`, every
 * `rules/services/*.yaml` against `rules/schema/services.schema.json`, and the conventions the schemas cannot state
 * (folder = id, a known service, fixture layout, golden line format, KICS ids that exist in the corpus).
 *
 * Usage: `npx tsx scripts/checkRules.ts [rules/aws/...]` — exits 1 when anything is wrong.
 */
import Ajv from 'ajv';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = join(__dirname, '..');
const rulesRoot = join(root, 'rules');
const problems: string[] = [];

/** Records a problem with the file it was found in. */
function report(file: string, message: string): void {
  problems.push(`${relative(root, file)}: ${message}`);
}

/** Reads and parses a YAML file, recording a problem when it does not parse. */
function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    report(file, `invalid YAML: ${(e as Error).message.split('\n')[0]}`);
    return undefined;
  }
}

/** Every folder under `dir` that holds a `rule.yaml`. */
function ruleFolders(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (!statSync(full).isDirectory() || ['fixtures', 'schema', 'services'].includes(name)) {
      continue;
    }
    if (existsSync(join(full, 'rule.yaml'))) {
      found.push(full);
    } else {
      found.push(...ruleFolders(full));
    }
  }
  return found;
}

/** The KICS query ids of the corpus, when the corpus is beside the clone (or named by ONUS_CORPUS). */
function kicsIds(): Set<string> | undefined {
  const corpus = process.env['ONUS_CORPUS'] ?? join(root, '..', 'shared', 'corpus');
  const index = join(corpus, 'kics', 'INDEX.tsv');
  if (!existsSync(index)) {
    return undefined;
  }
  const ids = new Set<string>();
  for (const line of readFileSync(index, 'utf8').split('\n').slice(1)) {
    const id = line.split('\t')[3];
    if (id) {
      ids.add(id);
    }
  }
  return ids;
}

/** Whether any target of a rule has a fix. */
function isFixable(rule: { match?: Record<string, { fix?: unknown }[]> }): boolean {
  return Object.values(rule.match ?? {}).some((targets) => targets.some((t) => t.fix !== undefined));
}

/** Checks one format's fixture folders of a rule. */
function checkFixtures(folder: string, format: string, rule: { id: string; severity: string }, fixable: boolean): void {
  const ext = format === 'terraform' ? '.tf' : format === 'bicep' ? '.bicep' : '.yaml';
  const base = join(folder, 'fixtures', format);
  const good = join(base, 'good');
  const bad = join(base, 'bad');
  const fixed = join(base, 'fixed');
  const list = (dir: string, suffix: string): string[] =>
    existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(suffix)) : [];
  if (list(good, ext).length === 0 && !(format === 'cloudformation' && list(good, '.json').length > 0)) {
    report(folder, `no ${format} good fixture`);
  }
  const bads = [...list(bad, ext), ...(format === 'cloudformation' ? list(bad, '.json') : [])];
  if (bads.length === 0) {
    report(folder, `no ${format} bad fixture`);
  }
  const golden = /^(\d+):(\d+)-(\d+):(\d+) (\S+) (low|medium|high|critical) (.+)$/;
  for (const name of bads) {
    const findings = join(bad, name.replace(/\.(tf|bicep|yaml|json)$/, '.findings'));
    if (!existsSync(findings)) {
      report(join(bad, name), 'no .findings golden');
      continue;
    }
    const lines = readFileSync(findings, 'utf8').split('\n').filter((l) => l.length > 0);
    if (lines.length === 0) {
      report(findings, 'a bad fixture needs at least one finding');
    }
    for (const line of lines) {
      const m = golden.exec(line);
      if (!m) {
        report(findings, `malformed golden line "${line}"`);
        continue;
      }
      if (m[5] !== rule.id || m[6] !== rule.severity) {
        report(findings, `golden line names ${m[5]} ${m[6]}, expected ${rule.id} ${rule.severity}`);
      }
      if (m[7]!.endsWith('.')) {
        report(findings, 'messages end without a period');
      }
    }
  }
  const fixedFiles = list(fixed, ext);
  if (!fixable && fixedFiles.length > 0) {
    report(folder, 'a rule without a fix has no fixed/ outputs');
  }
  if (fixable && fixedFiles.length === 0) {
    report(folder, 'a fixable rule needs fixed/ outputs');
  }
  for (const name of fixedFiles) {
    if (!bads.includes(name)) {
      report(join(fixed, name), 'has no bad fixture of the same name');
    }
  }
}

function main(): void {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validateRule = ajv.compile(JSON.parse(readFileSync(join(rulesRoot, 'schema', 'rule.schema.json'), 'utf8')));
  const validateServices = ajv.compile(
    JSON.parse(readFileSync(join(rulesRoot, 'schema', 'services.schema.json'), 'utf8')),
  );

  const services = new Map<string, { provider: string }>();
  const servicesDir = join(rulesRoot, 'services');
  for (const name of existsSync(servicesDir) ? readdirSync(servicesDir).filter((n) => n.endsWith('.yaml')) : []) {
    const file = join(servicesDir, name);
    const data = readYaml(file) as { services?: { id: string; provider: string }[] } | undefined;
    if (data === undefined) {
      continue;
    }
    if (!validateServices(data)) {
      for (const e of validateServices.errors ?? []) {
        report(file, `${e.instancePath || '(root)'} ${e.message ?? ''}`);
      }
      continue;
    }
    for (const s of data.services ?? []) {
      if (services.has(s.id)) {
        report(file, `duplicate service id ${s.id}`);
      }
      if (!s.id.startsWith(`${s.provider}/`) || name !== `${s.provider}.yaml`) {
        report(file, `service ${s.id} does not belong in ${name}`);
      }
      services.set(s.id, s);
    }
  }

  const kics = kicsIds();
  const only = process.argv.slice(2).map((p) => join(root, p));
  const folders = ruleFolders(rulesRoot).filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)));
  const ids = new Set<string>();
  for (const folder of folders) {
    const file = join(folder, 'rule.yaml');
    const rule = readYaml(file) as
      | {
          id: string;
          severity: string;
          service: string;
          message: string;
          references?: { kics?: string[] };
          match?: Record<string, { fix?: unknown; check?: true }[]>;
        }
      | undefined;
    if (rule === undefined) {
      continue;
    }
    if (!validateRule(rule)) {
      for (const e of validateRule.errors ?? []) {
        report(file, `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
      }
      continue;
    }
    if (basename(folder) !== rule.id) {
      report(file, `id ${rule.id} does not match its folder`);
    }
    if (ids.has(rule.id)) {
      report(file, `duplicate id ${rule.id}`);
    }
    ids.add(rule.id);
    const [provider, service] = rule.id.split('-');
    if (relative(rulesRoot, dirname(folder)) !== `${provider}/${service}`) {
      report(file, `expected the folder rules/${provider}/${service}/${rule.id}`);
    }
    if (services.size > 0 && !services.has(rule.service)) {
      report(file, `service ${rule.service} is not in the services catalog`);
    }
    if (/^[a-z]/.test(rule.message)) {
      report(file, 'message should be sentence case');
    }
    const usesCheck = Object.values(rule.match ?? {}).some((ts) => ts.some((t) => t.check === true));
    if (usesCheck !== existsSync(join(folder, 'rule.ts'))) {
      report(file, usesCheck ? 'a target uses check but there is no rule.ts' : 'rule.ts is present but unused');
    }
    for (const id of rule.references?.kics ?? []) {
      if (kics && !kics.has(id)) {
        report(file, `KICS id ${id} is not in the corpus`);
      }
    }
    for (const format of Object.keys(rule.match ?? {})) {
      checkFixtures(folder, format, rule, isFixable(rule));
    }
  }

  for (const p of problems) {
    console.error(p);
  }
  console.log(`${folders.length} rules, ${services.size} services: ${problems.length} problem(s)`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

main();

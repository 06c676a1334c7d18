/**
 * A key written twice in a rule.yaml or a services file (two `fix:` entries, a duty's `note` repeated) is a YAML
 * error: the build only warns and the catalog reports it when it loads, so every file of the catalog is checked here
 * and a repeated key fails the tests with its file and line.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { RULES_ROOT, ruleFolders } from '../support/ruleSources';

/** The YAML files the catalog is built from: every rule.yaml and the services files. */
function catalogFiles(): string[] {
  const services = path.join(RULES_ROOT, 'services');
  return [
    ...ruleFolders().map((folder) => path.join(RULES_ROOT, folder, 'rule.yaml')),
    ...fs.readdirSync(services).filter((f) => f.endsWith('.yaml')).map((f) => path.join(services, f)),
  ];
}

describe('catalog YAML files', () => {
  it('write every key once in each mapping', () => {
    const files = catalogFiles();
    assert.ok(files.length > 300, `the catalog's files are found (${files.length})`);
    const repeated = files.flatMap((file) =>
      parseDocument(fs.readFileSync(file, 'utf8'))
        .errors.filter((e) => e.code === 'DUPLICATE_KEY')
        .map((e) => `${path.relative(RULES_ROOT, file)}:${e.linePos?.[0]?.line ?? '?'}`),
    );
    assert.deepEqual(repeated, []);
  });

  it('tells a repeated key apart (the check itself)', () => {
    const errors = parseDocument('fix:\n  title: a\nfix:\n  title: b\n').errors;
    assert.deepEqual(errors.map((e) => e.code), ['DUPLICATE_KEY']);
  });
});

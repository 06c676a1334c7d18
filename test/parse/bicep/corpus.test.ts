/**
 * The Bicep parser and lowering on real files, when `ONUS_CORPUS` names the corpus folder:
 * - every `.bicep` under `$ONUS_CORPUS/realworld` parses without throwing, keeps the lossless invariant, and lowers
 *   without throwing;
 * - the files the Bicep project itself marks as valid parse with no syntax error: everything under
 *   `Azure__bicep/src/Bicep.Core.Samples/Files/` except the `baselines/Invalid*` and `baselines_bicepparam/Invalid_*`
 *   folders, whose files are meant not to compile (their `main.diagnostics.bicep` copies carry the compiler's
 *   expected errors as comments); the published Azure Verified Modules must parse cleanly too;
 * - the `.bicep` files under `$ONUS_CORPUS/kics/azureResourceManager` (KICS's labeled samples) parse and lower.
 * The counts are printed.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { lowerBicepFile } from '../../../server/src/model/bicep/lower';
import { diskFileSystem } from '../../../server/src/model/diskFileSystem';
import { parseBicep } from '../../../server/src/parse/bicep/parser';

/** Every `.bicep` file under `folder`, sorted. */
function listBicepFiles(folder: string, out: string[] = []): string[] {
  if (!fs.existsSync(folder)) {
    return out;
  }
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      listBicepFiles(full, out);
    } else if (entry.name.endsWith('.bicep')) {
      out.push(full);
    }
  }
  return out.sort();
}

/** How the corpus labels a file: valid by the Bicep project, invalid by it, or unlabeled. */
function labelOf(file: string): 'valid' | 'invalid' | 'avm' | 'unlabeled' {
  const normalized = file.replace(/\\/g, '/');
  if (normalized.includes('/Azure__bicep/src/Bicep.Core.Samples/Files/')) {
    return /\/baselines\/Invalid[^/]*\/|\/baselines_bicepparam\/Invalid_[^/]*\//.test(normalized) ? 'invalid' : 'valid';
  }
  if (normalized.includes('/Azure__bicep-registry-modules/')) {
    return 'avm';
  }
  return 'unlabeled';
}

/** Parses and lowers one file; returns its syntax errors (throws only on a broken invariant). */
function check(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const result = parseBicep(text);
  const joined = result.tree.tokens.map((t) => text.slice(t.start, t.end)).join('');
  assert.equal(joined, text, `lossless: ${file}`);
  lowerBicepFile(file, diskFileSystem);
  return result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${path.basename(file)}@${d.span.start} ${d.code} ${d.message}`);
}

const corpus = process.env.ONUS_CORPUS;
if (corpus) {
  describe('Bicep corpus: real-world files', function () {
    this.timeout(300_000);
    it('parses every file, the valid ones without syntax errors', () => {
      const counts = { valid: 0, validClean: 0, invalid: 0, invalidWithErrors: 0, avm: 0, avmClean: 0, other: 0, otherClean: 0 };
      const failures: string[] = [];
      for (const file of listBicepFiles(path.join(corpus, 'realworld'))) {
        const errors = check(file);
        switch (labelOf(file)) {
          case 'valid':
            counts.valid++;
            counts.validClean += errors.length === 0 ? 1 : 0;
            failures.push(...errors.slice(0, 1));
            break;
          case 'avm':
            counts.avm++;
            counts.avmClean += errors.length === 0 ? 1 : 0;
            failures.push(...errors.slice(0, 1));
            break;
          case 'invalid':
            counts.invalid++;
            counts.invalidWithErrors += errors.length > 0 ? 1 : 0;
            break;
          case 'unlabeled':
            counts.other++;
            counts.otherClean += errors.length === 0 ? 1 : 0;
            break;
        }
      }
      console.log(
        `      bicep corpus: Bicep-valid ${counts.validClean}/${counts.valid} without syntax errors; ` +
          `Bicep-invalid ${counts.invalid} parsed without throwing (${counts.invalidWithErrors} with syntax errors); ` +
          `Azure Verified Modules ${counts.avmClean}/${counts.avm} clean; other samples ${counts.otherClean}/${counts.other} clean`,
      );
      assert.ok(counts.valid > 0, 'the corpus has the Bicep samples');
      assert.deepEqual(failures, []);
    });

    it('parses and lowers the KICS Azure Resource Manager samples', () => {
      const files = listBicepFiles(path.join(corpus, 'kics', 'azureResourceManager'));
      let clean = 0;
      for (const file of files) {
        clean += check(file).length === 0 ? 1 : 0;
      }
      console.log(`      bicep corpus: KICS samples ${clean}/${files.length} without syntax errors`);
      assert.ok(files.length > 0, 'the corpus has the KICS samples');
    });
  });
}

/**
 * The CloudFormation front end over the corpus: every `.yaml`, `.yml`, `.json` and `.template` file under
 * `$ONUS_CORPUS/realworld` and `$ONUS_CORPUS/kics/cloudFormation` is offered to `isCloudFormationTemplate`; each one it
 * accepts must lower without throwing, whole and truncated at several points. The suite prints how many files were
 * detected, lowered and had syntax errors, and how many resources they hold.
 *
 * Registered only when `ONUS_CORPUS` is set.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCloudFormationTemplate } from '../../../server/src/model/cloudformation/detect';
import { lowerCloudFormationTemplate } from '../../../server/src/model/cloudformation/template';

const corpus = process.env.ONUS_CORPUS;

/** Truncations tried per detected template (evenly spaced, plus the cut before the last character). */
const TRUNCATIONS = 6;

/** Every candidate file below a folder, sorted. */
function candidates(folder: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (/\.(?:ya?ml|json|template)$/i.test(entry.name)) {
        out.push(full);
      }
    }
  };
  if (fs.existsSync(folder)) {
    walk(folder);
  }
  return out.sort();
}

if (corpus) {
  describe('CloudFormation over the corpus', () => {
    for (const [label, folder] of [
      ['realworld', path.join(corpus, 'realworld')],
      ['kics/cloudFormation', path.join(corpus, 'kics', 'cloudFormation')],
    ] as const) {
      it(`${label}: every detected template lowers, whole and truncated`, function () {
        this.timeout(600_000);
        const files = candidates(folder);
        assert.ok(files.length > 0, `no candidate files under ${folder}`);
        let detected = 0;
        let lowered = 0;
        let withErrors = 0;
        let resources = 0;
        const failures: string[] = [];
        for (const file of files) {
          const text = fs.readFileSync(file, 'utf8');
          if (!isCloudFormationTemplate(file, text)) {
            continue;
          }
          detected++;
          try {
            const model = lowerCloudFormationTemplate(file, text);
            lowered++;
            resources += model.resources.length;
            if (model.files[0]!.diagnostics.some((d) => d.severity === 'error')) {
              withErrors++;
            }
            const cuts = new Set([text.length - 1]);
            for (let i = 1; i <= TRUNCATIONS; i++) {
              cuts.add(Math.floor((text.length * i) / (TRUNCATIONS + 1)));
            }
            for (const cut of cuts) {
              const truncated = text.slice(0, Math.max(0, cut));
              isCloudFormationTemplate(file, truncated);
              lowerCloudFormationTemplate(file, truncated);
            }
          } catch (error) {
            failures.push(`${path.relative(corpus, file)}: ${String(error)}`);
          }
        }
        console.log(
          `      ${label}: ${files.length} candidate files, ${detected} detected as CloudFormation, ${lowered} lowered ` +
            `(${withErrors} with syntax errors), ${resources} resources`,
        );
        assert.deepEqual(failures, []);
        assert.ok(detected > 0, 'some templates are detected');
      });
    }
  });
}

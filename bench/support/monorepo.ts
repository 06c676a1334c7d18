/**
 * A generated monorepo of IaC files for the scan and server benchmarks: Terraform modules of three files, Bicep
 * files and CloudFormation templates, each small (20–60 lines) as real repositories' files mostly are. Written once
 * per size into the system's temporary folder and reused by later runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileNameOf, generate, type Language } from './generate';

/** The files of the monorepo, in the order they were generated. */
export interface Monorepo {
  root: string;
  files: { path: string; language: Language }[];
}

/** Generates (or reuses) a monorepo of `count` IaC files: 60% Terraform, 20% Bicep, 20% CloudFormation. */
export function monorepo(count: number): Monorepo {
  const root = path.join(os.tmpdir(), `onus-bench-monorepo-${count}`);
  const files: Monorepo['files'] = [];
  let i = 0;
  while (files.length < count) {
    const team = `team-${Math.floor(i / 100)}`;
    const slot = i % 5;
    if (slot < 3) {
      // One Terraform module of up to three files.
      const dir = path.join(root, team, `module-${i}`);
      for (const name of ['main', 'network', 'data'].slice(0, Math.min(3, count - files.length))) {
        files.push({ path: path.join(dir, fileNameOf('terraform', name)), language: 'terraform' });
      }
      i += 3;
    } else {
      const language: Language = slot === 3 ? 'bicep' : 'cloudformation';
      files.push({ path: path.join(root, team, `stack-${i}`, fileNameOf(language, 'main')), language });
      i++;
    }
  }
  const marker = path.join(root, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(root, { recursive: true, force: true });
    files.forEach((f, n) => {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, generate(f.language, 20 + (n % 5) * 10, n).text);
    });
    fs.writeFileSync(marker, '');
  }
  return { root, files };
}

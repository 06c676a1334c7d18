/**
 * The extension-host suite's entry point in VS Code's standard layout: a module exporting `run()`, which the
 * extension host calls when it is started with `extensionTestsPath`. `@vscode/test-electron` would run it unchanged
 * on a desktop; here `test/e2e/run.sh` bundles it with esbuild and code-server runs it (see test/e2e/README.md).
 *
 * `E2E_RESULTS` (inherited from code-server's environment) names a JSON file that gets one record per test, because
 * mocha's console output reaches the browser only as raw format strings.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

/** One test's outcome as `run.sh` prints it. */
interface TestRecord {
  title: string;
  state: 'passed' | 'failed';
  durationMs: number;
  error?: string;
}

/** Runs the suite; resolves when every test passed, rejects otherwise (VS Code then exits with code 1). */
export function run(): Promise<void> {
  // Generous: two cores shared with other test runs; each wait inside a test has its own, shorter deadline.
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000 });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  const records: TestRecord[] = [];
  const write = (): void => {
    if (process.env.E2E_RESULTS) {
      fs.writeFileSync(process.env.E2E_RESULTS, JSON.stringify({ suite: 'extension host', tests: records }, null, 2));
    }
  };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      write();
      if (failures > 0) {
        reject(new Error(`${failures} extension-host tests failed`));
      } else {
        resolve();
      }
    });
    runner.on('pass', (test) => records.push({ title: test.title, state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('fail', (test, error: Error) =>
      records.push({ title: test.title, state: 'failed', durationMs: test.duration ?? 0, error: String(error?.stack ?? error) }),
    );
    // Written as the run goes, so a hung test still leaves the records of the finished ones.
    runner.on('test end', write);
  });
}

// Prints the per-test results of the e2e suites and the closing "N passed, N failed" line; exits 1 on any failure.
// Arguments: one "label=results.json=exitCode=expectedCount" per suite. A suite whose driver failed without a failed
// test in its results (it crashed, timed out, or never wrote them), or that reported fewer tests than expected,
// gets a synthetic failed test, so a broken run can never print "0 failed".
'use strict';
const fs = require('fs');

let passed = 0;
let failed = 0;
for (const arg of process.argv.slice(2)) {
  const [label, file, rcText, expectedText] = arg.split('=');
  const rc = Number(rcText);
  const expected = Number(expectedText || 0);
  let tests = [];
  try {
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    tests = data.tests || data.checks || [];
  } catch {
    // No results: handled below.
  }
  console.log(`${label}:`);
  for (const t of tests) {
    const seconds = t.durationMs !== undefined ? ` (${(t.durationMs / 1000).toFixed(1)}s)` : '';
    if (t.state === 'passed') {
      passed++;
      console.log(`  ✔ ${t.title}${seconds}`);
    } else {
      failed++;
      console.log(`  ✘ ${t.title}${seconds}\n      ${String(t.error || 'failed').split('\n').slice(0, 6).join('\n      ')}`);
    }
  }
  const missing = Math.max(0, expected - tests.length);
  if (missing > 0) {
    failed += missing;
    console.log(`  ✘ ${missing} test(s) did not report (expected ${expected}, got ${tests.length})`);
  } else if (rc !== 0 && !tests.some((t) => t.state !== 'passed')) {
    failed++;
    console.log(`  ✘ the ${label} driver exited with ${rc} (see test/e2e/out/logs)`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

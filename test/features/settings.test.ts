/**
 * The user's settings as the server normalises them: what `workspace/configuration` or a pushed payload may hold,
 * including an unset `onus.severity` that leaves the minimum to `.onus.yaml`.
 */
import * as assert from 'node:assert/strict';
import { normalizeSettings, settingsEqual } from '../../server/src/features/settings';
import type { OnusSettings } from '../../server/src/protocol';

const cases: { name: string; raw: unknown; expected: OnusSettings }[] = [
  { name: 'nothing: the defaults, severity left to .onus.yaml', raw: undefined, expected: { enable: true, severity: null, rules: { disabled: [], enabled: [] }, codeLens: { enable: true }, maxFileSize: 2 } },
  { name: 'an explicit null severity', raw: { severity: null }, expected: { enable: true, severity: null, rules: { disabled: [], enabled: [] }, codeLens: { enable: true }, maxFileSize: 2 } },
  { name: 'a severity', raw: { severity: 'high' }, expected: { enable: true, severity: 'high', rules: { disabled: [], enabled: [] }, codeLens: { enable: true }, maxFileSize: 2 } },
  { name: 'a malformed severity falls back to unset', raw: { severity: 'urgent' }, expected: { enable: true, severity: null, rules: { disabled: [], enabled: [] }, codeLens: { enable: true }, maxFileSize: 2 } },
  {
    name: 'enabled and disabled ids, nested or dotted, trimmed and without duplicates',
    raw: { rules: { enabled: [' aws-s3-versioning', 'aws-s3-versioning', 7] }, 'rules.disabled': ['aws-s3-public-acl', ''] },
    expected: { enable: true, severity: null, rules: { disabled: ['aws-s3-public-acl'], enabled: ['aws-s3-versioning'] }, codeLens: { enable: true }, maxFileSize: 2 },
  },
  {
    name: 'code lenses turned off, nested or dotted; a malformed value keeps them on',
    raw: { codeLens: { enable: false }, 'codeLens.enable': 'no' },
    expected: { enable: true, severity: null, rules: { disabled: [], enabled: [] }, codeLens: { enable: false }, maxFileSize: 2 },
  },
  { name: 'a size limit in megabytes', raw: { maxFileSize: 0.5 }, expected: { enable: true, severity: null, rules: { disabled: [], enabled: [] }, codeLens: { enable: true }, maxFileSize: 0.5 } },
  {
    name: 'a size limit that is not a positive number falls back to 2 MB',
    raw: { maxFileSize: -1 },
    expected: { enable: true, severity: null, rules: { disabled: [], enabled: [] }, codeLens: { enable: true }, maxFileSize: 2 },
  },
];

describe('features/settings', () => {
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(normalizeSettings(c.raw), c.expected));
  }

  it('a change to the enabled ids is a change', () => {
    const a = normalizeSettings({});
    assert.equal(settingsEqual(a, normalizeSettings({})), true);
    assert.equal(settingsEqual(a, normalizeSettings({ rules: { enabled: ['aws-s3-versioning'] } })), false);
    assert.equal(settingsEqual(a, normalizeSettings({ 'codeLens.enable': false })), false);
  });
});

/**
 * The workspace's analysis cache with many open units: only the most recently used keep their analysis, and a unit
 * whose analysis was let go still follows the files it read (its diagnostics are republished when they change).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalyzeOptions } from '../../server/src/engine/analyze';
import { DiagnosticsScheduler, provideDiagnostics } from '../../server/src/features/diagnostics';
import { Workspace } from '../../server/src/features/workspace';
import type { FileSystem } from '../../server/src/model/fileSystem';
import { memoryFileSystem } from '../support/memoryFileSystem';
import { ruleSet } from './harness';

const ROOT = path.resolve('/onus-workspace-test');

/** A module that gives its bucket the ACL its caller passes (the ACL is on line 4). */
const STORE_MODULE = `variable "acl" {}
resource "aws_s3_bucket_acl" "this" {
  bucket = "store"
  acl    = var.acl
}
`;

/** A root module that calls the store module with a public ACL. */
const caller = (name: string) => `# ${name}
module "store" {
  source = "../modules/store"
  acl    = "public-read"
}
`;

/** A disk whose files can change, as files change on disk under the editor. */
function changingDisk(files: Record<string, string>): { disk: FileSystem; write: (name: string, text: string) => void } {
  let current = memoryFileSystem(files);
  return {
    disk: { readFile: (p) => current.readFile(p), readDirectory: (d) => current.readDirectory(d) },
    write: (name, text) => {
      files[name] = text;
      current = memoryFileSystem(files);
    },
  };
}

describe('features/workspace: many open units', () => {
  const apps = ['app1', 'app2', 'app3', 'app4'];
  const paths = apps.map((app) => path.join(ROOT, app, 'main.tf'));
  const documents = apps.map((app, i) => TextDocument.create(pathToFileURL(paths[i]!).href, 'terraform', 1, caller(app)));
  const source = { get: (uri: string) => documents.find((d) => d.uri === uri), all: () => documents };
  const options: AnalyzeOptions = { rules: ruleSet(), today: '2026-01-01' };
  const modulePath = path.join(ROOT, 'modules/store/main.tf');

  function setUp() {
    const { disk, write } = changingDisk({
      ...Object.fromEntries(apps.map((app, i) => [paths[i]!, caller(app)])),
    });
    // Two units keep their analysis; the others are let go as later ones are analysed.
    const workspace = new Workspace(source, disk, 2);
    const published = new Map<string, Diagnostic[]>();
    const scheduler = new DiagnosticsScheduler(
      {
        workspace,
        options: () => options,
        publish: (uri, _version, diagnostics) => {
          publishCount++;
          published.set(uri, diagnostics);
        },
        guard: (_name, fallback, fn) => {
          try {
            return fn();
          } catch (e) {
            assert.fail(String(e));
            return fallback;
          }
        },
      },
      0,
      // One file keeps its published diagnostics; the others are compared by digest.
      1,
    );
    const publications = () => publishCount;
    let publishCount = 0;
    return { workspace, write, published, scheduler, publications };
  }

  async function idle(scheduler: DiagnosticsScheduler): Promise<void> {
    do {
      await new Promise((resolve) => setTimeout(resolve, 5));
    } while (!scheduler.isIdle);
  }

  /** The hints of a published file that say a called module has no files. */
  const missingModuleHints = (diagnostics: Diagnostic[] | undefined) =>
    (diagnostics ?? []).filter((d) => d.message.includes('has no Terraform files')).map((d) => d.range.start.line + 1);

  it('republishes a file whose unit was let go when a module it calls appears on disk', async () => {
    const { workspace, write, published, scheduler, publications } = setUp();
    paths.forEach((p) => scheduler.scheduleFile(p));
    await idle(scheduler);
    assert.deepEqual(documents.map((d) => missingModuleHints(published.get(d.uri))), [[3], [3], [3], [3]]);
    // Analysed again with nothing changed: the same diagnostics for the same versions are not published again.
    assert.equal(publications(), 4);
    workspace.invalidateAll();
    scheduler.scheduleAll();
    await idle(scheduler);
    assert.equal(publications(), 4);
    // app1's analysis was let go (two units keep theirs); it still depends on the module's folder.
    assert.equal(workspace.peek(workspace.unitOf(paths[0]!)), undefined);
    assert.ok(workspace.unitsAffectedBy(modulePath).includes(path.join(ROOT, 'app1')));
    write(modulePath, STORE_MODULE);
    scheduler.scheduleFile(modulePath);
    workspace.invalidate(modulePath);
    await idle(scheduler);
    assert.deepEqual(documents.map((d) => missingModuleHints(published.get(d.uri))), [[], [], [], []]);
  });

  it('analyses a unit whose analysis was let go again when asked, with the same findings and fixes', () => {
    const { workspace, write } = setUp();
    const unit = workspace.unitOf(paths[0]!);
    write(modulePath, STORE_MODULE);
    const first = workspace.analyze(unit, paths[0]!, options);
    for (const [i, p] of paths.entries()) {
      if (i > 0) {
        workspace.analyze(workspace.unitOf(p), p, options);
      }
    }
    assert.equal(workspace.peek(unit), undefined);
    const again = workspace.analyze(unit, paths[0]!, options);
    assert.notEqual(again, first);
    assert.deepEqual(again.findingsIn(modulePath), first.findingsIn(modulePath));
    const acl = again.findingsIn(modulePath).find((f) => f.ruleId === 'aws-s3-public-acl');
    assert.equal(again.lineIndexOf(modulePath)?.positionAt(acl?.span.start ?? -1).line, 3);
    assert.ok(acl?.fix && acl.fix.edits.length > 0, 'the finding keeps its quick fix');
    // The most recently used units keep theirs.
    assert.equal(workspace.peek(unit), again);
  });
});

describe('features/workspace: diagnostics after an edit', () => {
  const file = path.join(ROOT, 'edited', 'main.tf');
  const text = `resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}

resource "aws_security_group" "web" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`;
  const options: AnalyzeOptions = { rules: ruleSet(), today: '2026-01-01' };
  /** The diagnostics of `document` from a workspace that analysed the document's earlier versions (or none). */
  const diagnosticsOf = (versions: TextDocument[]): Diagnostic[] => {
    let document = versions[0]!;
    const workspace = new Workspace({ get: (uri) => (uri === document.uri ? document : undefined), all: () => [document] }, memoryFileSystem({}));
    let out: Diagnostic[] = [];
    for (const version of versions) {
      document = version;
      const tracked = workspace.track(document)!;
      out = provideDiagnostics(workspace.analyze(workspace.unitOf(tracked.path), tracked.path, options), tracked);
    }
    return out;
  };

  it('gives an edited file what a fresh analysis gives', () => {
    const uri = pathToFileURL(file).href;
    const at = text.indexOf('resource "aws_security_group"');
    // A comment typed above the security group, then a space: the bucket above is unchanged, the group's lines move.
    const texts = [text, `${text.slice(0, at)}# web tier\n${text.slice(at)}`, `${text.slice(0, at)}# web tier\n ${text.slice(at)}`];
    const [first, second, third] = texts.map((t, i) => TextDocument.create(uri, 'terraform', i + 1, t)) as [TextDocument, TextDocument, TextDocument];
    const edited = diagnosticsOf([first, second, third]);
    assert.deepEqual(edited, diagnosticsOf([third]));
    assert.ok(edited.length > 2, 'findings on the bucket and the group');
    const ingress = edited.find((d) => d.code === 'aws-ec2-sg-ingress-ssh-open' || /22|SSH/i.test(d.message));
    assert.ok(ingress, edited.map((d) => d.code).join(', '));
    assert.ok(ingress.range.start.line >= 6, `the group's finding moved down with it (line ${ingress.range.start.line})`);
    const bucket = edited.find((d) => (d.data as { resource: string }).resource === 'aws_s3_bucket.logs');
    assert.ok(bucket && bucket.range.start.line <= 2 && /\(customer-owned · \w+ layer\)$/.test(bucket.message), bucket?.message);
  });
});

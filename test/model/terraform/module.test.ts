/**
 * The Terraform lowering at its boundary, `lowerTerraformModule`: resources and their layout spans, nested and
 * dynamic blocks, variable precedence, local and remote modules, `.tf.json`, broken files and hostile input.
 */
import * as assert from 'assert';
import { lowerTerraformModule } from '../../../server/src/model/terraform/module';
import { Value } from '../../../server/src/model/types';
import { lower, resource, show, textOf, valueAt } from './helpers';

describe('model/terraform module', () => {
  describe('resources and blocks', () => {
    const main = `resource "aws_s3_bucket" "b" {
  bucket = "logs"
  count  = 2
  versioning {
    enabled = true
  }
  rule {
    id = "one"
  }
  rule {
    id = "two"
  }
  lifecycle {
    prevent_destroy = true
  }
}

data "aws_iam_policy_document" "p" {
  statement {
    actions = ["s3:GetObject"]
  }
}
`;
    const model = lower({ 'm/main.tf': main, 'm/README.md': '# not terraform' });
    const bucket = resource(model, 'aws_s3_bucket.b');

    const cases: { name: string; check: () => void }[] = [
      {
        name: 'reads only Terraform files',
        check: () => assert.deepStrictEqual(model.files.map((f) => [f.path, f.format]), [['m/main.tf', 'terraform']]),
      },
      {
        name: 'resource identity',
        check: () =>
          assert.deepStrictEqual(
            [bucket.format, bucket.kind, bucket.type, bucket.name, bucket.file, bucket.modulePath],
            ['terraform', 'resource', 'aws_s3_bucket', 'b', 'm/main.tf', []],
          ),
      },
      {
        name: 'data source address',
        check: () => {
          const data = resource(model, 'data.aws_iam_policy_document.p');
          assert.deepStrictEqual([data.kind, data.type, data.name], ['data', 'aws_iam_policy_document', 'p']);
        },
      },
      {
        name: 'resource span is the whole block',
        check: () => assert.ok(textOf(model, 'm/main.tf', bucket.span).startsWith('resource') && textOf(model, 'm/main.tf', bucket.span).endsWith('}')),
      },
      {
        name: 'header span is the first line',
        check: () => assert.strictEqual(textOf(model, 'm/main.tf', bucket.body.block!.headerSpan), 'resource "aws_s3_bucket" "b" {'),
      },
      {
        name: 'brace spans',
        check: () => {
          assert.strictEqual(textOf(model, 'm/main.tf', bucket.body.block!.openSpan), '{');
          assert.strictEqual(textOf(model, 'm/main.tf', bucket.body.block!.closeSpan), '}');
          assert.strictEqual(bucket.body.block!.closeSpan.end, bucket.span.end);
        },
      },
      {
        name: 'attribute entry spans',
        check: () => {
          const entry = Value.entry(bucket.body, 'bucket')!;
          assert.strictEqual(entry.isBlock, false);
          assert.strictEqual(textOf(model, 'm/main.tf', entry.keySpan), 'bucket');
          assert.strictEqual(textOf(model, 'm/main.tf', entry.span), 'bucket = "logs"');
          assert.strictEqual(textOf(model, 'm/main.tf', entry.value.span), '"logs"');
        },
      },
      {
        name: 'nested block entry',
        check: () => {
          const entry = Value.entry(bucket.body, 'versioning')!;
          assert.strictEqual(entry.isBlock, true);
          assert.strictEqual(textOf(model, 'm/main.tf', entry.keySpan), 'versioning');
          assert.ok(entry.value.kind === 'object');
          assert.strictEqual(textOf(model, 'm/main.tf', entry.value.block!.headerSpan), 'versioning {');
          assert.ok(textOf(model, 'm/main.tf', entry.span).endsWith('}'));
          assert.strictEqual(Value.isScalar(valueAt(bucket.body, 'versioning.enabled'), true), true);
        },
      },
      {
        name: 'repeated blocks are several entries',
        check: () => assert.deepStrictEqual(Value.entries(bucket.body, 'rule').map((e) => show(e.value)), [{ id: 'one' }, { id: 'two' }]),
      },
      {
        name: 'meta-arguments stay in the body',
        check: () => {
          assert.strictEqual(show(valueAt(bucket.body, 'count')), 2);
          assert.deepStrictEqual(show(valueAt(bucket.body, 'lifecycle')), { prevent_destroy: true });
        },
      },
      {
        name: 'entries keep source order',
        check: () => assert.deepStrictEqual(bucket.body.entries.map((e) => e.key), ['bucket', 'count', 'versioning', 'rule', 'rule', 'lifecycle']),
      },
    ];
    for (const c of cases) {
      it(c.name, c.check);
    }
  });

  describe('count and for_each', () => {
    it('lowers a counted resource once, with count.index unknown', () => {
      const model = lower({ 'm/main.tf': 'resource "t" "r" {\n  count = 3\n  name = "n-${count.index}"\n}\n' });
      assert.strictEqual(model.resources.length, 1);
      assert.strictEqual(show(valueAt(model.resources[0]!.body, 'name')), '? count.index');
    });
    it('lowers a for_each resource once, with each.* unknown', () => {
      const model = lower({ 'm/main.tf': 'resource "t" "r" {\n  for_each = toset(["a", "b"])\n  name = each.key\n}\n' });
      assert.strictEqual(model.resources.length, 1);
      assert.deepStrictEqual(show(valueAt(model.resources[0]!.body, 'for_each')), ['a', 'b']);
      assert.strictEqual(show(valueAt(model.resources[0]!.body, 'name')), '? each.key');
    });
  });

  describe('dynamic blocks', () => {
    const cases: { name: string; body: string; setup?: string; expected: unknown[] }[] = [
      {
        name: 'known list',
        body: 'dynamic "ingress" {\n    for_each = [80, 443]\n    content {\n      port = ingress.value\n      index = ingress.key\n    }\n  }',
        expected: [
          { port: 80, index: 0 },
          { port: 443, index: 1 },
        ],
      },
      {
        name: 'known map with iterator',
        body: 'dynamic "tag" {\n    for_each = { b = "2", a = "1" }\n    iterator = t\n    content {\n      key = t.key\n      value = t.value\n    }\n  }',
        expected: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      },
      {
        name: 'known list from a variable',
        setup: 'variable "rules" {\n  default = [{ cidr = "0.0.0.0/0" }]\n}\n',
        body: 'dynamic "ingress" {\n    for_each = var.rules\n    content {\n      cidr_blocks = [ingress.value.cidr]\n      protocol = "tcp"\n    }\n  }',
        expected: [{ cidr_blocks: ['0.0.0.0/0'], protocol: 'tcp' }],
      },
      {
        name: 'known set',
        body: 'dynamic "grant" {\n    for_each = toset(["write", "read"])\n    content {\n      permission = grant.key\n    }\n  }',
        expected: [{ permission: 'read' }, { permission: 'write' }],
      },
      {
        name: 'empty collection',
        body: 'dynamic "ingress" {\n    for_each = []\n    content {\n      port = 1\n    }\n  }',
        expected: [],
      },
      {
        name: 'unknown for_each',
        setup: 'variable "rules" {}\n',
        body: 'dynamic "ingress" {\n    for_each = var.rules\n    content {\n      port = ingress.value.port\n      protocol = "tcp"\n    }\n  }',
        expected: [{ port: '? var.rules', protocol: 'tcp' }],
      },
      {
        name: 'nested dynamic',
        body: 'dynamic "a" {\n    for_each = [[1, 2]]\n    content {\n      dynamic "b" {\n        for_each = a.value\n        content {\n          n = b.value\n        }\n      }\n    }\n  }',
        expected: [{ b: [{ n: 1 }, { n: 2 }] }],
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const main = `${c.setup ?? ''}resource "aws_security_group" "g" {\n  ${c.body}\n}\n`;
        const model = lower({ 'm/main.tf': main });
        const body = resource(model, 'aws_security_group.g').body;
        const key = /dynamic "(\w+)"/.exec(c.body)![1]!;
        const entries = Value.entries(body, key);
        assert.deepStrictEqual(
          entries.map((e) => show(e.value)),
          c.expected,
        );
        for (const e of entries) {
          assert.strictEqual(e.isBlock, true);
          assert.strictEqual(textOf(model, 'm/main.tf', e.keySpan), `"${key}"`);
          assert.ok(e.value.kind === 'object' && textOf(model, 'm/main.tf', e.value.block!.headerSpan) === `dynamic "${key}" {`);
        }
      });
    }
    it('generated values point at the content expressions', () => {
      const main = 'resource "aws_security_group" "g" {\n  dynamic "ingress" {\n    for_each = [80]\n    content {\n      port = ingress.value\n      protocol = "tcp"\n    }\n  }\n}\n';
      const model = lower({ 'm/main.tf': main });
      const ingress = Value.entry(resource(model, 'aws_security_group.g').body, 'ingress')!;
      assert.strictEqual(textOf(model, 'm/main.tf', valueAt(ingress.value, 'port').span), 'ingress.value');
      assert.strictEqual(textOf(model, 'm/main.tf', valueAt(ingress.value, 'protocol').span), '"tcp"');
      assert.strictEqual(valueAt(ingress.value, 'protocol').provenance, 'explicit');
    });
  });

  describe('value spans', () => {
    it('a value resolved through a variable points at its use', () => {
      const files = {
        'm/variables.tf': 'variable "name" {\n  default = { a = "x" }\n}\n',
        'm/main.tf': 'resource "t" "r" {\n  tags = var.name\n}\n',
      };
      const model = lower(files);
      const tags = valueAt(resource(model, 't.r').body, 'tags');
      assert.strictEqual(tags.file, 'm/main.tf');
      assert.strictEqual(textOf(model, 'm/main.tf', tags.span), 'var.name');
      const inner = valueAt(tags, 'a');
      assert.strictEqual(inner.file, 'm/main.tf');
      assert.strictEqual(textOf(model, 'm/main.tf', inner.span), 'var.name');
      assert.strictEqual(inner.provenance, 'resolved');
    });
    it('a literal object keeps the spans of its keys and values', () => {
      const model = lower({ 'm/main.tf': 'resource "t" "r" {\n  tags = { Name = "x" }\n}\n' });
      const tags = valueAt(resource(model, 't.r').body, 'tags');
      assert.ok(tags.kind === 'object');
      assert.strictEqual(textOf(model, 'm/main.tf', tags.entries[0]!.keySpan), 'Name');
      assert.strictEqual(textOf(model, 'm/main.tf', tags.entries[0]!.value.span), '"x"');
    });
  });

  describe('variable precedence', () => {
    const variable = 'variable "v" {\n  default = "default"\n}\nresource "t" "r" {\n  v = var.v\n}\n';
    const cases: { name: string; files: Record<string, string>; inputs?: Record<string, unknown>; expected: unknown }[] = [
      { name: 'default', files: {}, expected: 'default' },
      { name: 'terraform.tfvars over default', files: { 'm/terraform.tfvars': 'v = "tfvars"\n' }, expected: 'tfvars' },
      {
        name: 'terraform.tfvars.json over terraform.tfvars',
        files: { 'm/terraform.tfvars': 'v = "tfvars"\n', 'm/terraform.tfvars.json': '{"v": "tfvars-json"}' },
        expected: 'tfvars-json',
      },
      {
        name: 'auto.tfvars over terraform.tfvars.json',
        files: { 'm/terraform.tfvars.json': '{"v": "tfvars-json"}', 'm/a.auto.tfvars': 'v = "auto"\n' },
        expected: 'auto',
      },
      {
        name: 'auto files in lexical order',
        files: { 'm/b.auto.tfvars': 'v = "b"\n', 'm/a.auto.tfvars.json': '{"v": "a"}' },
        expected: 'b',
      },
      { name: 'inputs option over everything', files: { 'm/a.auto.tfvars': 'v = "auto"\n' }, inputs: { v: 'cli' }, expected: 'cli' },
      { name: 'other variables untouched', files: { 'm/terraform.tfvars': 'other = "x"\n' }, expected: 'default' },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const model = lower({ 'm/main.tf': variable, ...c.files }, 'm', c.inputs === undefined ? undefined : { inputs: c.inputs });
        assert.strictEqual(show(valueAt(resource(model, 't.r').body, 'v')), c.expected);
      });
    }
    it('tfvars files are listed with their diagnostics', () => {
      const model = lower({ 'm/main.tf': variable, 'm/terraform.tfvars': 'v = \n' });
      const tfvars = model.files.find((f) => f.path === 'm/terraform.tfvars');
      assert.ok(tfvars !== undefined && tfvars.diagnostics.length > 0);
    });
  });

  describe('modules', () => {
    const files = {
      'root/main.tf': `module "logs" {
  source = "./modules/bucket"
  name   = "logs"
  tags   = { env = var.env }
  kms    = aws_kms_key.k.arn
}

module "remote" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.0.0"
}

module "missing" {
  source = "../nowhere"
}

variable "env" {
  default = "prod"
}
`,
      'root/terraform.tfvars': 'env = "dev"\n',
      'root/modules/bucket/main.tf': `variable "name" {}
variable "tags" {}
variable "kms" {}
variable "versioning" {
  default = true
}

resource "aws_s3_bucket" "this" {
  bucket = "\${var.name}-bucket"
  tags   = var.tags
  key    = var.kms
  versioning {
    enabled = var.versioning
  }
}

module "inner" {
  source = "../inner"
  prefix = var.name
}
`,
      'root/modules/bucket/terraform.tfvars': 'versioning = false\n',
      'root/modules/inner/inner.tf.json': '{"variable": {"prefix": {}}, "resource": {"aws_sqs_queue": {"q": {"name": "${var.prefix}-q"}}}}',
    };
    const model = lower(files, 'root');

    it('lowers child resources with their module path', () => {
      const bucket = resource(model, 'aws_s3_bucket.this', ['logs']);
      assert.strictEqual(bucket.file, 'root/modules/bucket/main.tf');
      assert.deepStrictEqual(show(bucket.body), {
        bucket: 'logs-bucket',
        tags: { env: 'dev' },
        key: '? var.kms',
        versioning: { enabled: true },
      });
    });
    it('a child value points at its use in the child', () => {
      const bucket = resource(model, 'aws_s3_bucket.this', ['logs']);
      const tags = valueAt(bucket.body, 'tags');
      assert.strictEqual(tags.file, 'root/modules/bucket/main.tf');
      assert.strictEqual(textOf(model, tags.file, tags.span), 'var.tags');
    });
    it('unknown parts of inputs refer to the input variable', () => {
      const child = lower({
        'p/main.tf': 'module "c" {\n  source = "./c"\n  tags = { kms = aws_kms_key.k.arn, env = "x" }\n}\n',
        'p/c/main.tf': 'variable "tags" {}\nresource "t" "r" {\n  tags = var.tags\n}\n',
      }, 'p');
      assert.deepStrictEqual(show(valueAt(resource(child, 't.r', ['c']).body, 'tags')), { kms: '? var.tags', env: 'x' });
    });
    it('follows nested local modules', () => {
      const queue = resource(model, 'aws_sqs_queue.q', ['logs', 'inner']);
      assert.strictEqual(show(valueAt(queue.body, 'name')), 'logs-q');
    });
    it('lists the files of every module', () => {
      assert.deepStrictEqual(model.files.map((f) => f.path), [
        'root/main.tf',
        'root/terraform.tfvars',
        'root/modules/bucket/main.tf',
        'root/modules/inner/inner.tf.json',
      ]);
    });
    it('notes remote and missing modules', () => {
      assert.deepStrictEqual(
        model.notes.map((n) => [n.code, n.severity, n.message, textOf(model, n.file, n.span)]),
        [
          [
            'module-not-fetched',
            'info',
            'Module "remote" (source "terraform-aws-modules/s3-bucket/aws") is not fetched; its resources are not checked',
            '"terraform-aws-modules/s3-bucket/aws"',
          ],
          ['module-not-found', 'warning', 'Module "missing" (source "../nowhere") has no Terraform files; its resources are not checked', '"../nowhere"'],
        ],
      );
    });
    describe('downloaded by terraform init', () => {
      const manifest = JSON.stringify({
        Modules: [
          { Key: '', Source: '', Dir: '.' },
          { Key: 'site', Source: 'registry.terraform.io/acme/site/aws', Version: '1.0.0', Dir: '.terraform/modules/site' },
          { Key: 'site.logs', Source: './logs', Dir: '.terraform/modules/site/logs' },
        ],
      });
      const downloaded = lower(
        {
          'w/main.tf': 'module "site" {\n  source  = "acme/site/aws"\n  version = "1.0.0"\n  name    = "www"\n}\nmodule "absent" {\n  source = "acme/absent/aws"\n}\n',
          'w/.terraform/modules/modules.json': manifest,
          'w/.terraform/modules/site/main.tf':
            'variable "name" {}\nresource "aws_s3_bucket" "this" {\n  bucket = "${var.name}-site"\n}\nmodule "logs" {\n  source = "./logs"\n  prefix = var.name\n}\n',
          'w/.terraform/modules/site/logs/main.tf': 'variable "prefix" {}\nresource "aws_s3_bucket" "logs" {\n  bucket = "${var.prefix}-logs"\n}\n',
        },
        'w',
      );
      it('lowers a downloaded module from the folder the manifest names, with the call inputs', () => {
        const site = resource(downloaded, 'aws_s3_bucket.this', ['site']);
        assert.strictEqual(site.file, 'w/.terraform/modules/site/main.tf');
        assert.strictEqual(show(valueAt(site.body, 'bucket')), 'www-site');
        assert.strictEqual(textOf(downloaded, site.file, valueAt(site.body, 'bucket').span), '"${var.name}-site"');
      });
      it('follows local calls inside a downloaded module', () => {
        const logs = resource(downloaded, 'aws_s3_bucket.logs', ['site', 'logs']);
        assert.strictEqual(logs.file, 'w/.terraform/modules/site/logs/main.tf');
        assert.strictEqual(show(valueAt(logs.body, 'bucket')), 'www-logs');
      });
      it('notes a remote module the manifest does not list', () => {
        assert.deepStrictEqual(downloaded.notes.map((n) => [n.code, n.message]), [
          ['module-not-fetched', 'Module "absent" (source "acme/absent/aws") is not fetched; its resources are not checked'],
        ]);
      });
      const broken = [
        { name: 'invalid JSON', text: '{"Modules": [', message: /^The module manifest is not valid JSON \(.+\); downloaded modules are not checked$/ },
        { name: 'no Modules list', text: '{"modules": {}}', message: /^The module manifest has no "Modules" list; downloaded modules are not checked$/ },
      ];
      for (const c of broken) {
        it(`notes a manifest with ${c.name} at its file and checks the rest`, () => {
          const model = lower({ 'w/main.tf': 'module "site" {\n  source = "acme/site/aws"\n}\nresource "t" "r" {}\n', 'w/.terraform/modules/modules.json': c.text }, 'w');
          assert.deepStrictEqual(model.resources.map((r) => r.address), ['t.r']);
          const manifestNote = model.notes.find((n) => n.code === 'module-manifest-invalid');
          assert.strictEqual(manifestNote?.file, 'w/.terraform/modules/modules.json');
          assert.strictEqual(manifestNote?.severity, 'warning');
          assert.match(manifestNote?.message ?? '', c.message);
          assert.deepStrictEqual(model.notes.filter((n) => n !== manifestNote).map((n) => n.code), ['module-not-fetched']);
        });
      }
    });
    it('guards against module cycles', () => {
      const cyclic = lower({
        'a/main.tf': 'module "b" {\n  source = "../b"\n}\nresource "t" "a" {}\n',
        'b/main.tf': 'module "a" {\n  source = "../a"\n}\nresource "t" "b" {}\n',
      }, 'a');
      assert.deepStrictEqual(cyclic.resources.map((r) => [r.address, r.modulePath.join('.')]), [['t.a', ''], ['t.b', 'b']]);
      assert.deepStrictEqual(cyclic.notes.map((n) => n.code), ['module-cycle']);
    });
    it('stops at the module depth limit', () => {
      const deep: Record<string, string> = {};
      for (let i = 0; i < 5; i++) {
        deep[`d${i}/main.tf`] = `module "m${i + 1}" {\n  source = "../d${i + 1}"\n}\nresource "t" "r${i}" {}\n`;
      }
      deep['d5/main.tf'] = 'resource "t" "r5" {}\n';
      const limited = lower(deep, 'd0', { maxModuleDepth: 2 });
      assert.deepStrictEqual(limited.resources.map((r) => r.modulePath.length), [0, 1, 2]);
      assert.deepStrictEqual(limited.notes.map((n) => n.code), ['module-depth-limit']);
    });
    it('joins Windows-style folders with backslashes', () => {
      const fs = {
        readFile: (p: string) => ({ 'C:\\w\\main.tf': 'module "c" {\n  source = "./child"\n}\n', 'C:\\w\\child\\c.tf': 'resource "t" "c" {}\n' })[p],
        readDirectory: (p: string) =>
          p === 'C:\\w' ? [{ name: 'main.tf', isDirectory: false }, { name: 'child', isDirectory: true }] : p === 'C:\\w\\child' ? [{ name: 'c.tf', isDirectory: false }] : undefined,
      };
      const windows = lowerTerraformModule('C:\\w', fs);
      assert.deepStrictEqual(windows.files.map((f) => f.path), ['C:\\w\\main.tf', 'C:\\w\\child\\c.tf']);
      assert.strictEqual(windows.resources[0]?.file, 'C:\\w\\child\\c.tf');
    });
  });

  describe('.tf.json', () => {
    const json = `{
  "variable": { "name": { "default": "logs" } },
  "locals": { "suffix": "\${var.name}-x" },
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "bucket": "\${local.suffix}",
        "literal": "plain",
        "tags": { "Env": "prod" },
        "versioning": { "enabled": true },
        "rule": [{ "id": "one" }, { "id": "two" }],
        "dynamic": { "grant": { "for_each": ["r", "w"], "content": { "permission": "\${grant.value}" } } }
      }
    }
  },
  "data": { "aws_iam_policy_document": { "p": { "statement": { "actions": ["s3:*"] } } } }
}
`;
    const model = lower({ 'm/main.tf.json': json });
    const bucket = resource(model, 'aws_s3_bucket.b');

    it('lowers resources, blocks and templates', () => {
      assert.deepStrictEqual(show(bucket.body), {
        bucket: 'logs-x',
        literal: 'plain',
        tags: { Env: 'prod' },
        versioning: { enabled: true },
        rule: [{ id: 'one' }, { id: 'two' }],
        grant: [{ permission: 'r' }, { permission: 'w' }],
      });
      assert.strictEqual(Value.entry(bucket.body, 'versioning')?.isBlock, true);
      assert.strictEqual(Value.entry(bucket.body, 'tags')?.isBlock, false);
      assert.deepStrictEqual(show(resource(model, 'data.aws_iam_policy_document.p').body), { statement: { actions: ['s3:*'] } });
    });
    it('spans come from the JSON nodes', () => {
      const file = 'm/main.tf.json';
      assert.strictEqual(textOf(model, file, bucket.body.block!.headerSpan), '"b": {');
      const entry = Value.entry(bucket.body, 'literal')!;
      assert.strictEqual(textOf(model, file, entry.keySpan), '"literal"');
      assert.strictEqual(textOf(model, file, entry.span), '"literal": "plain"');
      assert.strictEqual(textOf(model, file, entry.value.span), '"plain"');
      assert.strictEqual(entry.value.provenance, 'explicit');
      assert.strictEqual(textOf(model, file, valueAt(bucket.body, 'bucket').span), '"${local.suffix}"');
      const versioning = Value.entry(bucket.body, 'versioning')!.value;
      assert.ok(versioning.kind === 'object');
      assert.strictEqual(textOf(model, file, versioning.block!.headerSpan), '"versioning": {');
    });
    it('reports JSON syntax errors and keeps what parsed', () => {
      const broken = lower({ 'm/main.tf.json': '{"resource": {"t": {"a": {"x": 1}}, "u": {"b": {"y": }}}' });
      assert.ok(broken.files[0]!.diagnostics.length > 0);
      assert.ok(broken.files[0]!.diagnostics.every((d) => d.code === 'json-syntax' && d.file === 'm/main.tf.json'));
      assert.deepStrictEqual(show(resource(broken, 't.a').body), { x: 1 });
    });
    const forms: { name: string; json: string; address: string; expected: unknown }[] = [
      {
        name: 'resources as an array of objects',
        json: '{"resource": [{"t": {"a": {"x": 1}}}, {"t": {"b": {"x": 2}}}]}',
        address: 't.b',
        expected: { x: 2 },
      },
      {
        name: 'locals as an array of objects',
        json: '{"locals": [{"a": "A"}, {"b": "${local.a}-B"}], "resource": {"t": {"r": {"v": "${local.b}"}}}}',
        address: 't.r',
        expected: { v: 'A-B' },
      },
      {
        name: 'comment properties are ignored',
        json: '{"//": "generated", "resource": {"t": {"r": {"//": "note", "v": 1}}}}',
        address: 't.r',
        expected: { v: 1 },
      },
      {
        name: 'a template in a string with escapes',
        json: '{"variable": {"x": {"default": "b"}}, "resource": {"t": {"r": {"v": "a\\"${var.x}"}}}}',
        address: 't.r',
        expected: { v: 'a"b' },
      },
      {
        name: 'variable defaults are literal',
        json: '{"variable": {"x": {"default": "${upper(1)}"}}, "resource": {"t": {"r": {"v": "${var.x}"}}}}',
        address: 't.r',
        expected: { v: '${upper(1)}' },
      },
      {
        name: 'variable type converts',
        json: '{"variable": {"x": {"type": "bool", "default": "true"}}, "resource": {"t": {"r": {"v": "${var.x}"}}}}',
        address: 't.r',
        expected: { v: true },
      },
      {
        name: 'JSON values of every kind',
        json: '{"resource": {"t": {"r": {"s": "x", "n": 1.5, "b": false, "z": null, "l": ["a", 1], "tags": {"k": "${1 + 1}"}}}}}',
        address: 't.r',
        expected: { s: 'x', n: 1.5, b: false, z: null, l: ['a', 1], tags: { k: 2 } },
      },
      {
        name: 'dynamic blocks with an iterator',
        json: '{"resource": {"t": {"r": {"dynamic": {"rule": {"for_each": {"a": 1}, "iterator": "it", "content": {"k": "${it.key}", "v": "${it.value}"}}}}}}}',
        address: 't.r',
        expected: { rule: { k: 'a', v: 1 } },
      },
      {
        name: 'unknown references in templates',
        json: '{"resource": {"t": {"r": {"kms": "${aws_kms_key.k.arn}", "name": "x-${var.nope}"}}}}',
        address: 't.r',
        expected: { kms: '? aws_kms_key.k.arn', name: '? var.nope' },
      },
    ];
    for (const c of forms) {
      it(c.name, () => {
        const model = lower({ 'm/main.tf.json': c.json });
        assert.deepStrictEqual(model.files[0]!.diagnostics, []);
        assert.deepStrictEqual(show(resource(model, c.address).body), c.expected);
      });
    }
    it('template syntax errors in JSON strings are diagnostics', () => {
      const model = lower({ 'm/main.tf.json': '{"resource": {"t": {"r": {"v": "${"}}}}' });
      assert.ok(model.files[0]!.diagnostics.length > 0);
      assert.strictEqual(resource(model, 't.r').body.entries[0]!.value.kind, 'unknown');
    });
    it('local module calls in JSON', () => {
      const model = lower({
        'm/main.tf.json': '{"module": {"c": {"source": "./child", "name": "${upper(\\"n\\")}"}}}',
        'm/child/main.tf': 'variable "name" {}\nresource "t" "r" {\n  v = var.name\n}\n',
      });
      assert.strictEqual(show(valueAt(resource(model, 't.r', ['c']).body, 'v')), 'N');
    });
    it('mixes .tf and .tf.json files of one folder', () => {
      const mixed = lower({
        'm/vars.tf.json': '{"variable": {"v": {"default": "from-json"}}}',
        'm/main.tf': 'resource "t" "r" {\n  v = var.v\n}\n',
      });
      assert.strictEqual(show(valueAt(resource(mixed, 't.r').body, 'v')), 'from-json');
    });
  });

  describe('override files', () => {
    const files = {
      'm/main.tf': `variable "v" {
  default = "primary"
}
locals {
  l = "primary"
}
module "c" {
  source = "./one"
}
resource "aws_s3_bucket" "b" {
  bucket = "logs"
  acl    = "public-read"
  v      = var.v
  l      = local.l
  versioning {
    enabled = false
  }
  rule {
    id = "a"
  }
}
`,
      'm/override.tf': `variable "v" {
  default = "override"
}
locals {
  l = "override"
}
module "c" {
  source = "./two"
}
resource "aws_s3_bucket" "b" {
  acl = "private"
  versioning {
    enabled = true
  }
  logging {
    target_bucket = "x"
  }
}
`,
      'm/one/main.tf': 'resource "t" "one" {}\n',
      'm/two/main.tf': 'resource "t" "two" {}\n',
    };
    const model = lower(files);
    const bucket = resource(model, 'aws_s3_bucket.b');

    it('does not duplicate overridden resources', () => {
      assert.deepStrictEqual(model.resources.map((r) => r.address), ['aws_s3_bucket.b', 't.two']);
    });
    it('applies overridden variables and locals', () => {
      assert.strictEqual(show(valueAt(bucket.body, 'v')), 'override');
      assert.strictEqual(show(valueAt(bucket.body, 'l')), 'override');
    });
    it('marks overridden attributes and blocks unknown', () => {
      assert.deepStrictEqual(show(bucket.body), {
        bucket: 'logs',
        acl: '?',
        v: 'override',
        l: 'override',
        rule: { id: 'a' },
        versioning: '?',
        logging: '?',
      });
      const acl = Value.entry(bucket.body, 'acl')!;
      assert.strictEqual(textOf(model, 'm/main.tf', acl.value.span), '"public-read"');
      const logging = Value.entry(bucket.body, 'logging')!;
      assert.strictEqual(logging.isBlock, true);
      assert.strictEqual(textOf(model, 'm/main.tf', logging.keySpan), 'resource "aws_s3_bucket" "b" {');
    });
  });

  describe('broken and hostile input', () => {
    it('a broken file still yields the resources that parsed', () => {
      const model = lower({
        'm/main.tf': 'resource "t" "good" {\n  a = 1\n}\n\nresource "t" "bad" {\n  b = \n',
        'm/other.tf': 'resource "t" "other" {\n  c = "x"\n}\n',
      });
      assert.deepStrictEqual(show(resource(model, 't.good').body), { a: 1 });
      assert.deepStrictEqual(show(resource(model, 't.other').body), { c: 'x' });
      const diagnostics = model.files.find((f) => f.path === 'm/main.tf')!.diagnostics;
      assert.ok(diagnostics.length > 0);
      assert.ok(diagnostics.every((d) => d.file === 'm/main.tf' && typeof d.code === 'string' && d.message.length > 0));
    });
    it('an unreadable file becomes a diagnostic', () => {
      const fs = {
        readFile: (p: string) => (p === 'm/a.tf' ? 'resource "t" "a" {}\n' : undefined),
        readDirectory: () => [
          { name: 'a.tf', isDirectory: false },
          { name: 'b.tf', isDirectory: false },
        ],
      };
      const model = lowerTerraformModule('m', fs);
      assert.deepStrictEqual(model.resources.map((r) => r.address), ['t.a']);
      assert.deepStrictEqual(model.files[1]!.diagnostics.map((d) => d.code), ['unreadable-file']);
    });
    it('an unreadable root folder is a note', () => {
      const model = lowerTerraformModule('nowhere', { readFile: () => undefined, readDirectory: () => undefined });
      assert.deepStrictEqual([model.files, model.resources, model.notes.map((n) => n.code)], [[], [], ['unreadable-folder']]);
    });
    it('a file system that throws does not make the lowering throw', () => {
      const fs = {
        readFile: (): string => {
          throw new Error('EACCES');
        },
        readDirectory: () => [{ name: 'a.tf', isDirectory: false }],
      };
      assert.deepStrictEqual(lowerTerraformModule('m', fs).files[0]!.diagnostics.map((d) => d.code), ['unreadable-file']);
    });

    const depth = 3000;
    const hostile: { name: string; files: Record<string, string> }[] = [
      { name: 'deeply nested tuples', files: { 'm/main.tf': `resource "t" "r" {\n  v = ${'['.repeat(depth)}${']'.repeat(depth)}\n}\n` } },
      { name: 'deeply nested parentheses', files: { 'm/main.tf': `resource "t" "r" {\n  v = ${'('.repeat(depth)}1${')'.repeat(depth)}\n}\n` } },
      { name: 'deeply nested blocks', files: { 'm/main.tf': `resource "t" "r" {\n${'b {\n'.repeat(depth)}${'}\n'.repeat(depth)}}\n` } },
      { name: 'deeply nested JSON', files: { 'm/main.tf.json': `{"resource": {"t": {"r": {"v": ${'['.repeat(depth * 10)}${']'.repeat(depth * 10)}}}}}` } },
      {
        name: 'long chain of locals',
        files: {
          'm/main.tf': `locals {\n${Array.from({ length: depth }, (_, i) => `  l${i} = local.l${i + 1}\n`).join('')}  l${depth} = "end"\n}\nresource "t" "r" {\n  v = local.l0\n}\n`,
        },
      },
      {
        name: 'exponentially growing locals',
        files: {
          'm/main.tf': `locals {\n  l0 = ["x", "x"]\n${Array.from({ length: 60 }, (_, i) => `  l${i + 1} = concat(local.l${i}, local.l${i})\n`).join('')}  s0 = "xx"\n${Array.from({ length: 60 }, (_, i) => `  s${i + 1} = "\${local.s${i}}\${local.s${i}}"\n`).join('')}}\nresource "t" "r" {\n  v = local.l60\n  s = local.s60\n  j = jsonencode(local.l60)\n}\n`,
        },
      },
      { name: 'self-referencing locals', files: { 'm/main.tf': 'locals {\n  a = local.a\n  b = "${local.c}"\n  c = [local.b]\n}\nresource "t" "r" {\n  v = [local.a, local.b, local.c]\n}\n' } },
      { name: 'a long traversal', files: { 'm/main.tf': `resource "t" "r" {\n  v = var.x${'.a'.repeat(depth * 30)}\n}\n` } },
      { name: 'a long operator chain', files: { 'm/main.tf': `resource "t" "r" {\n  v = 1${' + 1'.repeat(depth * 30)}\n}\n` } },
      { name: 'nested function calls', files: { 'm/main.tf': `resource "t" "r" {\n  v = ${'lower('.repeat(depth)}"A"${')'.repeat(depth)}\n}\n` } },
      { name: 'a module calling itself', files: { 'm/main.tf': 'module "self" {\n  source = "./"\n}\nresource "t" "r" {}\n' } },
      { name: 'large for expression', files: { 'm/main.tf': 'resource "t" "r" {\n  v = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\n' } },
    ];
    for (const c of hostile) {
      it(`terminates on ${c.name}`, () => {
        const started = Date.now();
        const model = lower(c.files);
        assert.ok(Date.now() - started < 10_000, 'finishes quickly');
        assert.ok(model.resources.length <= 1 || c.name.includes('module'));
        JSON.stringify(model); // The model is a finite tree.
      });
    }
  });
});

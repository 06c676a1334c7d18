/**
 * Fixes that move a secret written in the configuration into a new sensitive input (`fix.moveToSecretInput`): a
 * Terraform variable with `sensitive = true` after the resource, a CloudFormation `NoEcho` parameter in the template's
 * `Parameters` (created before `Resources` when there is none), YAML block and flow style and JSON. Each case asserts
 * the exact fixed text, that it re-parses, that the rule no longer fires, and that a second fix-all changes nothing;
 * and the cases where no fix may be offered (a value that is already a reference, an interpolation, a value from a
 * variable's default, a block scalar, a resource inside a child module) or the input must take another name.
 */
import * as assert from 'node:assert/strict';
import { analyzeUnitOf } from '../../server/src/engine/analyze';
import { buildRuleSet } from '../../server/src/engine/loadRules';
import type { RuleSet } from '../../server/src/engine/ruleSet';
import { fixHarness } from '../support/fixHarness';
import { memoryFileSystem } from '../support/memoryFileSystem';

/** A rule that flags a literal Amplify access token (and OAuth token) and moves it into a new sensitive input. */
const ruleSet: RuleSet = (() => {
  const yaml = `id: aws-amplify-test-secret
title: A test rule for secrets moved into inputs
severity: high
owner: customer
layer: identity
service: aws/amplify
concept: test
why: A test rule that exercises secret input fixes.
remediation: Supply the token at deployment.
sources: [https://example.com/docs]
references: {}
message: Token is written in the configuration
match:
  terraform:
    - resources: [aws_amplify_app]
      when:
        any:
          - { path: access_token, matches: "." }
          - { path: oauth_token, matches: "." }
      fix:
        title: Move the token to a new sensitive variable
        moveToSecretInput: { description: "Token of {resource}" }
  cloudformation:
    - resources: [AWS::Amplify::App]
      when:
        all:
          - { path: AccessToken, matches: "." }
          - { path: AccessToken, notMatches: "^\\\\{\\\\{resolve:" }
      fix:
        title: Move the token to a new NoEcho parameter
        moveToSecretInput: { description: "Token of {resource}" }
`;
  const result = buildRuleSet([{ folder: 'aws/amplify/aws-amplify-test-secret', yaml, check: undefined }], []);
  assert.deepEqual(result.errors, []);
  return result.ruleSet;
})();

const { findingsOf, fixed, assertFixes } = fixHarness(ruleSet);

describe('engine: fixes that move a secret into a new sensitive input', () => {
  it('Terraform: the literal becomes a reference to a new sensitive variable declared after the resource', () => {
    const input = `resource "aws_amplify_app" "storefront" {
  name         = "storefront"
  access_token = "ghp_example"
}
`;
    const [finding] = findingsOf('/m/main.tf', input);
    assert.equal(finding?.fix?.title, 'Move the token to a new sensitive variable');
    assert.equal(finding?.fix?.isSafe, false);
    assertFixes(
      '/m/main.tf',
      input,
      `resource "aws_amplify_app" "storefront" {
  name         = "storefront"
  access_token = var.storefront_access_token
}

variable "storefront_access_token" {
  description = "Token of aws_amplify_app.storefront"
  type        = string
  sensitive   = true
}
`,
    );
  });

  it('Terraform: two secrets of one resource get two variables, each named after its setting', () => {
    const input = `resource "aws_amplify_app" "storefront" {
  access_token = "ghp_example"
  oauth_token  = "oauth-example"
}
`;
    const once = fixed('/m/main.tf', input);
    assert.match(once.text, /access_token = var\.storefront_access_token\n/);
    assert.match(once.text, /oauth_token {2}= var\.storefront_oauth_token\n/);
    assert.match(once.text, /variable "storefront_access_token" \{/);
    assert.match(once.text, /variable "storefront_oauth_token" \{/);
    assert.deepEqual(once.remaining, []);
    assert.doesNotMatch(once.text, /example/);
  });

  it('Terraform: takes the next free name when a variable of that name is declared in the module (variables.tf)', () => {
    const input = `resource "aws_amplify_app" "storefront" {
  access_token = "ghp_example"
}
`;
    const extra = {
      '/m/variables.tf': 'variable "storefront_access_token" {}\nvariable storefront_access_token_2 {\n  type = string\n}\n',
    };
    const once = fixed('/m/main.tf', input, extra);
    assert.match(once.text, /access_token = var\.storefront_access_token_3\n/);
    assert.match(once.text, /variable "storefront_access_token_3" \{/);
    // A variable of that name in another folder (another module) does not take it.
    const other = fixed('/m/main.tf', input, { '/elsewhere/variables.tf': 'variable "storefront_access_token" {}\n' });
    assert.match(other.text, /variable "storefront_access_token" \{/);
  });

  it('Terraform: a resource in a loop gets the fix (the literal is one value for every instance)', () => {
    const input = `resource "aws_amplify_app" "apps" {
  count        = 2
  access_token = "ghp_example"
}
`;
    assert.match(fixed('/m/main.tf', input).text, /access_token = var\.apps_access_token\n/);
  });

  it('Terraform: no fix where the secret is not one literal written in place', () => {
    const input = `variable "token" {
  default = "ghp_from_default"
}

locals {
  prefix = "ghp"
}

resource "aws_amplify_app" "from_default" {
  access_token = var.token
}

resource "aws_amplify_app" "interpolated" {
  access_token = "\${local.prefix}_example"
}

resource "aws_amplify_app" "heredoc" {
  access_token = <<EOT
ghp_example
EOT
}

resource "aws_amplify_app" "escaped" {
  access_token = "ghp_$\${literal}"
}
`;
    const findings = findingsOf('/m/main.tf', input);
    assert.equal(findings.length, 4);
    assert.deepEqual(
      findings.map((f) => f.fix),
      [undefined, undefined, undefined, undefined],
    );
  });

  it('Terraform: no fix for a resource of a child module (its callers would have to pass the new variable)', () => {
    const root = `module "app" {
  source = "./app"
}
`;
    const child = `resource "aws_amplify_app" "storefront" {
  access_token = "ghp_example"
}
`;
    const analysis = analyzeUnitOf('/m/main.tf', memoryFileSystem({ '/m/main.tf': root, '/m/app/main.tf': child }), {
      rules: ruleSet,
      today: '2026-06-01',
    });
    const inModule = analysis.findings.filter((f) => f.file.endsWith('app/main.tf'));
    assert.equal(inModule.length, 1);
    assert.equal(inModule[0]!.fix, undefined);
  });

  it('CloudFormation YAML: creates Parameters before Resources (above its comment) and refers to the new parameter', () => {
    const input = `AWSTemplateFormatVersion: "2010-09-09"
# The app.
Resources:
  Storefront:
    Type: AWS::Amplify::App
    Properties:
      Name: storefront
      AccessToken: ghp_example
`;
    assertFixes(
      '/t/app.yaml',
      input,
      `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  StorefrontAccessToken:
    Type: String
    NoEcho: true
    Description: Token of Storefront
# The app.
Resources:
  Storefront:
    Type: AWS::Amplify::App
    Properties:
      Name: storefront
      AccessToken: !Ref StorefrontAccessToken
`,
    );
  });

  it('CloudFormation YAML: appends to existing Parameters in the file indentation, a quoted value, the name numbered', () => {
    const input = `Parameters:
    Env:
        Type: String
Resources:
    Storefront:
        Type: AWS::Amplify::App
        Properties:
            AccessToken: "ghp_example"
    StorefrontAccessToken:
        Type: AWS::SSM::Parameter
        Properties:
            Type: String
            Value: x
`;
    assertFixes(
      '/t/app.yaml',
      input,
      `Parameters:
    Env:
        Type: String
    StorefrontAccessToken2:
        Type: String
        NoEcho: true
        Description: Token of Storefront
Resources:
    Storefront:
        Type: AWS::Amplify::App
        Properties:
            AccessToken: !Ref StorefrontAccessToken2
    StorefrontAccessToken:
        Type: AWS::SSM::Parameter
        Properties:
            Type: String
            Value: x
`,
    );
  });

  it('CloudFormation YAML flow style: the properties and the Parameters mapping keep their style', () => {
    const input = `Parameters: {}
Resources:
  Storefront:
    Type: AWS::Amplify::App
    Properties: { Name: storefront, AccessToken: ghp_example }
`;
    assertFixes(
      '/t/app.yaml',
      input,
      `Parameters: { StorefrontAccessToken: { Type: String, NoEcho: true, Description: Token of Storefront } }
Resources:
  Storefront:
    Type: AWS::Amplify::App
    Properties: { Name: storefront, AccessToken: !Ref StorefrontAccessToken }
`,
    );
  });

  it('CloudFormation YAML: no fix for an intrinsic function, a dynamic reference or a block scalar', () => {
    const input = `Parameters:
  Token:
    Type: String
    Default: ghp_default
Resources:
  FromParameter:
    Type: AWS::Amplify::App
    Properties:
      AccessToken: !Ref Token
  Substituted:
    Type: AWS::Amplify::App
    Properties:
      AccessToken: !Sub "ghp_example"
  Block:
    Type: AWS::Amplify::App
    Properties:
      AccessToken: |
        ghp_example
  Resolved:
    Type: AWS::Amplify::App
    Properties:
      AccessToken: "{{resolve:secretsmanager:token}}"
`;
    const findings = findingsOf('/t/app.yaml', input);
    assert.ok(findings.length >= 2, 'the parameter default and the block scalar are reported');
    assert.deepEqual(
      findings.filter((f) => f.fix !== undefined).map((f) => f.ruleId),
      [],
    );
  });

  it('CloudFormation JSON: adds Parameters before Resources, and appends to existing Parameters', () => {
    const input = `{
  "Resources": {
    "Storefront": {
      "Type": "AWS::Amplify::App",
      "Properties": {
        "AccessToken": "ghp_example"
      }
    }
  }
}
`;
    assertFixes(
      '/t/app.json',
      input,
      `{
  "Parameters": {
    "StorefrontAccessToken": {
      "Type": "String",
      "NoEcho": true,
      "Description": "Token of Storefront"
    }
  },
  "Resources": {
    "Storefront": {
      "Type": "AWS::Amplify::App",
      "Properties": {
        "AccessToken": { "Ref": "StorefrontAccessToken" }
      }
    }
  }
}
`,
    );
    const withParameters = `{
    "Parameters": {
        "Env": { "Type": "String" }
    },
    "Resources": {
        "Storefront": {
            "Type": "AWS::Amplify::App",
            "Properties": { "AccessToken": "ghp_example" }
        }
    }
}
`;
    assertFixes(
      '/t/app.json',
      withParameters,
      `{
    "Parameters": {
        "Env": { "Type": "String" },
        "StorefrontAccessToken": {
            "Type": "String",
            "NoEcho": true,
            "Description": "Token of Storefront"
        }
    },
    "Resources": {
        "Storefront": {
            "Type": "AWS::Amplify::App",
            "Properties": { "AccessToken": { "Ref": "StorefrontAccessToken" } }
        }
    }
}
`,
    );
  });
});

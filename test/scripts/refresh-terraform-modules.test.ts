import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defaultTerraformDir,
  deriveTerraformModules,
  moduleOutputs,
  moduleVariables,
  terraformModulesFile,
  terraformModulesJson,
} from '../../scripts/refresh-terraform-modules';
import type { TerraformModulesData } from '../../verify/terraform-modules';

const committed = JSON.parse(readFileSync(terraformModulesFile, 'utf8')) as TerraformModulesData;

// Derivation rules and data must not drift apart: the committed file is exactly what the script writes.
describe(`data/terraform-modules.json against scripts/refresh-terraform-modules.ts run on ${defaultTerraformDir}`, () => {
  if (!existsSync(defaultTerraformDir)) {
    test.skip(`skipped: ${defaultTerraformDir} is absent in this checkout, so there is nothing to derive from`, () => {});
    return;
  }

  test('the committed file is what the script derives', () => {
    expect(readFileSync(terraformModulesFile, 'utf8')).toBe(terraformModulesJson(defaultTerraformDir));
  });

  // Counting the blocks by their first line is independent of the scanner, so a block it swallowed shows here.
  const folders: Record<string, string> = {
    'terraform-aws-modules/vpc/aws': 'vpc-6.6.0',
    'terraform-aws-modules/eks/aws': 'eks-21.19.0',
    'terraform-aws-modules/eks-pod-identity/aws': 'eks-pod-identity-2.8.1',
    'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts': 'iam-6.5.0/modules/iam-role-for-service-accounts',
    'terraform-aws-modules/iam/aws//modules/iam-role': 'iam-6.5.0/modules/iam-role',
  };
  test.each(Object.entries(folders))('%s: every variable and output block of %s is in the data', (source, folder) => {
    // GIVEN the module's files
    const blocksOpened = (file: string, blockType: string) =>
      readFileSync(join(defaultTerraformDir, folder, file), 'utf8').match(new RegExp(`^${blockType} "`, 'gm'))?.length ?? 0;
    // WHEN the data is read
    const pinned = committed.modules[source];
    // THEN it has one entry per block
    expect(Object.keys(pinned.variables)).toHaveLength(blocksOpened('variables.tf', 'variable'));
    expect(pinned.outputs).toHaveLength(blocksOpened('outputs.tf', 'output'));
  });
});

describe('the committed data', () => {
  test('pins the five module sources at the versions the project renders', () => {
    expect(committed.generatedBy).toBe('scripts/refresh-terraform-modules.ts');
    expect(Object.fromEntries(Object.entries(committed.modules).map(([source, pinned]) => [source, pinned.version]))).toEqual({
      'terraform-aws-modules/vpc/aws': '6.6.0',
      'terraform-aws-modules/eks/aws': '21.19.0',
      'terraform-aws-modules/eks-pod-identity/aws': '2.8.1',
      'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts': '6.5.0',
      'terraform-aws-modules/iam/aws//modules/iam-role': '6.5.0',
    });
  });

  test('holds the v21 eks names and the types the renderer relies on', () => {
    const eks = committed.modules['terraform-aws-modules/eks/aws'];
    expect(eks.variables.kubernetes_version).toEqual({ type: 'string', required: false });
    expect(eks.variables.cluster_name).toBeUndefined();
    expect(eks.variables.eks_managed_node_groups.type).toMatch(/^map\(object\(\{ create = optional\(bool\), kubernetes_version = optional\(string\), name = optional\(string\),/);
    expect(eks.outputs).toContain('oidc_provider_arn');
    expect(committed.modules['terraform-aws-modules/eks-pod-identity/aws'].variables.use_name_prefix.type).toBe('string');
  });
});

describe('moduleVariables', () => {
  test('reads a multi-line object type into one line, commas for newlines and comments dropped', () => {
    // GIVEN a nested object type spread over lines, with comments of all three kinds
    const source = `
variable "node_groups" {
  description = "Map of node groups"
  type = map(object({
    name = optional(string) # falls back to the map key
    // sizes
    min_size = optional(number)
    taints = optional(map(object({
      key    = string
      effect = string /* NO_SCHEDULE and others */
    })))
  }))
  default = null
}`;
    // WHEN it is read
    const variables = moduleVariables(source, 'variables.tf');
    // THEN the type is one line, as parseType reads it
    expect(variables.node_groups).toEqual({
      type: 'map(object({ name = optional(string), min_size = optional(number), taints = optional(map(object({ key = string, effect = string }))) }))',
      required: false,
    });
  });

  test('keeps the defaults of optional attributes, strings, lists and maps included', () => {
    const source = `
variable "entries" {
  type = map(object({
    type   = optional(string, "STANDARD")
    tags   = optional(map(string), {})
    scopes = optional(list(string), ["secrets", "a,b"])
    limits = optional(object({ max = number }), { max = -1 })
  }))
}`;
    expect(moduleVariables(source, 'variables.tf').entries.type).toBe(
      'map(object({ type = optional(string, "STANDARD"), tags = optional(map(string), {}), scopes = optional(list(string), ["secrets", "a,b"]), limits = optional(object({ max = number }), { max = -1 }) }))',
    );
  });

  test('calls a variable required only when it has no default, null being a default', () => {
    const source = `
variable "with_null_default" {
  type    = string
  default = null
}
variable "without_default" {
  type = string
}`;
    expect(moduleVariables(source, 'variables.tf')).toEqual({
      with_null_default: { type: 'string', required: false },
      without_default: { type: 'string', required: true },
    });
  });

  test('gives a variable without a type the type any', () => {
    expect(moduleVariables('variable "anything" {}\n', 'variables.tf')).toEqual({ anything: { type: 'any', required: true } });
  });

  test('is not misled by braces, quotes and block openers inside heredocs', () => {
    // GIVEN heredocs in a description and a default, one indented, holding what looks like HCL
    const source = `
variable "policy" {
  description = <<EOT
A policy; write it as
variable "not_a_variable" {
  type = "}"
EOT
  type    = string
  default = <<-JSON
    { "Statement": [ { "Effect": "Allow" } ] }
    JSON
}
variable "after" {
  type = bool
}`;
    // WHEN it is read THEN both variables, and only they, are found with their types
    expect(moduleVariables(source, 'variables.tf')).toEqual({
      policy: { type: 'string', required: false },
      after: { type: 'bool', required: true },
    });
  });

  test('is not misled by comments and strings that hold braces, comment markers or templates', () => {
    const source = `
/* variable "commented_out" {
  type = string
} */
# variable "also_commented" { }
variable "arns" {
  description = "Matches arn:aws:iam::*:role/* and // is not a comment here # nor this"
  type        = list(string)
  default     = ["\${format("%s}", var.x)}", "}", "\\"{"]
}
variable "checked" {
  type = string
  validation {
    condition     = contains(["a", "b"], var.checked) && length(var.checked) >= 1
    error_message = "Must be a or b."
  }
  nullable = false
}`;
    expect(moduleVariables(source, 'variables.tf')).toEqual({
      arns: { type: 'list(string)', required: false },
      checked: { type: 'string', required: true },
    });
  });

  test('says where when a heredoc is never closed', () => {
    const source = 'variable "x" {\n  description = <<EOT\nno end\n}\n';
    expect(() => moduleVariables(source, 'variables.tf')).toThrow('variables.tf:2: the heredoc <<EOT is never closed by a line holding EOT.');
  });

  test('says where when a quoted string runs past its line', () => {
    const source = 'variable "x" {\n  type = string\n  description = "no end\n}\n';
    expect(() => moduleVariables(source, 'variables.tf')).toThrow('variables.tf:3: a quoted string runs past the end of its line.');
  });

  test('says where when a bracket is never closed', () => {
    const source = 'variable "x" {\n  type = map(object({\n    a = string\n  })\n}\n';
    expect(() => moduleVariables(source, 'variables.tf')).toThrow(/^variables\.tf:5: \} does not close \(\.$/);
  });

  test('refuses a type the checks cannot read, naming the variable', () => {
    const source = 'variable "x" {\n  type = strnig\n}\n';
    expect(() => moduleVariables(source, 'variables.tf')).toThrow(/^variables\.tf:2: variable "x" has a type the checks cannot read\. .*strnig is not a Terraform type/);
  });

  test('refuses a variable declared twice', () => {
    expect(() => moduleVariables('variable "x" {}\nvariable "x" {}\n', 'variables.tf')).toThrow('variables.tf:2: variable "x" is declared twice.');
  });
});

describe('moduleOutputs', () => {
  test('lists the outputs in their order, past locals and multi-line values', () => {
    const source = `
locals {
  ids = aws_subnet.private[*].id
}
output "vpc_id" {
  description = "The ID of the VPC"
  value       = try(aws_vpc.this[0].id, null)
}
output "subnets" {
  value = {
    for k, v in aws_subnet.this : k => v.id
  }
}`;
    expect(moduleOutputs(source, 'outputs.tf')).toEqual(['vpc_id', 'subnets']);
  });
});

describe('deriveTerraformModules', () => {
  test('takes versions from folder names and gives each iam submodule its own source', () => {
    // GIVEN a folder with the four modules, each declaring one variable and output
    const dir = mkdtempSync(join(tmpdir(), 'terraform-modules-'));
    for (const folder of ['vpc-6.7.0', 'eks-21.20.0', 'eks-pod-identity-2.9.0', 'iam-6.6.0/modules/iam-role-for-service-accounts', 'iam-6.6.0/modules/iam-role']) {
      mkdirSync(join(dir, folder), { recursive: true });
      writeFileSync(join(dir, folder, 'variables.tf'), 'variable "name" {\n  type    = string\n  default = ""\n}\n');
      writeFileSync(join(dir, folder, 'outputs.tf'), 'output "arn" {\n  value = "x"\n}\n');
    }
    // WHEN the data is derived
    const data = deriveTerraformModules(dir);
    // THEN the sources are the registry's, the versions the folders'
    expect(Object.entries(data.modules).map(([source, pinned]) => `${source} ${pinned.version}`)).toEqual([
      'terraform-aws-modules/vpc/aws 6.7.0',
      'terraform-aws-modules/eks/aws 21.20.0',
      'terraform-aws-modules/eks-pod-identity/aws 2.9.0',
      'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts 6.6.0',
      'terraform-aws-modules/iam/aws//modules/iam-role 6.6.0',
    ]);
    expect(data.modules['terraform-aws-modules/vpc/aws']).toEqual({ version: '6.7.0', variables: { name: { type: 'string', required: false } }, outputs: ['arn'] });
  });

  test('says which module folder is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'terraform-modules-'));
    expect(() => deriveTerraformModules(dir)).toThrow(`${dir} must hold exactly one folder vpc-<version> for terraform-aws-modules/vpc/aws, found none.`);
  });
});

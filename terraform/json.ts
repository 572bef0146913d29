/**
 * Terraform's JSON syntax (developer.hashicorp.com/terraform/language/syntax/json): a root
 * module is an object of block types; in argument values every JSON string is a string
 * template, so a string that is exactly one `${...}` keeps the type of its expression, and a
 * literal that contains `${` or `%{` must escape it as `$${` or `%%{`. A `"//"` key in a block
 * body is a comment.
 */

/** A value as Terraform's JSON syntax writes it. */
export type TfValue = string | number | boolean | null | readonly TfValue[] | { readonly [key: string]: TfValue };
export type TfObject = { readonly [key: string]: TfValue };

/** An expression, written as the one interpolation of a string so its value keeps its type. */
export function ref(expression: string): string {
  return `\${${expression}}`;
}

/** Literal text, with template sequences escaped. */
export function literal(text: string): string {
  return text.replace(/([$%])\{/g, (_, sign: string) => `${sign}${sign}{`);
}

/** A Terraform string literal inside an expression: `"text"` with JSON's escapes, which HCL shares for these characters. */
export function quoted(text: string): string {
  return JSON.stringify(text);
}

/** A Terraform identifier (block label) for a name that may hold "-" or start with a digit. */
export function identifier(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}

/** The pinned registry modules every root module uses; `npm run refresh:terraform` reads their interfaces from ../shared/terraform. */
export const terraformModules = {
  vpc: { source: 'terraform-aws-modules/vpc/aws', version: '6.6.0' },
  eks: { source: 'terraform-aws-modules/eks/aws', version: '21.19.0' },
  eksPodIdentity: { source: 'terraform-aws-modules/eks-pod-identity/aws', version: '2.8.1' },
  iamRole: { source: 'terraform-aws-modules/iam/aws//modules/iam-role', version: '6.5.0' },
  iamRoleForServiceAccounts: { source: 'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts', version: '6.5.0' },
} as const;

export type TerraformModuleName = keyof typeof terraformModules;

/** What every root module requires: Terraform 1.5.7 and AWS provider 6.28, the pinned modules' own minimums (their versions.tf). */
export const terraformRequirements = {
  terraform: '>= 1.5.7',
  aws: { source: 'hashicorp/aws', version: '>= 6.28' },
  // v3 made the kubernetes connection an attribute; JSON writes a block and an attribute alike.
  helm: { source: 'hashicorp/helm', version: '>= 3.0' },
  // time_sleep, which waits out the eventual consistency of Pod Identity associations.
  time: { source: 'hashicorp/time', version: '>= 0.9' },
} as const;

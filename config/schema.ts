import { AddonKey, addonKeys, argocdChart } from '../catalog/addons';
import { cssColorPattern } from './css-colors';
import { boolean, either, Infer, integer, list, mapping, object, oneOf, Optional, optional, Schema, text, WithDefaults } from './schema-builder';

export const ipFamilies = ['ipv4', 'ipv6'] as const;
export type IpFamily = typeof ipFamilies[number];

/** How the add-ons and Argo CD of a cluster get AWS credentials. */
export const identityModels = ['podIdentity', 'irsa'] as const;
export type IdentityModel = typeof identityModels[number];

/** Whether dist/terraform/ creates the cluster and its VPC, or reads a cluster that exists. */
export const provisioningModes = ['existing', 'create'] as const;
export type ProvisioningMode = typeof provisioningModes[number];

/** Whether an app shares its cluster's ALBs with other apps, or has one of its own. */
export const loadBalancerModes = ['shared', 'own'] as const;
export type LoadBalancerMode = typeof loadBalancerModes[number];

/** The Pod Security level of a service's namespace: restricted unless it declares baseline; never privileged. */
export const podSecurityLevels = ['restricted', 'baseline'] as const;
export type PodSecurityLevel = typeof podSecurityLevels[number];

/** The IPv4 block of a VPC the project creates when fleet.yaml gives none. */
export const defaultVpcCidr = '10.0.0.0/16';

const accountId = text({
  description: 'The AWS account id, quoted so YAML keeps it a string.',
  pattern: /^\d{12}$/,
  expected: 'a 12-digit AWS account id in quotes, such as "111122223333"',
});

const dnsLabel = text({
  description: 'A DNS-1123 label: lower-case letters, digits and "-", starting with a letter, at most 40 characters.',
  pattern: /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/,
  expected: 'a DNS-1123 label (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 40 characters)',
});

/** A Service's name: a DNS-1035 label (Kubernetes validates Service names so), at most 63 characters. */
const serviceName = text({
  description: 'The name of a Service: a DNS-1035 label of lower-case letters, digits and "-", starting with a letter, at most 63 characters.',
  pattern: /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/,
  expected: 'a Service name (lower-case letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters)',
});

/** A ServiceAccount's name: a DNS-1123 subdomain (Kubernetes validates ServiceAccount names so), at most 253 characters. */
const serviceAccountName = text({
  description: 'The name of a ServiceAccount: a DNS-1123 subdomain, dot-separated labels of lower-case letters, digits and "-", at most 253 characters.',
  pattern: /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
  expected: 'a ServiceAccount name (dot-separated labels of lower-case letters, digits and "-", each starting and ending with a letter or digit, at most 253 characters)',
});

/**
 * Pieces of the URLs and paths below. A DNS name: labels of letters, digits and "-" (never first
 * or last), at most 63 characters each. A path segment: letters, digits, ".", "_", "~", "-", never
 * "." or ".." and never starting with "-" (git would read it as an option). None of them has a
 * character Argo CD's Go templates (`{{`), its globs (`*`, `?`, `[`, `{`) or a shell would read.
 */
const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const hostName = `${label}(?:\\.${label})*`;
const port = '(?::(?:6553[0-5]|655[0-2]\\d|65[0-4]\\d{2}|6[0-4]\\d{3}|[1-5]\\d{4}|[1-9]\\d{0,3}))?';
const segment = '(?!\\.\\.?(?:/|$))[A-Za-z0-9._~][A-Za-z0-9._~-]*';
const repoPath = `${segment}(?:/${segment})*/?`;
const sshUser = '[A-Za-z0-9_][A-Za-z0-9._-]*@';

/** A Git URL Argo CD clones, without a password or token: only ssh may name a user (git@). */
export const gitUrlPattern = new RegExp(`^(?:https://${hostName}${port}/${repoPath}|ssh://(?:${sshUser})?${hostName}${port}/${repoPath}|${sshUser}${hostName}:/?${repoPath})$`);

/** A Helm repository (https://host[/path]) or an OCI registry path (oci://host/path), without credentials or a query. */
export const chartRepoUrlPattern = new RegExp(`^(?:https://${hostName}${port}(?:/${repoPath})?|oci://${hostName}${port}/${repoPath})$`);

const cidr = text({
  description: 'A subnet CIDR block.',
  pattern: /^[0-9a-fA-F:.]+\/\d{1,3}$/,
  expected: 'a CIDR block such as 10.230.16.0/22 or 2600:1f16:5de:8b03::/64',
});

const iamPrincipalArn = text({
  description: 'The ARN of an IAM role or user, such as a CI role or an operators\' SSO role (arn:aws:iam::<account>:role/<name>).',
  pattern: /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]{1,512}$/,
  expected: 'the ARN of an IAM role or user such as arn:aws:iam::111122223333:role/platform-admin',
});

const administrators = list(iamPrincipalArn, {
  description: 'The IAM principals that administer the clusters the project creates: each gets an EKS access entry with AmazonEKSClusterAdminPolicy and administers the cluster\'s KMS key. Whoever runs terraform apply gets neither by being the caller.',
  minItems: 1,
});

const nodeGroup = object({
  name: dnsLabel,
  instanceType: text({
    description: 'The EC2 instance type of the nodes.',
    pattern: /^[a-z][a-z0-9-]*\.[a-z0-9-]+$/,
    expected: 'an EC2 instance type such as m5.large',
    examples: ['m5.large'],
  }),
  minSize: integer({ description: 'The fewest nodes cluster-autoscaler keeps.', minimum: 0, maximum: 5000 }),
  maxSize: integer({ description: 'The most nodes cluster-autoscaler may create.', minimum: 1, maximum: 5000 }),
  maxPods: optional(integer({
    description: 'Overrides the pods per node derived from the instance type (the kubelet --max-pods the node group was launched with).',
    minimum: 4,
    maximum: 737,
  })),
}, { description: 'A managed node group.' });

/** AWS's default Elastic Load Balancing quotas (Service Quotas, elasticloadbalancing); each is adjustable on request. */
export const defaultLoadBalancerQuotas = {
  targetsPerLoadBalancer: 1000,
  targetsPerTargetGroup: 1000,
  loadBalancersPerRegion: 50,
  targetGroupsPerRegion: 3000,
  rulesPerLoadBalancer: 100,
  certificatesPerLoadBalancer: 25,
} as const;

const loadBalancerQuotas = object({
  targetsPerLoadBalancer: optional(integer({
    description: 'The "Targets per Application Load Balancer" quota of the cluster\'s account and region: with IP targets every ready pod behind an ALB is one.',
    minimum: 1,
    maximum: 1_000_000,
  }), defaultLoadBalancerQuotas.targetsPerLoadBalancer),
  targetsPerTargetGroup: optional(integer({
    description: 'The "Targets per Target Group per Region" quota of the cluster\'s account and region.',
    minimum: 1,
    maximum: 1_000_000,
  }), defaultLoadBalancerQuotas.targetsPerTargetGroup),
  loadBalancersPerRegion: optional(integer({
    description: 'The "Application Load Balancers per Region" quota of the cluster\'s account and region: each cluster takes its shared ALBs (sharedLoadBalancers) and one per app with an ALB of its own.',
    minimum: 1,
    maximum: 100_000,
  }), defaultLoadBalancerQuotas.loadBalancersPerRegion),
  targetGroupsPerRegion: optional(integer({
    description: 'The "Target Groups per Region" quota of the cluster\'s account and region, which its ALBs and NLBs share: the load balancer controller makes a target group of every Ingress backend (one per app on each cluster it runs on, three while it walks to another ALB: its own Ingress\'s and the walk\'s two).',
    minimum: 1,
    maximum: 1_000_000,
  }), defaultLoadBalancerQuotas.targetGroupsPerRegion),
  rulesPerLoadBalancer: optional(integer({
    description: 'The "Rules per Application Load Balancer" quota (excluding default rules) of the cluster\'s account and region: every app on an ALB is one rule of its HTTPS listener.',
    minimum: 1,
    maximum: 10_000,
  }), defaultLoadBalancerQuotas.rulesPerLoadBalancer),
  certificatesPerLoadBalancer: optional(integer({
    description: 'The "Certificates per Application Load Balancer" quota (excluding default certificates) of the cluster\'s account and region.',
    minimum: 1,
    maximum: 10_000,
  }), defaultLoadBalancerQuotas.certificatesPerLoadBalancer),
}, { description: 'The Elastic Load Balancing quotas of the cluster\'s account and region once AWS has raised them; each defaults to AWS\'s default.' });

const addonToggles = object(
  Object.fromEntries(addonKeys.map((key) => [key, optional(boolean({ description: `Whether the cluster runs ${key}.` }), true)])) as
    Record<AddonKey, Optional<Schema<boolean>, true>>,
  { description: 'Which add-ons the cluster runs; each defaults to true.' },
);

const vpc = object({
  cidr: optional(text({
    description: 'The IPv4 block of the VPC beside its Amazon-provided IPv6 /56, from /16 to /19. It is cut in sixteen: the public and database subnets come from the first sixteenth, the private subnets are the next three unless ipv4Subnets (IPv6 cluster) or subnets (IPv4 cluster) list their own.',
    expected: 'an IPv4 CIDR block such as 10.231.0.0/16',
    pattern: /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/,
  }), defaultVpcCidr),
  availabilityZones: optional(integer({
    description: 'How many availability zones the VPC spans: 3, or 2 where the region offers the account only two (us-west-1 does to new accounts; aws ec2 describe-availability-zones says). Each zone gets a public, a private and a database subnet.',
    minimum: 2,
    maximum: 3,
  }), 3),
  dns64: optional(boolean({
    description: 'Whether the subnets answer IPv4-only names with synthesized 64:ff9b:: addresses (DNS64, routed through the NAT gateways); off unless an IPv6-only workload needs it.',
  }), false),
}, { description: 'The VPC the project creates for a cluster with provisioning: create.' });

const cluster = object({
  name: dnsLabel,
  ipFamily: oneOf(ipFamilies, { description: 'The IP family the EKS cluster was created with.' }),
  kubernetesVersion: text({
    description: 'The Kubernetes minor version of the EKS cluster, quoted so YAML keeps it a string ("1.30", not 1.3); it picks the cluster-autoscaler release.',
    pattern: /^1\.\d{2}$/,
    expected: 'a Kubernetes minor version in quotes, such as "1.33"',
    examples: ['1.33'],
  }),
  environment: optional(dnsLabel, 'production'),
  provisioning: optional(oneOf(provisioningModes, {
    description: 'existing: the cluster exists and dist/terraform/ reads it, adding only identities, Pod Identity associations and Argo CD\'s access entry; create: dist/terraform/ creates its VPC, EKS cluster and node groups too.',
  }), 'existing'),
  identity: optional(oneOf(identityModels, {
    description: 'How the add-ons get AWS credentials: podIdentity (EKS Pod Identity: one role per add-on per account, an association per cluster) or irsa (a role per add-on per cluster trusting the cluster\'s OIDC provider).',
  }), 'podIdentity'),
  nextIdentity: optional(oneOf(identityModels, {
    description: 'Step 1 of switching identity: the model the add-ons switch to. Terraform creates its roles and associations beside those of identity, and the add-ons\' values stay on identity; once applied, the next change sets identity to it and previousIdentity to the old one (README, "Switching a cluster\'s identity").',
  })),
  previousIdentity: optional(oneOf(identityModels, {
    description: 'Step 2 of switching identity: the model the add-ons\' running pods may still use. The values (the ServiceAccounts\' annotation) follow identity; the old model\'s roles stay until you remove this field, after restarting the add-ons (README, "Switching a cluster\'s identity").',
  })),
  administrators: optional(administrators),
  endpointPublicAccessCidrs: optional(list(cidr, {
    description: 'For a cluster the project creates: the CIDR blocks that may reach its API server\'s public endpoint (Argo CD\'s egress addresses: its NAT gateways\' IPv4 addresses and, on an IPv6 cluster, whose endpoint is dual-stack, its VPC\'s IPv6 /56; the administrators\'). IPv6 blocks only on an IPv6 cluster. Without it the endpoint is private: reachable from the VPC (and networks routed to it) only.',
    minItems: 1,
  })),
  endpointAccess: optional(object({
    public: optional(boolean({ description: 'Whether the API server has a public endpoint (describe-cluster\'s cluster.resourcesVpcConfig.endpointPublicAccess). false: private-only, reachable from its VPC and networks routed to it. Absent: not known.' })),
    publicCidrs: optional(list(cidr, {
      description: 'The CIDR blocks its public endpoint admits (cluster.resourcesVpcConfig.publicAccessCidrs); 0.0.0.0/0 (and ::/0) is everyone.',
      minItems: 1,
    })),
  }, { description: 'On a cluster that exists: who can reach its API server, as npm run import-clusters read it from aws eks describe-cluster (the project does not change it). With public: false, the plan warns when Argo CD runs in another VPC and argocdReachesPrivateEndpoint is not true.' })),
  argocdReachesPrivateEndpoint: optional(boolean({
    description: 'Whether Argo CD\'s cluster reaches this cluster\'s private endpoint: they share a VPC, or the fleet routes between their VPCs (peering, transit gateway) and the cluster\'s security group admits Argo CD\'s.',
  }), false),
  vpc: optional(vpc),
  server: optional(text({
    description: 'The EKS API server endpoint: a DNS name (EKS endpoints are never IP addresses), with an optional port; for a cluster the project creates, written by npm run import-clusters after terraform apply.',
    // The last label is letters only, so an IP address (169.254.169.254, 127.0.0.1) is no host.
    pattern: new RegExp(`^https://(?=[^/:]{1,253}(?:[:/]|$))(?:${label}\\.)+[A-Za-z]{2,63}${port}/?$`),
    expected: 'an https:// URL of the EKS API endpoint: a DNS name such as 0123456789ABCDEF.gr7.us-east-2.eks.amazonaws.com (not an IP address), with a port from 1 to 65535 if any',
    examples: ['https://0123456789ABCDEF0123456789ABCDEF.gr7.us-east-2.eks.amazonaws.com'],
  })),
  region: text({
    description: 'The AWS region, one of data/aws-regions.json.',
    pattern: /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/,
    expected: 'an AWS region such as us-east-2',
  }),
  accountId,
  vpcId: optional(text({ description: 'The VPC id; for a cluster the project creates, written by npm run import-clusters.', pattern: /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/, expected: 'a VPC id such as vpc-0a1b2c3d4e5f60718' })),
  subnets: optional(list(cidr, { description: 'The private subnets pods get addresses from, in the cluster\'s IP family; for a cluster the project creates, written by npm run import-clusters.', minItems: 1 })),
  ipv4Subnets: optional(list(cidr, {
    description: 'On an IPv6 cluster, the IPv4 blocks of its dual-stack subnets: every node still takes an IPv4 address from them.',
    minItems: 1,
  })),
  publicSubnets: optional(list(cidr, {
    description: 'On a cluster that exists, the IPv4 blocks of the public subnets (tagged kubernetes.io/role/elb, one per zone) the load balancer controller puts the apps\' internet-facing ALBs in: every ALB takes at least one address in each, and the controller uses a subnet only while 8 are free. A cluster the project creates has its VPC\'s.',
    minItems: 1,
  })),
  loadBalancerQuotas: optional(loadBalancerQuotas),
  sharedLoadBalancers: optional(integer({
    description: 'How many shared ALBs (IngressGroups) the cluster\'s apps are spread over, by a consistent hash of the app\'s name: size it for the apps the cluster will hold (at most 100 rules and 100 target groups per ALB, one each per app). Raising it from k to k + 1 moves about 1/(k + 1) of the cluster\'s sharing apps onto the new ALB with no walk (minutes of 404s each): on a running cluster, relieve a full shared ALB by walking its largest apps to ALBs of their own instead.',
    minimum: 1,
    maximum: 100,
  }), 1),
  nodeGroups: list(nodeGroup, { description: 'The node groups cluster-autoscaler scales.', minItems: 1 }),
  register: optional(boolean({ description: 'Whether dist/ registers this cluster with Argo CD; false for clusters registered elsewhere.' }), true),
  caData: optional(text({
    description: 'The cluster\'s certificate authority (base64 of one or more PEM certificates, as `aws eks describe-cluster` prints it): public, not a secret.',
    // Four classes, not [A-Za-z0-9+/]{4}: V8 runs a loop of a fixed-length sequence without
    // keeping a backtrack entry per turn, but not one of a counted repetition, which overflows
    // its stack on a caData of megabytes ("Maximum call stack size exceeded").
    pattern: /^(?=.)(?:[A-Za-z0-9+/][A-Za-z0-9+/][A-Za-z0-9+/][A-Za-z0-9+/])*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/,
    expected: 'base64 text (the certificateAuthority.data of aws eks describe-cluster)',
  })),
  addons: optional(addonToggles),
  defaultApps: optional(boolean({
    description: 'On an IPv6 cluster, whether the apps without clusters run here; false keeps a new or a leaving cluster out of default placement (apps list it in their clusters to run here).',
  }), true),
  release: optional(boolean({
    description: 'Whether Argo CD lets go of the apps on this cluster: their Applications lose the resources finalizer, so removing the cluster (the next change) leaves the apps running there, unmanaged, where otherwise synth refuses to remove a cluster that runs apps.',
  }), false),
}, { description: 'An EKS cluster of the fleet.' });

const placement = object({
  name: dnsLabel,
  weight: integer({ description: 'The Route 53 weight of this cluster\'s record while traffic moves between clusters.', minimum: 0, maximum: 255 }),
}, { description: 'A cluster the app runs on, with its DNS weight.', expected: 'a mapping with keys name, weight' });

/**
 * A service's sources: URLs without whitespace or the characters Argo CD's Go templates read
 * (`{{`); config/rules.ts says what is wrong with one in words (credentials in it, a range for a
 * version, a branch for a revision), which a pattern cannot.
 */
const sourceText = (description: string, expected: string, examples?: readonly string[]) => text({
  description,
  pattern: /^[^\s{}]{1,512}$/,
  expected,
  ...(examples ? { examples } : {}),
});

const chartSource = object({
  repoURL: sourceText(
    'The Helm repository (https://...) or OCI registry path (oci://host/path) the chart is in, without credentials (Argo CD takes them from a repository Secret).',
    'an https:// Helm repository URL or an oci://host/path registry URL, without credentials',
    ['https://stefanprodan.github.io/podinfo', 'oci://ghcr.io/stefanprodan/charts'],
  ),
  name: text({
    description: 'The chart\'s name in that repository.',
    pattern: /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/,
    expected: 'a chart name: lower-case letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
  }),
  version: text({
    description: 'The exact chart version (no ranges: Argo CD would install whatever the range matches when it syncs).',
    // Spaces inside, so that config/rules.ts can say a range ("^6.0.0 || ^7.0.0") is one.
    pattern: /^[^\s{}](?:[^{}\t\n\r]{0,126}[^\s{}])?$/,
    expected: 'an exact chart version such as 6.14.1',
    examples: ['6.14.1'],
  }),
  archive: optional(text({
    description: 'The chart vendored in this repository (a .tgz path from the repository root), which npm run check renders offline.',
    pattern: /^(?!\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9._~\/-]{1,256}\.tgz$/,
    expected: 'a relative path to a .tgz chart archive in this repository, such as vendor/charts/podinfo-6.14.1.tgz (no "..")',
  })),
}, { description: 'A Helm chart from a Helm repository or an OCI registry, at an exact version.' });

const gitSource = object({
  repoURL: sourceText(
    'The Git repository, with the same rules as repo.url: https://host/path, ssh://git@host/path or git@host:path, without credentials.',
    'a Git URL such as https://github.com/example-org/payments.git, without credentials',
  ),
  revision: sourceText('A full commit SHA or a semver tag (v1.2.3): pinned, never a branch.', 'a full commit SHA (40 hexadecimal digits) or a semver tag such as v1.2.3'),
  path: text({
    description: 'The directory of plain manifests or a kustomization in that repository, which Argo CD renders.',
    pattern: new RegExp(`^${segment}(?:/${segment})*$`),
    expected: 'a relative path such as deploy/production: letters, digits, ".", "_", "~" and "-", no ".." and no part starting with "-"',
  }),
}, { description: 'A path in a Git repository (plain manifests or Kustomize) at a pinned revision.' });

const source = object({
  chart: optional(chartSource),
  git: optional(gitSource),
}, {
  description: 'Where the service comes from: a Helm chart (chart) or a path in a Git repository (git), exactly one. Without source the app is the NGINX test page.',
  expected: 'a mapping with one key, chart or git',
  keepAbsent: true,
});

const kubernetesQuantity = (description: string, examples: readonly string[]) => text({
  description,
  pattern: /^(?:\d+(?:\.\d+)?|\.\d+)(?:m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/,
  expected: `a Kubernetes quantity such as ${examples.join(' or ')}`,
  examples,
});

const clusterResource = object({
  group: text({
    description: 'The API group of the kind ("" for the core group).',
    pattern: /^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    expected: 'an API group such as rbac.authorization.k8s.io, or "" for the core group',
  }),
  kind: text({
    description: 'A cluster-scoped kind the source creates.',
    pattern: /^[A-Z][A-Za-z0-9]{0,62}$/,
    expected: 'a Kubernetes kind such as ClusterRole',
  }),
}, { description: 'A cluster-scoped kind the service\'s source may create.', expected: 'a mapping with keys group, kind' });

const app = object({
  name: dnsLabel,
  source: optional(source),
  backgroundColor: optional(text({
    description: 'The test page\'s background colour (test apps only: required without source, refused with it).',
    pattern: cssColorPattern,
    expected: 'a CSS colour: a lower-case colour name such as yellow, #rgb, #rgba, #rrggbb or #rrggbbaa, rgb(r, g, b) or rgba(r, g, b, a) (three numbers or three percentages), or hsl(h, s%, l%) or hsla(h, s%, l%, a)',
    examples: ['yellow', '#ff0000'],
  })),
  containerPort: optional(integer({ description: 'The port nginx listens on and the Service exposes (test apps only: required without source, refused with it).', minimum: 1, maximum: 65535 })),
  replicas: integer({ description: 'The pods per cluster the app runs on: the test page\'s nginx pods, or the pods a service runs (the plan counts them; npm run check compares them with the chart\'s render).', minimum: 0, maximum: 100000 }),
  rollout: optional(object({
    deregistrationDelaySeconds: optional(integer({
      description: 'How long the ALB drains a pod that is going away (the target group\'s deregistration_delay.timeout_seconds): the pod keeps serving that long before nginx stops.',
      minimum: 0,
      maximum: 3600,
    }), 30),
    terminationGracePeriodSeconds: optional(integer({
      description: 'How long Kubernetes waits for a pod that is going away before it kills it: longer than the deregistration delay, so no request in flight is cut; defaults to the delay plus 15 s.',
      minimum: 1,
      maximum: 7200,
    })),
  }, { description: 'How the test page\'s pods leave the ALB in a rollout or a scale-down without dropping a request (test apps only).' })),
  values: optional(mapping({ description: 'Chart services only: the Helm values on every cluster, rendered into dist/apps/<app>/values.yaml.' })),
  clusterValues: optional(mapping({
    description: 'Chart services only: Helm values per cluster over values, by cluster name (each a cluster the app is placed on), rendered into dist/apps/<app>/values/<cluster>.yaml.',
    expected: 'a mapping of cluster names to mappings of Helm values',
  })),
  expose: optional(object({
    service: serviceName,
    port: integer({ description: 'The port of that Service the ALB sends requests to.', minimum: 1, maximum: 65535 }),
    host: optional({ ...serviceName, description: 'The first label of the service\'s hostname, <host>.<domain>: the name its clients already use, when it moves onto the fleet under another app name; defaults to the app\'s name. No two apps may have one host.' }),
    healthCheckPath: optional(text({
      description: 'The path the ALB checks each pod on.',
      pattern: /^\/[A-Za-z0-9._~!$&'()*+,;=:@%\/-]{0,255}$/,
      expected: 'an absolute URL path such as /healthz',
    }), '/'),
    deregistrationDelaySeconds: optional(integer({
      description: 'How long the ALB drains a pod that is going away (the target group\'s deregistration_delay.timeout_seconds; the ALB\'s own default is 300): at most the pods\' terminationGracePeriodSeconds (Kubernetes\' default 30), past which they are killed with requests in flight, and what the capacity plan\'s rollout peak assumes.',
      minimum: 0,
      maximum: 3600,
    }), 30),
  }, { description: 'Services only (required with source): the Service the source renders in the app\'s namespace, and its port, which the generator\'s Ingress routes https://<host>.<domain> to (host defaults to the app\'s name).' })),
  resources: optional(object({
    cpu: optional(kubernetesQuantity('The CPU each pod requests.', ['100m', '0.5'])),
    memory: optional(kubernetesQuantity('The memory each pod requests.', ['64Mi', '1Gi'])),
  }, { description: 'Services only: what each pod requests, for the capacity plan and npm run check.', keepAbsent: true })),
  podSecurity: optional(oneOf(podSecurityLevels, {
    description: 'Services only: the Pod Security level of the app\'s namespace, restricted unless the service needs baseline (privileged is never allowed). Test apps are restricted.',
  })),
  clusterResources: optional(list(clusterResource, {
    description: 'Services only: the cluster-scoped kinds the source may create, beside the namespace the generator renders: ClusterRoles only, which the service\'s project (fleet-service-<app>) allows named <app> or <app>-*.',
  })),
  rbac: optional(boolean({
    description: 'Services only: whether the source may render Roles and RoleBindings in its namespace (most charts with a controller do). Without it the service\'s project refuses them, and the source\'s pods get no rights of its granting: with it, a Role could let its pods write what the project refuses Argo CD (npm run check refuses such Roles in every render it reaches).',
  }), false),
  aws: optional(object({
    serviceAccount: serviceAccountName,
    policyArns: list(text({
      description: 'An IAM managed policy ARN.',
      pattern: /^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\/[\w+=,.@\/-]{1,512}$/,
      expected: 'an IAM managed policy ARN such as arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
    }), { description: 'The managed policies its role gets.', minItems: 1 }),
    irsaAnnotationsValue: optional(text({
      description: 'Chart services only: the values path of that ServiceAccount\'s annotations (dots between keys), where synth writes eks.amazonaws.com/role-arn on IRSA clusters.',
      pattern: /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$/,
      expected: 'a values path of keys separated by dots, such as serviceAccount.annotations',
    })),
  }, { description: 'Services only, if the service calls AWS: the ServiceAccount its pods run as (the source renders it) and the IAM policies its role gets.' })),
  loadBalancer: optional(oneOf(loadBalancerModes, {
    description: 'shared: the app\'s Ingress joins one of its cluster\'s shared ALBs (sharedLoadBalancers); own: it gets an ALB of its own. An app whose targets at a rollout\'s peak exceed 500 (half of AWS\'s default 1,000 targets per ALB; fixed, whatever loadBalancerQuotas declares) gets its own either way.',
  }), 'shared'),
  nextLoadBalancer: optional(oneOf(loadBalancerModes, {
    description: 'Step 1 of moving the app to another ALB without 404s: the ALB it goes to (own, or its shared one). On every cluster where that is another ALB, the app gets a second Ingress there (<app>-next) that external-dns does not publish, so the ALB is created and its target group warm while DNS still points at the current one; once it serves, the next change sets loadBalancer to it and previousLoadBalancer to the old one (README, "Moving an app to another ALB").',
  })),
  previousLoadBalancer: optional(oneOf(loadBalancerModes, {
    description: 'Step 2 of moving the app to another ALB: the ALB it leaves. The app\'s Ingress is on its loadBalancer\'s ALB and owns DNS; an Ingress without DNS (<app>-previous) keeps serving on the old ALB the clients that still resolve to it. Remove it, once resolvers have let go of the old address, to drop the old ALB\'s rule (README, "Moving an app to another ALB").',
  })),
  clusters: optional(list(either(dnsLabel, placement, { description: 'A cluster name, or a name with a DNS weight.' }), {
    description: 'The clusters the app runs on; defaults to every IPv6 cluster. Several clusters with weights split traffic during a migration.',
    minItems: 1,
  })),
}, { description: 'An app: the NGINX test page, or with source a service of the team\'s own (a Helm chart or a Git path).' });

export const fleetSchema = object({
  repo: object({
    url: text({
      description: 'The Git repository Argo CD reads dist/ from, without credentials (Argo CD takes them from a repository Secret).',
      // Only ssh may name a user (git@), and no URL a password or token.
      pattern: gitUrlPattern,
      expected: 'a Git URL Argo CD clones: https://host/path, ssh://git@host/path or git@host:path, with no password or token in it (Argo CD reads those from a repository Secret)',
      examples: ['https://github.com/example-org/eks-ipv6-gitops.git', 'git@github.com:example-org/eks-ipv6-gitops.git'],
    }),
    revision: optional(text({
      description: 'The branch, tag or commit Argo CD tracks.',
      // git check-ref-format's rules, less the characters Go templates and globs read.
      pattern: /^(?!.*\.\.)(?!.*\.lock(?:\/|$))(?!.*[./]$)[A-Za-z0-9_][A-Za-z0-9_.+-]*(?:\/[A-Za-z0-9_][A-Za-z0-9_.+-]*)*$/,
      expected: 'a branch, tag or commit: letters, digits and "_", ".", "+", "-" in parts separated by "/", each starting with a letter, digit or "_", with no ".."',
    }), 'main'),
    path: optional(text({
      description: 'Where dist/ is in the repository.',
      pattern: new RegExp(`^${segment}(?:/${segment})*$`),
      expected: 'a relative path such as dist: letters, digits, ".", "_", "~" and "-", no ".." and no part starting with "-"',
    }), 'dist'),
  }, { description: 'The GitOps repository.' }),
  domain: text({
    description: 'The DNS zone app hostnames live in: <app>.<domain>.',
    pattern: /^(?=.{1,200}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    expected: 'a lower-case DNS domain such as apps.example.com, of labels of at most 63 characters',
  }),
  domainAccountId: optional({
    ...accountId,
    description: 'The AWS account whose public Route 53 hosted zone holds domain, quoted; required once the clusters are in more than one account, else their account. external-dns on clusters of other accounts writes through the role fleet-external-dns-zone there.',
  }),
  administrators: optional(administrators),
  argocd: optional(object({
    cluster: optional(dnsLabel),
    namespace: optional(dnsLabel, argocdChart.namespace),
  }, { description: 'Where Argo CD runs: its cluster (required once the fleet has more than one IPv6 cluster, or no IPv6 cluster and several others; else that one) and namespace.' })),
  capacity: optional(object({
    nodeGroupMaxTooSmall: optional(oneOf(['warning', 'error'] as const, {
      description: 'What synth does when a node group\'s maxSize cannot hold what is placed on the cluster: warn, or refuse to render.',
    }), 'warning'),
    loadBalancerQuotaExceeded: optional(oneOf(['warning', 'error'] as const, {
      description: 'What synth does when the ALBs or their targets exceed a load balancer quota (clusters[].loadBalancerQuotas): warn, or refuse to render.',
    }), 'warning'),
  }, { description: 'How strictly synth applies the capacity plan (npm run plan). Running out of IPv4 addresses is always an error.' })),
  waves: optional(list(object({
    name: dnsLabel,
    clusters: optional(list(dnsLabel, { description: 'The clusters of the wave, by name.', minItems: 1 })),
    environment: optional(dnsLabel),
    bakeTime: optional(text({
      description: 'How long this wave runs a change before npm run promote lets the next wave have it: minutes, hours or days, such as 30m, 4h or 1d.',
      pattern: /^[1-9]\d{0,4}[mhd]$/,
      expected: 'a duration such as 30m, 4h or 1d (a whole number of minutes, hours or days)',
    }), '0m'),
    revision: optional(text({
      description: 'The commit of this repository whose shared files (add-on chart versions and fleet-wide values, the apps\' shared files) the wave runs; written by npm run promote. Not on the first wave, which runs repo.revision.',
      pattern: /^[0-9a-f]{40}$/,
      expected: 'a full 40-character commit SHA of this repository, as npm run promote writes it',
    })),
  }, { description: 'A wave: the clusters named in clusters, or those of an environment.' }), {
    description: 'Waves of clusters that a change shared by several clusters reaches in turn: the first when it is merged, each later one when npm run promote -- <wave> pins it to what the wave before runs. Every cluster in exactly one wave.',
    minItems: 2,
  })),
  clusters: list(cluster, {
    description: 'The EKS clusters of the fleet.',
    minItems: 1,
    expected: 'a list of at least one cluster (- name: ..., with ipFamily, kubernetesVersion, region, accountId, nodeGroups); to start from the clusters that exist, write clusters: [] and run npm run import-clusters -- --add with their describe-cluster, describe-subnets and describe-nodegroup files',
  }),
  apps: list(app, { description: 'The apps: NGINX test pages, and services from the team\'s own charts and Git paths (source).' }),
}, { description: 'A fleet of IPv6 EKS clusters and the apps Argo CD syncs to them.' });

/** fleet.yaml as written (optional keys may be absent). */
export type FleetFile = Infer<typeof fleetSchema>;
/** fleet.yaml with the schema's defaults filled in (withDefaults). */
export type FleetFileWithDefaults = WithDefaults<typeof fleetSchema>;
export type ClusterFile = FleetFileWithDefaults['clusters'][number];
export type AppFile = FleetFileWithDefaults['apps'][number];
export type SourceFile = NonNullable<AppFile['source']>;

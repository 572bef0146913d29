/**
 * The benchmark fleet: the blog customer's scale. `clusters` EKS clusters, half of them IPv6,
 * every add-on on, and `apps` test apps spread round-robin over the IPv6 clusters.
 */
export function benchFleetYaml(apps: number, clusters = 72): string {
  const caData = Buffer.from('-----BEGIN CERTIFICATE-----\nbenchmark\n-----END CERTIFICATE-----\n').toString('base64');
  const clusterNames: string[] = [];
  const lines = [
    'repo:',
    '  url: https://github.com/example-org/eks-ipv6-gitops.git',
    'domain: apps.example.com',
    'clusters:',
  ];
  for (let index = 0; index < clusters; index++) {
    const ipv6 = index % 2 === 1;
    const name = `${ipv6 ? 'ipv6' : 'ipv4'}-${String(index).padStart(2, '0')}`;
    if (ipv6) clusterNames.push(name);
    const third = (index * 4) % 256;
    lines.push(
      `  - name: ${name}`,
      `    ipFamily: ${ipv6 ? 'ipv6' : 'ipv4'}`,
      `    server: https://${index.toString(16).padStart(32, '0').toUpperCase()}.gr7.us-east-2.eks.amazonaws.com`,
      '    region: us-east-2',
      '    accountId: "111122223333"',
      `    vpcId: vpc-${index.toString(16).padStart(17, '0')}`,
      '    subnets:',
      ...(ipv6
        ? [0, 1, 2].map((subnet) => `      - 2600:1f16:${index.toString(16)}:${subnet}::/64`)
        : [0, 1, 2].map((subnet) => `      - 10.${index}.${(third + subnet * 4) % 256}.0/22`)),
      '    nodeGroups:',
      '      - { name: default, instanceType: m5.large, minSize: 3, maxSize: 200 }',
      `    caData: ${caData}`,
    );
  }
  lines.push('apps:');
  const colours = ['yellow', 'red', 'blue', 'green', 'orange', 'purple'];
  for (let index = 0; index < apps; index++) {
    lines.push(
      `  - name: app${index}`,
      `    backgroundColor: ${colours[index % colours.length]}`,
      '    containerPort: 8080',
      '    replicas: 5',
      `    clusters: [${clusterNames[index % clusterNames.length]}]`,
    );
  }
  return `${lines.join('\n')}\n`;
}

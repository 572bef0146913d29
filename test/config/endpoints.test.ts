import { readFileSync } from 'fs';
import { join } from 'path';
import { ImportRefusedError, importClusters } from '../../config/import-clusters';
import { parseFleet } from '../../config/load';
import { demoFleetText, lineOf, locatedProblemsOf, projectRoot } from '../support/fixtures';

const legacyServer = 'https://4B1D7A3E9C2F6A8B0D5E7C1F3A9B2D4E.gr7.us-east-2.eks.amazonaws.com';
const ipv6EastServer = 'https://9E8D7C6B5A4F3E2D1C0B9A8F7E6D5C4B.gr7.us-east-2.eks.amazonaws.com';

describe('one EKS endpoint is one cluster', () => {
  test.each([
    ['the same text', legacyServer],
    ['another case of the host and a trailing slash', `${legacyServer.toLowerCase()}/`],
    ['the default port', legacyServer.replace('.com', '.com:443')],
  ])('a server copied from another cluster (%s) is refused at both clusters, each naming the other', (_, copied) => {
    // GIVEN ipv6-east's server replaced by legacy-ipv4's, as a copied block leaves it
    const text = demoFleetText.replace(`server: ${ipv6EastServer}`, `server: ${copied}`);
    // WHEN it is read THEN both server lines are located, each with the other cluster and the fix
    const problems = locatedProblemsOf(text);
    const legacyLine = lineOf(text, `server: ${legacyServer}`);
    const copyLine = text.split('\n').findIndex((line, index) => index + 1 !== legacyLine && line.includes(`server: ${copied}`)) + 1;
    expect(problems).toEqual([
      `${legacyLine}:13 clusters[0].server: is the endpoint of clusters[1].server (cluster ipv6-east) too: every EKS cluster has an endpoint of its own, and Argo CD finds a cluster by its endpoint, so the apps and add-ons of both entries would go to one cluster, with the identity of one of their two cluster Secrets; set each cluster's own (aws eks describe-cluster --name legacy-ipv4, cluster.endpoint, or npm run import-clusters)`,
      `${copyLine}:13 clusters[1].server: is the endpoint of clusters[0].server (cluster legacy-ipv4) too: every EKS cluster has an endpoint of its own, and Argo CD finds a cluster by its endpoint, so the apps and add-ons of both entries would go to one cluster, with the identity of one of their two cluster Secrets; set each cluster's own (aws eks describe-cluster --name ipv6-east, cluster.endpoint, or npm run import-clusters)`,
    ]);
  });

  test('endpoints that differ are accepted', () => {
    expect(parseFleet(demoFleetText).clusters.map((cluster) => cluster.server)).toEqual([legacyServer, ipv6EastServer]);
  });

  test('an import whose endpoint is already another cluster\'s is refused, writing nothing', () => {
    // GIVEN terraform's output of ipv6-east that names legacy-ipv4's endpoint (the wrong stack's, or a copied file)
    const outputs = JSON.parse(readFileSync(join(projectRoot, 'test', 'fixtures', 'import', 'terraform-ipv6-east.json'), 'utf8'));
    outputs.cluster_endpoint.value = legacyServer;
    // WHEN it is imported THEN the import refuses, naming both clusters' server lines
    const importing = () => importClusters(demoFleetText, 'fleet.yaml', [{ file: 'terraform-ipv6-east.json', text: JSON.stringify(outputs) }]);
    expect(importing).toThrow(ImportRefusedError);
    expect(importing).toThrow(/clusters\[1\]\.server: is the endpoint of clusters\[0\]\.server \(cluster legacy-ipv4\) too/);
  });
});

import { Fleet } from '../../config/fleet';
import { parseFleet } from '../../config/load';
import { lineOf, locatedProblemsOf, podinfoChartSource, problemsOf, testAppsFleetText } from '../support/fixtures';

/** The demo fleet without its podinfo; `values` are YAML lines of podinfo's values, `clusterValues` of its ipv6-east values. */
function fleetText({ values = '', clusterValues = '' } = {}): string {
  return `${testAppsFleetText}  - name: podinfo
${podinfoChartSource}    values:
      replicaCount: 2${values}
${clusterValues ? `    clusterValues:\n      ipv6-east:${clusterValues}\n` : ''}    expose: { service: podinfo, port: 9898 }
    replicas: 2
    clusters: [ipv6-east]
`;
}


describe('nothing secret in a service\'s values: dist/ is in git', () => {
  test('a value named as a secret, at any depth, in values or clusterValues, is refused where it is, with the fix', () => {
    const text = fleetText({
      values: '\n      redis: { auth: { password: hunter2 } }\n      env: [{ API_KEY: abc }]\n      oauth: { clientSecret: s3cr3t, privateKey: "-----BEGIN" }',
      clusterValues: ' { githubToken: ghp_x, aws: { credentials: "[default]" } }',
    });
    const problems = problemsOf(text);
    expect(problems.map((problem) => problem.slice(0, problem.indexOf(': ')))).toEqual([
      'apps[3].values.redis.auth.password',
      'apps[3].values.env[0].API_KEY',
      'apps[3].values.oauth.clientSecret',
      'apps[3].values.oauth.privateKey',
      'apps[3].clusterValues.ipv6-east.githubToken',
      'apps[3].clusterValues.ipv6-east.aws.credentials',
    ]);
    expect(problems[0]).toBe('apps[3].values.redis.auth.password: holds a secret (its name says so): values are written as they are to dist/apps/podinfo/values/, which is in git. Fix: leave it out and reference an existing Secret (most charts take existingSecret, or a secretName), or have External Secrets create it from your secret store');
    expect(locatedProblemsOf(text)[0]).toMatch(new RegExp(`^${lineOf(text, 'redis: { auth')}:`));
  });

  test('references to a Secret, empty strings and values that are not strings pass', () => {
    const fleet: Fleet = parseFleet(fleetText({
      values: '\n      auth: { existingSecret: redis-auth, existingSecretPasswordKey: password, password: "" }\n      tls: { secretName: podinfo-tls, tokenPath: /var/run/token, passwordFile: /etc/pw }\n      secrets: { enabled: true }\n      tokenTTL: 300',
    }));
    expect(fleet.apps.find((app) => app.name === 'podinfo')).toBeDefined();
  });
});

describe('secrets in the shapes charts take them', () => {
  test('a numeric password, a list of tokens, an environment variable named as a secret, an access key pair and a URL with a password are refused', () => {
    const text = fleetText({
      values: '\n      auth: { password: 12345678, tokens: [abc] }\n      extraEnv: [{ name: DB_PASSWORD, value: hunter2 }, { name: LOG_LEVEL, value: debug }]\n      minio: { accessKey: AKIAEXAMPLE, secretKey: wJalrEXAMPLE }\n      databaseUrl: postgres://app:hunter2@db:5432/app',
    });
    expect(problemsOf(text).map((problem) => problem.slice(0, problem.indexOf(': ')))).toEqual([
      'apps[3].values.auth.password',
      'apps[3].values.auth.tokens',
      'apps[3].values.extraEnv[0].value',
      'apps[3].values.minio.accessKey',
      'apps[3].values.minio.secretKey',
      'apps[3].values.databaseUrl',
    ]);
  });

  test('settings about a secret pass: a TLS Secret\'s name, image pull Secrets, a token URL, a password policy, a secret store, a TTL', () => {
    const fleet: Fleet = parseFleet(fleetText({
      values: '\n      ingress: { tlsSecret: podinfo-tls }\n      imagePullSecrets: [regcred]\n      auth: { tokenUrl: "https://idp.example.com/token", passwordPolicy: strict, tokenTTL: 300 }\n      vault: { secretStore: aws }\n      url: "https://example.com/path"',
    }));
    expect(fleet.apps.find((app) => app.name === 'podinfo')).toBeDefined();
  });
});

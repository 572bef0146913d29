import { ApiObject, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import { AppCharts, appInputs } from '../../charts/fleet';
import { Manifest } from '../../charts/manifest';
import { largeFleetYaml } from '../fixtures/large-fleet';
import { demoFleet, writeTempFleet } from '../support/fixtures';
import { loadFleet } from '../../config/load';
import { isService, isTestApp } from '../../config/fleet';

/** What cdk8s's own ApiObject.toJson renders for the same object. */
function apiObjectJson(object: ApiObject): unknown {
  return ApiObject.prototype.toJson.call(object);
}

// Not `instanceof`: ApiObject answers it for every ApiObject.
function manifestsOf(app: App): Manifest<any>[] {
  return app.node.findAll().filter((node): node is Manifest<any> => Manifest.prototype.isPrototypeOf(node));
}

function configMap(chart: Chart, data: Record<string, unknown>) {
  return new Manifest<any>(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data });
}

describe('Manifest renders what cdk8s ApiObject renders', () => {
  test('for every per-app object of the default fleet and of a 300-app fleet', () => {
    for (const fleet of [demoFleet(), loadFleet(writeTempFleet(largeFleetYaml(300, 8)))]) {
      // GIVEN the fleet's charts
      const app = Testing.app();
      new AppCharts(app, 'apps', { apps: appInputs(fleet) });
      const manifests = manifestsOf(app);
      // THEN every Deployment, Service, ... renders exactly as cdk8s would
      // (six objects per test app; a service's Namespace, and an Ingress per placement)
      expect(manifests.length).toBeGreaterThanOrEqual(6 * fleet.apps.filter(isTestApp).length + 2 * fleet.apps.filter(isService).length);
      for (const manifest of manifests) expect(manifest.toJson()).toStrictEqual(apiObjectJson(manifest));
    }
  });

  test('puts apiVersion, kind and metadata first, sorts the other keys and drops null and undefined', () => {
    const chart = Testing.chart();
    const object = configMap(chart, { zeta: 'z', alpha: { b: null, a: undefined, c: [1, null, { y: 2, x: 1 }] } });
    const json = object.toJson();
    expect(Object.keys(json)).toEqual(['apiVersion', 'kind', 'metadata', 'data']);
    expect(JSON.stringify(json.data)).toBe('{"alpha":{"c":[1,null,{"x":1,"y":2}]},"zeta":"z"}');
    expect(json).toStrictEqual(apiObjectJson(object));
  });

  test('resolves Lazy values and tokens, and merges labels added later', () => {
    const chart = Testing.chart();
    let replicas = 1;
    const object = new Manifest<any>(chart, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: Lazy.any({ produce: () => replicas }), selector: { resolve: () => ({ matchLabels: { app: 'web' } }) } },
    });
    object.metadata.addLabel('team', 'platform');
    replicas = 3;
    expect(object.toJson().spec).toEqual({ replicas: 3, selector: { matchLabels: { app: 'web' } } });
    expect(object.toJson().metadata.labels).toEqual({ team: 'platform' });
    expect(object.toJson()).toStrictEqual(apiObjectJson(object));
  });

  test('renders metadata as cdk8s does: annotations, finalizers, owner references, other fields, nothing empty', () => {
    const chart = new Chart(Testing.app(), 'chart', { labels: { team: 'platform' }, namespace: 'web' });
    const bare = configMap(chart, {});
    const full = new Manifest<any>(chart, 'full', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'full', labels: {}, annotations: {} } });
    full.metadata.addAnnotation('note', 'yes');
    full.metadata.addFinalizers('example.com/keep');
    full.metadata.addOwnerReference({ apiVersion: 'v1', kind: 'Namespace', name: 'web', uid: '1' });
    full.metadata.add('generateName', 'full-');
    expect(bare.toJson().metadata).toEqual({ labels: { team: 'platform' }, name: 'cm', namespace: 'web' });
    expect(full.toJson().metadata).toEqual({
      annotations: { note: 'yes' },
      finalizers: ['example.com/keep'],
      generateName: 'full-',
      labels: { team: 'platform' },
      name: 'full',
      namespace: 'web',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Namespace', name: 'web', uid: '1' }],
    });
    for (const object of [bare, full]) expect(object.toJson()).toStrictEqual(apiObjectJson(object));
  });

  test('leaves metadata to cdk8s when its fields are not where cdk8s 2.70 keeps them', () => {
    const object = configMap(Testing.chart(), { a: '1' });
    object.metadata.addLabel('team', 'platform');
    delete (object.metadata as any)._additionalAttributes;
    expect(object.toJson().metadata).toEqual({ labels: { team: 'platform' }, name: 'cm' });
    expect(object.toJson()).toStrictEqual(apiObjectJson(object));
  });

  test('applies JSON patches', () => {
    const chart = Testing.chart();
    const object = configMap(chart, { a: '1' });
    object.addJsonPatch(JsonPatch.add('/data/b', '2'));
    expect(object.toJson().data).toEqual({ a: '1', b: '2' });
  });

  test('hands values to an app with its own resolvers', () => {
    class Upcase implements IResolver {
      resolve(context: ResolutionContext) {
        if (typeof context.value === 'string' && context.value.startsWith('up:')) context.replaceValue(context.value.slice(3).toUpperCase());
      }
    }
    const app = Testing.app({ resolvers: [new Upcase()] });
    const object = configMap(new Chart(app, 'chart'), { a: 'up:loud' });
    expect(object.toJson().data).toEqual({ a: 'LOUD' });
  });

  test('refuses a class instance no resolver understands, as cdk8s does', () => {
    class Opaque { constructor(readonly inner: string) {} }
    const object = configMap(Testing.chart(), { a: new Opaque('x') });
    expect(() => object.toJson()).toThrow("can't render non-simple object of type 'Opaque'");
    expect(() => apiObjectJson(object)).toThrow("can't render non-simple object of type 'Opaque'");
  });

  test('sorts keys even when CDK8S_DISABLE_SORT is set: nothing in the environment changes dist/', () => {
    const object = configMap(Testing.chart(), { b: '1', a: '2' });
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expect(Object.keys(object.toJson().data)).toEqual(['a', 'b']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });
});

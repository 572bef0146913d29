import { ApiObject, ApiObjectMetadata, App, ImplicitTokenResolver, IResolver, JsonPatch, LazyResolver, NumberStringUnionResolver, resolve } from 'cdk8s';
import { Construct } from 'constructs';

/** A Kubernetes object as plain data, e.g. kubernetes-models' `IDeployment`. */
export interface ManifestData {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: object;
}

/** What a Manifest is built from: the object as plain data, with cdk8s's metadata (labels merge with the chart's). */
export type ManifestProps<T extends ManifestData> = Omit<T, 'metadata'> & { readonly metadata?: ApiObjectMetadata };

const defaultResolverTypes: ReadonlyArray<new () => IResolver> = [LazyResolver, ImplicitTokenResolver, NumberStringUnionResolver];

/** Whether `app` resolves values only with the resolvers every cdk8s App has. */
function hasOnlyDefaultResolvers(app: App): boolean {
  return app.resolvers.length === defaultResolverTypes.length
    && app.resolvers.every((resolver, index) => resolver.constructor === defaultResolverTypes[index]);
}

/**
 * A cdk8s ApiObject built from plain manifest data (typed with kubernetes-models), for the
 * objects a fleet has thousands of. Its JSON is what ApiObject's would be: the same resolution
 * of Lazy values and tokens, the same sorted keys without null or undefined, the same patches.
 * It is faster because plain data, which is all these objects hold, is copied in one walk
 * instead of being offered to every resolver value by value; anything else (a Lazy, a token,
 * a custom resolver, a JSON patch) goes through cdk8s's own resolution.
 */
export class Manifest<T extends ManifestData> extends ApiObject {
  private readonly data: ManifestProps<T>;
  private hasPatches = false;

  constructor(scope: Construct, id: string, props: ManifestProps<T>) {
    super(scope, id, props);
    this.data = props;
  }

  override addJsonPatch(...ops: JsonPatch[]): void {
    this.hasPatches = true;
    super.addJsonPatch(...ops);
  }

  override toJson(): any {
    if (this.hasPatches || !hasOnlyDefaultResolvers(App.of(this))) return super.toJson();
    const sortKeys = !process.env.CDK8S_DISABLE_SORT;
    const json = this.plainJson({ ...this.data, metadata: this.metadata.toJson() }, sortKeys);
    // As ApiObject does: apiVersion, kind and metadata first.
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
      if (key in json) result[key] = json[key];
    }
    return result;
  }

  /** `sanitize(resolve(value))` as ApiObject computes it, in one walk over plain data. */
  private plainJson(value: any, sortKeys: boolean): any {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item) => this.plainJson(item, sortKeys));
    if (value.constructor !== Object || typeof value.resolve === 'function') {
      return sanitize(resolve([], value, this), sortKeys);
    }
    const result: Record<string, unknown> = {};
    const keys = sortKeys ? Object.keys(value).sort() : Object.keys(value);
    for (const key of keys) {
      const item = this.plainJson(value[key], sortKeys);
      if (item !== undefined) result[key] = item;
    }
    return result;
  }
}

/** cdk8s's sanitizeValue (not exported by cdk8s): drops null and undefined, sorts keys, refuses class instances. */
function sanitize(value: any, sortKeys: boolean): any {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => sanitize(item, sortKeys));
  if (value.constructor.name !== 'Object') throw new Error(`can't render non-simple object of type '${value.constructor.name}'`);
  const result: Record<string, unknown> = {};
  const keys = sortKeys ? Object.keys(value).sort() : Object.keys(value);
  for (const key of keys) {
    const item = sanitize(value[key], sortKeys);
    if (item !== undefined) result[key] = item;
  }
  return result;
}

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
 * (Keys are always sorted: cdk8s leaves them unsorted under CDK8S_DISABLE_SORT, which the fleet
 * is built without, see app/render.ts, so that nothing in the environment changes dist/.)
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
    const json = this.plainJson({ ...this.data, metadata: this.metadataJson() }, false);
    // As ApiObject does: apiVersion, kind and metadata first.
    const result: Record<string, unknown> = {};
    for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(json)]) {
      if (key in json) result[key] = json[key];
    }
    return result;
  }

  /**
   * `this.metadata.toJson()`, from the fields cdk8s 2.70 keeps it in, in one walk. They are
   * private to cdk8s, so if they are not there, cdk8s computes it; a test compares the two.
   */
  private metadataJson(): unknown {
    const metadata = this.metadata as unknown as Partial<MetadataFields>;
    if (!metadata._additionalAttributes || !metadata.labels || !metadata.annotations || !metadata.finalizers || !metadata.ownerReferences) {
      return this.metadata.toJson();
    }
    const { name, namespace, annotations, finalizers, ownerReferences, labels } = metadata;
    return this.plainJson({ ...metadata._additionalAttributes, name, namespace, annotations, finalizers, ownerReferences, labels }, true);
  }

  /**
   * `sanitize(resolve(value))` as cdk8s computes it, in one walk over plain data; metadata drops
   * empty lists and mappings (`dropEmpty`), the rest of an object keeps them. What is not
   * plain data is resolved by cdk8s, and the result walked again as resolved (`resolved`), where
   * a class instance is an error, as in cdk8s's sanitize.
   */
  private plainJson(value: any, dropEmpty: boolean, resolved = false): any {
    if (value === null || value === undefined) return undefined;
    if (typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      return dropEmpty && !value.length ? undefined : value.map((item) => this.plainJson(item, dropEmpty, resolved));
    }
    if (!resolved && (value.constructor !== Object || typeof value.resolve === 'function')) {
      return this.plainJson(resolve([], value, this), dropEmpty, true);
    }
    if (resolved && value.constructor.name !== 'Object') {
      throw new Error(`can't render non-simple object of type '${value.constructor.name}'`);
    }
    const result: Record<string, unknown> = {};
    let empty = true;
    for (const key of Object.keys(value).sort()) {
      const item = this.plainJson(value[key], dropEmpty, resolved);
      if (item !== undefined) {
        result[key] = item;
        empty = false;
      }
    }
    return dropEmpty && empty ? undefined : result;
  }
}

/** Where cdk8s 2.70's ApiObjectMetadataDefinition keeps what its toJson renders. */
interface MetadataFields {
  readonly name?: string;
  readonly namespace?: string;
  readonly labels: Record<string, unknown>;
  readonly annotations: Record<string, unknown>;
  readonly finalizers: unknown[];
  readonly ownerReferences: unknown[];
  readonly _additionalAttributes: Record<string, unknown>;
}

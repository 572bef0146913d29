import { toYaml, toYamlStream } from './yaml';

/** The first line of every file in dist/, so nobody edits one by hand. */
export const generatedHeader = '# Generated from fleet.yaml by `npm run synth`: edit fleet.yaml, not this file.\n';

/** A file of dist/ before it is serialised: its Kubernetes objects, Helm values, or a JSON document (which carries its own comment). */
export type FileContent =
  | { readonly path: string; readonly objects: readonly Record<string, unknown>[] }
  | { readonly path: string; readonly values: Record<string, unknown> }
  | { readonly path: string; readonly json: Record<string, unknown> }
  | { readonly path: string; readonly text: string };

/** The text of a file of dist/. */
export function fileText(content: FileContent): string {
  if ('json' in content) return `${JSON.stringify(content.json, null, 2)}\n`;
  // A file copied byte for byte (a later wave's copy of a shared file, charts/waves.ts).
  if ('text' in content) return content.text;
  return generatedHeader + ('objects' in content ? toYamlStream(content.objects) : toYaml(content.values));
}

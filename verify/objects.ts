/**
 * Every object of a render of dist/, checked as the API server and Argo CD would take it: each
 * object, and each Application the ApplicationSets generate, against its Kubernetes or Argo CD
 * schema and the API server's size, name and label limits, and each pod template against Pod
 * Security "restricted".
 */
import { clusterLabelKeys } from '../catalog/argocd';
import { expandApplicationSet, Json } from '../diff/applicationset';
import { objectLimitProblems } from './limits';
import { manifestErrors } from './manifests';
import { podSpecOf, restrictedViolations } from './pod-security';
import { argocdObjects, RenderedObject, renderedFiles } from './rendered';

/** The Argo CD cluster Secrets of a render. */
export function clusterSecrets(objects: readonly RenderedObject[]): RenderedObject[] {
  return objects.filter((object) => object.kind === 'Secret' && object.metadata?.labels?.[clusterLabelKeys.secretType] === 'cluster');
}

/** The Applications the render's ApplicationSets generate, each with the file of its ApplicationSet. */
export function generatedApplications(objects: readonly RenderedObject[]): RenderedObject[] {
  const secrets = clusterSecrets(objects);
  return objects
    .filter((object) => object.kind === 'ApplicationSet')
    .flatMap((appSet) => expandApplicationSet(appSet, secrets).map((application: Json) => ({ ...application, file: appSet.file })));
}

function schemaProblems(objects: readonly RenderedObject[]): string[] {
  return objects.flatMap(({ file, ...object }) => [...manifestErrors(object), ...objectLimitProblems(object)].map((problem) => `${file}: ${problem}`));
}

function podProblems(objects: readonly RenderedObject[]): string[] {
  return objects.flatMap((object) => {
    const podSpec = podSpecOf(object);
    if (!podSpec) return [];
    return restrictedViolations(podSpec).map((violation) => `${object.file}: ${object.kind}/${object.metadata?.name}: Pod Security "restricted": ${violation}`);
  });
}

/** Every schema and Pod Security problem of the render, each as `file: kind/name: problem`; the files are read one at a time. */
export function renderedObjectProblems(files: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  const pods: string[] = [];
  for (const objects of renderedFiles(files)) {
    problems.push(...schemaProblems(objects));
    pods.push(...podProblems(objects));
  }
  return [...problems, ...schemaProblems(generatedApplications(argocdObjects(files))), ...pods];
}

/**
 * renderedObjectProblems, giving way to other work (`pause`) every `filesPerTurn` files: `npm run check` checks
 * the objects while helm renders the charts, whose runs it starts and reads between the turns.
 */
export async function renderedObjectProblemsInTurns(files: ReadonlyMap<string, string>, pause: () => Promise<void>, filesPerTurn = 50): Promise<string[]> {
  const problems: string[] = [];
  const pods: string[] = [];
  let read = 0;
  for (const objects of renderedFiles(files)) {
    problems.push(...schemaProblems(objects));
    pods.push(...podProblems(objects));
    if (++read % filesPerTurn === 0) await pause();
  }
  return [...problems, ...schemaProblems(generatedApplications(argocdObjects(files))), ...pods];
}

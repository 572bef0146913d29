/**
 * An app whose DNS name changes on a cluster where it runs: a service's expose.host, or the fleet's domain. The
 * generator's Ingress `<app>` then names the new host, and external-dns (policy sync, its TXT registry) deletes the
 * records it owns for the old name as it creates the new ones (external-dns v0.21.0 plan/plan.go: a record of this
 * owner that no source asks for any more is deleted), so every client still calling the old name fails once resolvers
 * let go of it, with nothing left to answer there. It still works for clients that use the new name, so it is a
 * warning, said by synth and npm run diff against the dist/ they replace and by npm run check against the pull
 * request's base, read like the ALB walk (diff/load-balancers.ts): from the previous text of the per-cluster files the
 * change rewrites (apps/<app>/clusters/<cluster>.yaml).
 */
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { appClusterPath } from '../catalog/dist-layout';
import { App, Fleet } from '../config/fleet';
import { firstNames } from '../config/messages';
import { LocatedMessage } from '../terraform/identity-switch';

/** The host of the app's own Ingress (named as the app) in a per-cluster file; undefined when it has none or does not parse. */
function hostIn(text: string, app: string): string | undefined {
  let objects: any[];
  try {
    objects = loadAll(text, null, { schema: CORE_SCHEMA });
  } catch {
    return undefined;
  }
  const ingress = objects.find((object) => object?.kind === 'Ingress' && object.metadata?.name === app);
  const host = ingress?.spec?.rules?.[0]?.host;
  return typeof host === 'string' ? host : undefined;
}

/** The host the fleet gives an app: a service's expose.host, else its name, in the fleet's domain. */
export function appHost(app: App, domain: string): string {
  return `${app.kind === 'service' ? app.expose.host : app.name}.${domain}`;
}

/**
 * The apps whose host changes on clusters they ran on: one message per app, at apps[i].expose.host (a test app's at
 * apps[i].name, though its per-cluster file is never rewritten under another name); one for all of them, at domain,
 * when the fleet's domain changed. `previous`: the previous text of each file of dist/ the change rewrites (undefined: it did
 * not exist); only the apps' per-cluster files are read.
 */
export function hostChanges(fleet: Fleet, previous: ReadonlyMap<string, string | undefined>): LocatedMessage[] {
  const messages: LocatedMessage[] = [];
  const renamedByDomain: string[] = [];
  let oldDomain: string | undefined;
  fleet.apps.forEach((app, index) => {
    const now = appHost(app, fleet.domain);
    const moved = app.placements.flatMap(({ cluster }) => {
      const text = previous.get(appClusterPath(app.name, cluster));
      const was = text === undefined ? undefined : hostIn(text, app.name);
      return was !== undefined && was !== now ? [{ cluster, was }] : [];
    });
    if (!moved.length) return;
    const was = moved[0].was;
    // The name's domain is what follows its first label (a host is one label): apps.example.com -> example.com is a new domain.
    if (was.slice(was.indexOf('.') + 1) !== fleet.domain) {
      renamedByDomain.push(app.name);
      oldDomain ??= was.slice(was.indexOf('.') + 1);
      return;
    }
    messages.push({
      path: app.kind === 'service' ? ['apps', index, 'expose', 'host'] : ['apps', index, 'name'],
      message: `moves ${app.name} from ${was} to ${now} on ${moved.map(({ cluster }) => cluster).join(', ')}, where it runs: external-dns deletes the records of ${was} as it publishes ${now}, `
        + `so every client still calling ${was} fails (nothing answers that name any more). Move the clients to ${now} first`
        + `${app.kind === 'service' ? `, or keep expose.host: ${was.slice(0, was.indexOf('.'))}` : ''}.`,
    });
  });
  if (renamedByDomain.length) {
    messages.push({
      path: ['domain'],
      message: `moves ${firstNames(renamedByDomain)} from ${oldDomain} to ${fleet.domain} on the clusters they run on: the ALBs then route only the new names, `
        + `so every client still calling a name in ${oldDomain} gets errors, and external-dns (domainFilters: ${fleet.domain}) no longer manages the records it made there: `
        + `move the clients first, then delete those records from ${oldDomain}'s hosted zone.`,
    });
  }
  return messages;
}

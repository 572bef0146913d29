/**
 * The checks of Pod Security Standards "restricted" (which include "baseline"), applied to a
 * pod spec as the admission controller applies them.
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */

type Json = Record<string, any>;

const restrictedVolumeTypes = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const safeSysctls = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
];
const allowedSeccomp = ['RuntimeDefault', 'Localhost'];

/** The host namespaces and unsafe sysctls of a pod: refused by "baseline", and so by "restricted". */
function hostViolations(podSpec: Json): string[] {
  const problems: string[] = [];
  for (const hostField of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (podSpec[hostField]) problems.push(`${hostField} is set`);
  }
  for (const sysctl of podSpec.securityContext?.sysctls ?? []) {
    if (!safeSysctls.includes(sysctl.name)) problems.push(`sysctl ${sysctl.name} is not in the safe set`);
  }
  return problems;
}

/** Every container of a pod, init and ephemeral ones included, with how messages name it. */
function containersOf(podSpec: Json): Array<{ readonly where: string; readonly container: Json; readonly security: Json }> {
  return [...(podSpec.initContainers ?? []), ...(podSpec.containers ?? []), ...(podSpec.ephemeralContainers ?? [])]
    .map((container: Json) => ({ where: `container ${container.name}`, container, security: container.securityContext ?? {} }));
}

/** A privileged container or a host port: refused by "baseline", and so by "restricted". */
function privilegeViolations(where: string, container: Json, security: Json): string[] {
  return [
    ...(security.privileged ? [`${where} is privileged`] : []),
    ...(container.ports ?? []).filter((port: Json) => port.hostPort).map((port: Json) => `${where} uses hostPort ${port.hostPort}`),
  ];
}

/** Every violation of "restricted" in a pod spec; empty when it passes. */
export function restrictedViolations(podSpec: Json): string[] {
  const problems = hostViolations(podSpec);
  const pod = podSpec.securityContext ?? {};
  for (const volume of podSpec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (!type || !restrictedVolumeTypes.includes(type)) problems.push(`volume ${volume.name} has type ${type}`);
  }
  if (pod.runAsUser === 0) problems.push('pod runs as uid 0');
  for (const { where, container, security } of containersOf(podSpec)) {
    problems.push(...privilegeViolations(where, container, security));
    if (security.allowPrivilegeEscalation !== false) problems.push(`${where} does not set allowPrivilegeEscalation: false`);
    if ((security.runAsNonRoot ?? pod.runAsNonRoot) !== true) problems.push(`${where} does not run as non-root`);
    if (security.runAsUser === 0) problems.push(`${where} runs as uid 0`);
    const seccomp = security.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (!allowedSeccomp.includes(seccomp)) problems.push(`${where} has no RuntimeDefault or Localhost seccomp profile`);
    const drop: string[] = security.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) problems.push(`${where} does not drop ALL capabilities`);
    const add: string[] = security.capabilities?.add ?? [];
    if (add.some((capability) => capability !== 'NET_BIND_SERVICE')) problems.push(`${where} adds capabilities ${add.join(', ')}`);
  }
  return problems;
}

/** The capabilities "baseline" lets a container add (the runtime's defaults). */
const baselineCapabilities = ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'];
const baselineSelinuxTypes = ['container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t'];

/** Every violation of "baseline" in a pod spec (the level a service may declare instead of "restricted"); empty when it passes. */
export function baselineViolations(podSpec: Json): string[] {
  const problems = hostViolations(podSpec);
  for (const volume of podSpec.volumes ?? []) {
    if (volume.hostPath) problems.push(`volume ${volume.name} is a hostPath`);
  }
  const contexts: Array<[string, Json]> = [['pod', podSpec.securityContext ?? {}]];
  for (const { where, container, security } of containersOf(podSpec)) {
    contexts.push([where, security]);
    problems.push(...privilegeViolations(where, container, security));
    const extra = (security.capabilities?.add ?? []).filter((capability: string) => !baselineCapabilities.includes(capability));
    if (extra.length) problems.push(`${where} adds capabilities ${extra.join(', ')}`);
    if (security.procMount !== undefined && security.procMount !== 'Default') problems.push(`${where} sets procMount ${security.procMount}`);
  }
  for (const [where, security] of contexts) {
    if (security.windowsOptions?.hostProcess) problems.push(`${where} is a Windows HostProcess`);
    if (security.seccompProfile?.type === 'Unconfined') problems.push(`${where} has seccomp profile Unconfined`);
    if (security.appArmorProfile?.type === 'Unconfined') problems.push(`${where} has AppArmor profile Unconfined`);
    const selinux = security.seLinuxOptions ?? {};
    if (selinux.type !== undefined && selinux.type !== '' && !baselineSelinuxTypes.includes(selinux.type)) problems.push(`${where} sets SELinux type ${selinux.type}`);
    if (selinux.user || selinux.role) problems.push(`${where} sets an SELinux user or role`);
  }
  return problems;
}

/** The pod spec of a workload object, or undefined for other kinds. */
export function podSpecOf(object: Json): Json | undefined {
  switch (object.kind) {
    case 'Pod': return object.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return object.spec?.template?.spec;
    case 'CronJob': return object.spec?.jobTemplate?.spec?.template?.spec;
    default: return undefined;
  }
}

import { ChildProcess, spawn, spawnSync } from 'child_process';
import {
  chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { importClustersCommand } from '../../app/import-clusters-cli';
import { parseFleet } from '../../config/load';
import { updateFleetFile } from '../../output/fleet-file';
import { demoFleetText, projectRoot, writeTempFleet } from '../support/fixtures';

// Two imports at once, and a killed one: real processes on a loaded machine.
jest.setTimeout(60_000);

const fixture = (name: string) => join(projectRoot, 'test', 'fixtures', 'import', `${name}.json`);
const asRoot = process.getuid?.() === 0;
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

/** `npm run import-clusters -- <files>` in a process of its own, not waited for. */
function startImport(fleetFile: string, files: readonly string[], onSpawn?: (child: ChildProcess) => void) {
  const child = spawn(process.execPath, [join(projectRoot, 'scripts', 'run.mjs'), 'app/import-clusters.ts', ...files], {
    cwd: projectRoot,
    env: { ...process.env, FLEET_CONFIG: fleetFile },
  });
  onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

/** The command in this process, with what it prints. */
function runInProcess(fleetFile: string, files: readonly string[]): { status: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...args) => void err.push(args.join(' ')));
  try {
    const status = importClustersCommand([...files], { FLEET_CONFIG: fleetFile });
    return { status, stdout: out.map((line) => `${line}\n`).join(''), stderr: err.map((line) => `${line}\n`).join('') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

/** A terraform output of legacy-ipv4 that takes a while to read (a large output beside the cluster's), so a test can catch its run holding the lock. */
function slowLegacyOutputs(): string {
  const outputs = JSON.parse(readFileSync(fixture('terraform-legacy-ipv4'), 'utf8'));
  outputs.node_user_data = { sensitive: false, type: 'string', value: 'x'.repeat(30_000_000) };
  const file = join(mkdtempSync(join(tmpdir(), 'import-slow-')), 'outputs.json');
  writeFileSync(file, JSON.stringify(outputs));
  return file;
}

const readText = (file: string) => { try { return readFileSync(file, 'utf8'); } catch { return undefined; } };

/** Starts an import of legacy-ipv4 that holds fleet.yaml's lock for a while; resolves once the lock names its process. */
async function importHoldingTheLock(fleetFile: string): Promise<{ child: ChildProcess; done: ReturnType<typeof startImport> }> {
  const lockFile = join(fleetFile, '..', '.fleet.yaml.lock');
  let child: ChildProcess | undefined;
  const done = startImport(fleetFile, [slowLegacyOutputs()], (started) => (child = started));
  for (const started = Date.now(); readText(lockFile) !== `${child?.pid}\n` && Date.now() - started < 30_000;) await pause();
  return { child: child!, done };
}

describe('one import of a fleet.yaml at a time', () => {
  test('two imports at once both land: the second waits for the first and edits what it wrote', async () => {
    // GIVEN one fleet.yaml, and an import of legacy-ipv4 that holds the lock for a while
    const fleetFile = writeTempFleet(demoFleetText);
    const { child: firstChild, done: first } = await importHoldingTheLock(fleetFile);
    // WHEN a second import, of ipv6-east, starts while the first holds the lock (the first is
    // stopped once its lock names it, and let go once the second says it waits)
    process.kill(firstChild.pid!, 'SIGSTOP');
    let second: ReturnType<typeof startImport>;
    try {
      let waiting = false;
      second = startImport(fleetFile, [fixture('terraform-ipv6-east')], (child) => child.stderr!.on('data', (chunk) => (waiting ||= String(chunk).includes('waiting for another import-clusters'))));
      for (const started = Date.now(); !waiting && Date.now() - started < 20_000;) await pause();
    } finally {
      process.kill(firstChild.pid!, 'SIGCONT');
    }
    const results = await Promise.all([first, second]);
    // THEN both succeed, and fleet.yaml has the fields of both clusters
    expect(results.map((result) => result.status)).toEqual([0, 0]);
    expect(results[1].stderr).toMatch(/^waiting for another import-clusters \(pid \d+\) to finish writing .*fleet\.yaml$/m);
    const fleet = parseFleet(readFileSync(fleetFile, 'utf8'));
    expect(fleet.clusters[0]).toMatchObject({ name: 'legacy-ipv4', vpcId: 'vpc-0b2c3d4e5f6071829' });
    expect(fleet.clusters[1]).toMatchObject({ name: 'ipv6-east', vpcId: 'vpc-0e1d2c3b4a5968778' });
    expect(readdirSync(join(fleetFile, '..'))).toEqual(['fleet.yaml']);
  });

  test('a killed import leaves its lock and its staged file; the next import takes the lock over and removes the file', async () => {
    // GIVEN an import killed while it held the lock, after writing its staged file
    const fleetFile = writeTempFleet(demoFleetText);
    const { child, done: killed } = await importHoldingTheLock(fleetFile);
    process.kill(child.pid!, 'SIGKILL');
    await killed;
    const staged = `${fleetFile}.import-${child.pid}`;
    writeFileSync(staged, 'half a fleet');
    // and a staged file of an import that still runs, which must stay
    const running = spawn('sleep', ['30']);
    const runningStaged = `${fleetFile}.import-${running.pid}`;
    writeFileSync(runningStaged, 'being written');
    try {
      // WHEN the next import runs
      const result = runInProcess(fleetFile, [fixture('terraform-ipv6-east')]);
      // THEN it succeeds, says what it removed, and leaves only fleet.yaml and the running import's file
      expect(result.status).toBe(0);
      expect(result.stderr).toBe(`removed ${staged}, which an import that is gone had left\n`);
      expect(readdirSync(join(fleetFile, '..')).sort()).toEqual(['fleet.yaml', `fleet.yaml.import-${running.pid}`]);
      expect(parseFleet(readFileSync(fleetFile, 'utf8')).clusters[1].vpcId).toBe('vpc-0e1d2c3b4a5968778');
    } finally {
      running.kill();
    }
  });
});

describe('fleet.yaml is written where it is, as it was', () => {
  test('through a symbolic link: the real file gets the values and keeps its mode; the link stays a link', () => {
    // GIVEN fleet.yaml, mode 0640, in a repository, named through a link from elsewhere
    const real = writeTempFleet(demoFleetText);
    chmodSync(real, 0o640);
    const link = join(mkdtempSync(join(tmpdir(), 'fleet-link-')), 'fleet.yaml');
    symlinkSync(real, link);
    // WHEN the import names the link
    const result = runInProcess(link, [fixture('terraform-legacy-ipv4')]);
    // THEN
    expect(result.status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(parseFleet(readFileSync(real, 'utf8')).clusters[0].vpcId).toBe('vpc-0b2c3d4e5f6071829');
    expect((statSync(real).mode & 0o7777).toString(8)).toBe('640');
    expect(readdirSync(join(link, '..'))).toEqual(['fleet.yaml']);
    expect(readdirSync(join(real, '..'))).toEqual(['fleet.yaml']);
  });

  test('a read-only fleet.yaml is refused, even for root, and left as it was', () => {
    // GIVEN
    const fleetFile = writeTempFleet(demoFleetText);
    chmodSync(fleetFile, 0o440);
    // WHEN
    const result = runInProcess(fleetFile, [fixture('terraform-legacy-ipv4')]);
    // THEN
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`import-clusters failed; ${fleetFile} was left as it was:\n${fleetFile} is read-only (mode 0440): import-clusters does not replace a file made read-only; make it writable (chmod u+w) and import again, or leave it as it is\n`);
    expect(result.stdout).toBe('');
    expect(readFileSync(fleetFile, 'utf8')).toBe(demoFleetText);
    expect(readdirSync(join(fleetFile, '..'))).toEqual(['fleet.yaml']);
  });

  test('a full disk: a sentence, "left as it was", no stack trace, and nothing left beside fleet.yaml', () => {
    // GIVEN a disk that fills up as the new fleet.yaml is written (the error injected where the write fails)
    const fleetFile = writeTempFleet(demoFleetText);
    const fs = require('fs') as typeof import('fs');
    const write = fs.writeSync;
    const full = jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      if (typeof data === 'string') return (write as (...args: unknown[]) => number)(fd, data, ...rest); // the lock's pid
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    }) as typeof fs.writeSync);
    let result;
    try {
      // WHEN
      result = runInProcess(fleetFile, [fixture('terraform-legacy-ipv4')]);
    } finally {
      full.mockRestore();
    }
    // THEN
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`import-clusters failed; ${fleetFile} was left as it was:\ncannot write ${fleetFile}.import-${process.pid}: the disk is full (no space or no inodes left): free some, then import again (ENOSPC)\n`);
    expect(result.stdout).toBe('');
    expect(readFileSync(fleetFile, 'utf8')).toBe(demoFleetText);
    expect(readdirSync(join(fleetFile, '..'))).toEqual(['fleet.yaml']);
  });

  test('a full disk, for real (root: a tmpfs with no space left)', () => {
    if (!asRoot) return console.warn('skipped: mounting a tmpfs needs root');
    const disk = mkdtempSync(join(tmpdir(), 'fleet-disk-'));
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk]).status !== 0) return console.warn('skipped: tmpfs cannot be mounted here');
    try {
      const fleetFile = join(disk, 'fleet.yaml');
      writeFileSync(fleetFile, demoFleetText);
      spawnSync('dd', ['if=/dev/zero', `of=${join(disk, 'filler')}`, 'bs=1k'], { stdio: 'ignore' });
      const result = runInProcess(fleetFile, [fixture('terraform-legacy-ipv4')]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^import-clusters failed; ${fleetFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was left as it was:\ncannot write .*: the disk is full \\(no space or no inodes left\\): free some, then import again \\(ENOSPC\\)\n$`));
      expect(readFileSync(fleetFile, 'utf8')).toBe(demoFleetText);
      expect(readdirSync(disk).sort()).toEqual(['filler', 'fleet.yaml']);
    } finally {
      spawnSync('umount', ['-l', disk]);
    }
  });

  test('a fleet.yaml changed by someone else while the import ran is not overwritten', () => {
    // GIVEN an edit saved between the import's read and its rename (made when the import stages its file)
    const fleetFile = writeTempFleet(demoFleetText);
    const edited = demoFleetText.replace('replicas: 5', 'replicas: 6');
    const fs = require('fs') as typeof import('fs');
    const fsync = fs.fsyncSync;
    const saving = jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      fsync(fd);
      if (readFileSync(fleetFile, 'utf8') === demoFleetText) writeFileSync(fleetFile, `${edited}\n`);
    });
    let result;
    try {
      result = runInProcess(fleetFile, [fixture('terraform-legacy-ipv4')]);
    } finally {
      saving.mockRestore();
    }
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`${fleetFile} was changed by someone else while import-clusters ran: import again`);
    expect(readFileSync(fleetFile, 'utf8')).toBe(`${edited}\n`);
    expect(readdirSync(join(fleetFile, '..'))).toEqual(['fleet.yaml']);
  });
});

describe('what import-clusters prints comes through synth\'s quoting', () => {
  // A private key, as a PEM block: no message may show any of it.
  const { privateKey } = require('crypto').generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pemKey: string = privateKey.export({ type: 'pkcs8', format: 'pem' });
  const keyBody = pemKey.split('\n').slice(1, -2).join('');
  const hostileValues: Record<string, string> = {
    'a PEM private key': pemKey,
    'a base64 PEM private key': Buffer.from(pemKey).toString('base64'),
    'escape sequences and a forged line': '\u001b[2J\u001b]0;owned\u0007\nok: clusters[0].server updated\u0000\r\u009b31m',
    'a 200 kB ARN': `arn:aws:eks:us-east-2:111122223333:cluster/${'x'.repeat(200_000)}`,
  };

  /** Where each field of each form is, and how to set it. */
  const fields: Record<string, [string, (json: any, value: string) => void]> = {
    'describe-cluster cluster.name': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.name = value; }],
    'describe-cluster cluster.arn': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.arn = value; }],
    'describe-cluster cluster.arn, its name': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.arn = `arn:aws:eks:us-east-2:111122223333:cluster/${value}`; json.cluster.name = value; }],
    'describe-cluster cluster.endpoint': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.endpoint = value; }],
    'describe-cluster cluster.certificateAuthority.data': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.certificateAuthority.data = value; }],
    'describe-cluster cluster.version': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.version = value; }],
    'describe-cluster cluster.kubernetesNetworkConfig.ipFamily': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.kubernetesNetworkConfig.ipFamily = value; }],
    'describe-cluster cluster.resourcesVpcConfig.vpcId': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.resourcesVpcConfig.vpcId = value; }],
    'describe-cluster cluster.resourcesVpcConfig.subnetIds': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.resourcesVpcConfig.subnetIds[0] = value; }],
    'describe-cluster cluster.resourcesVpcConfig.publicAccessCidrs': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.resourcesVpcConfig.publicAccessCidrs[0] = value; }],
    'describe-cluster cluster.resourcesVpcConfig.endpointPublicAccess': ['describe-cluster-legacy-ipv4', (json, value) => { json.cluster.resourcesVpcConfig.endpointPublicAccess = value; }],
    'describe-subnets SubnetId': ['describe-subnets-legacy-ipv4', (json, value) => { json.Subnets[0].SubnetId = value; }],
    'describe-subnets CidrBlock': ['describe-subnets-legacy-ipv4', (json, value) => { json.Subnets[0].CidrBlock = value; }],
    'describe-subnets Tags Key': ['describe-subnets-legacy-ipv4', (json, value) => { json.Subnets[0].Tags = [{ Key: value, Value: '1' }]; }],
    'a key of a describe-subnets object': ['describe-subnets-legacy-ipv4', (json, value) => { json.Subnets[0][value] = 1; }],
    'terraform cluster_name': ['terraform-legacy-ipv4', (json, value) => { json.cluster_name.value = value; }],
    'terraform region': ['terraform-legacy-ipv4', (json, value) => { json.region.value = value; }],
    'terraform account_id': ['terraform-legacy-ipv4', (json, value) => { json.account_id.value = value; }],
    'terraform ip_family': ['terraform-legacy-ipv4', (json, value) => { json.ip_family.value = value; }],
    'terraform cluster_endpoint': ['terraform-legacy-ipv4', (json, value) => { json.cluster_endpoint.value = value; }],
    'terraform cluster_certificate_authority_data': ['terraform-legacy-ipv4', (json, value) => { json.cluster_certificate_authority_data.value = value; }],
    'terraform vpc_id': ['terraform-legacy-ipv4', (json, value) => { json.vpc_id.value = value; }],
    'terraform private_subnets_cidr_blocks': ['terraform-legacy-ipv4', (json, value) => { json.private_subnets_cidr_blocks.value[1] = value; }],
    'terraform kubernetes_version': ['terraform-legacy-ipv4', (json, value) => { json.kubernetes_version.value = value; }],
    'terraform kubernetes_version, as a number': ['terraform-legacy-ipv4', (json, value) => { json.kubernetes_version.value = { [value]: 1 }; }],
  };

  /** What a printed message must never hold. */
  function expectClean(printed: string): void {
    expect(printed).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(printed.split('\n').filter((line) => /^\s*ok:/.test(line))).toEqual([]);
    expect(printed.length).toBeLessThan(4_000);
    // (the type of a PEM block may be named: "decodes to a PEM block of type PRIVATE KEY")
    expect(printed).not.toContain('-----BEGIN');
    for (let at = 0; at + 24 <= keyBody.length; at += 12) expect(printed).not.toContain(keyBody.slice(at, at + 24));
    expect(printed).not.toMatch(/\n\s+at /);
  }

  const cases = Object.entries(fields).flatMap(([field, [form, set]]) => Object.entries(hostileValues).map(([what, value]) => [field, what, form, set, value] as const));
  test.each(cases)('%s: %s', (_, __, form, set, value) => {
    // GIVEN the hostile value in that field of the form's file (a describe-cluster with its subnets' file)
    const dir = mkdtempSync(join(tmpdir(), 'import-hostile-'));
    const json = JSON.parse(readFileSync(fixture(form), 'utf8'));
    set(json, value);
    const file = join(dir, `${form}.json`);
    writeFileSync(file, JSON.stringify(json));
    const files = form.startsWith('describe-cluster') ? [file, fixture('describe-subnets-legacy-ipv4')] : form.startsWith('describe-subnets') ? [fixture('describe-cluster-legacy-ipv4'), file] : [file];
    const fleetFile = writeTempFleet(demoFleetText);
    // WHEN
    const result = runInProcess(fleetFile, files);
    // THEN what it prints is clean, and a refusal or failure wrote nothing (a tag's key or an unknown key is never read)
    expectClean(result.stdout + result.stderr);
    if (result.status !== 0) expect(readFileSync(fleetFile, 'utf8')).toBe(demoFleetText);
  });

  test('a file name and a JSON syntax error with ESC, BEL and NUL are printed escaped', () => {
    // GIVEN a file whose name and text hold control characters
    const dir = mkdtempSync(join(tmpdir(), 'import-hostile-'));
    const file = join(dir, 'out\u001b[2J\nok: forged.json');
    writeFileSync(file, '{"cluster": \u001b[31m\u0007\u0000}');
    // WHEN
    const result = runInProcess(writeTempFleet(demoFleetText), [file]);
    // THEN
    expect(result.status).toBe(2);
    expectClean(result.stderr);
    expect(result.stderr).toContain('out\\u001b[2J\\nok: forged.json: is not JSON (');
  });

  test('a JSON syntax error next to key material does not show it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-hostile-'));
    const file = join(dir, 'key.json');
    // (V8's message quotes the text around the unexpected token)
    writeFileSync(file, `{"cluster": x${pemKey}}`);
    const result = runInProcess(writeTempFleet(demoFleetText), [file]);
    expect(result.status).toBe(2);
    expectClean(result.stderr);
    expect(result.stderr).toContain('key.json: is not JSON (its text is not shown: it looks like key material)');
  });

  test('a fleet.yaml name with control characters is printed escaped', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'import-hostile-')), 'a\u001b[2J\nok: b');
    mkdirSync(dir);
    const fleetFile = join(dir, 'fleet.yaml');
    writeFileSync(fleetFile, demoFleetText);
    const result = runInProcess(fleetFile, [fixture('terraform-legacy-ipv4')]);
    expect(result.status).toBe(0);
    expectClean(result.stdout + result.stderr);
    expect(existsSync(fleetFile)).toBe(true);
  });
});

describe('updateFleetFile', () => {
  test('an import that cannot get the lock in time fails with who holds it and what to do, writing nothing', () => {
    // GIVEN a lock held by a running process
    const fleetFile = writeTempFleet(demoFleetText);
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(fleetFile, '..', '.fleet.yaml.lock'), `${holder.pid}\n`);
      // WHEN / THEN
      expect(() => updateFleetFile(fleetFile, () => ({ text: 'changed', result: undefined }), undefined, 200)).toThrow(
        `another import-clusters (pid ${holder.pid}) is writing ${fleetFile} and did not finish within 0 s: wait for it, or, if none is running, remove ${join(fleetFile, '..', '.fleet.yaml.lock')}`,
      );
      expect(readFileSync(fleetFile, 'utf8')).toBe(demoFleetText);
    } finally {
      holder.kill();
    }
  });

  test('a fleet file that does not exist is a sentence', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'fleet-missing-')), 'fleet.yaml');
    const result = runInProcess(missing, [fixture('terraform-legacy-ipv4')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^import-clusters failed; .*fleet\.yaml was left as it was:\ncannot (find|look at) .*fleet\.yaml: it does not exist \(ENOENT\)\n$/);
  });
});

describe('adopting clusters in bulk: --add', () => {
  /** describe-cluster, describe-subnets and describe-nodegroup files of `count` clusters fleet.yaml lacks (legacy-ipv4's, renamed and moved). */
  function newClusters(count: number): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'import-add-'));
    const cluster = JSON.parse(readFileSync(fixture('describe-cluster-legacy-ipv4'), 'utf8'));
    const subnets = JSON.parse(readFileSync(fixture('describe-subnets-legacy-ipv4'), 'utf8'));
    const files: string[] = [];
    const allSubnets: unknown[] = [];
    for (let index = 0; index < count; index++) {
      const name = `adopted-${index}`;
      const ids = subnets.Subnets.map((_: unknown, subnet: number) => `subnet-0c${String(index).padStart(5, '0')}000000${subnet}`);
      cluster.cluster.name = name;
      cluster.cluster.arn = `arn:aws:eks:us-east-2:111122223333:cluster/${name}`;
      cluster.cluster.endpoint = `https://${(0xabc000 + index).toString(16).toUpperCase().padStart(32, '0')}.gr7.us-east-2.eks.amazonaws.com`;
      cluster.cluster.resourcesVpcConfig.vpcId = `vpc-0c${String(index).padStart(15, '0')}`;
      cluster.cluster.resourcesVpcConfig.subnetIds = ids;
      files.push(join(dir, `${name}.json`));
      writeFileSync(files[files.length - 1], JSON.stringify(cluster));
      subnets.Subnets.forEach((subnet: Record<string, unknown>, at: number) => allSubnets.push({ ...subnet, SubnetId: ids[at], CidrBlock: String(subnet.CidrBlock).replace(/^10\.240\./, `10.${100 + index}.`) }));
      files.push(join(dir, `${name}-nodegroup.json`));
      writeFileSync(files[files.length - 1], JSON.stringify({ nodegroup: { nodegroupName: 'general', clusterName: name, instanceTypes: ['m5.xlarge'], scalingConfig: { minSize: 2, maxSize: 20, desiredSize: 2 } } }));
    }
    files.push(join(dir, 'subnets.json'));
    writeFileSync(files[files.length - 1], JSON.stringify({ Subnets: allSubnets }));
    return files;
  }

  test('adds every cluster fleet.yaml lacks, prints each, and updates the existing ones as before', () => {
    // GIVEN twelve clusters fleet.yaml lacks, and legacy-ipv4's terraform output
    const fleetFile = writeTempFleet(demoFleetText);
    const files = [...newClusters(12), fixture('terraform-legacy-ipv4')];
    // WHEN
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...args) => void out.push(args.join(' ')));
    let status;
    try {
      status = importClustersCommand(['--add', ...files], { FLEET_CONFIG: fleetFile });
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    // THEN
    expect(status).toBe(0);
    const text = readFileSync(fleetFile, 'utf8');
    const fleet = parseFleet(text);
    expect(fleet.clusters.map((cluster) => cluster.name)).toEqual(['legacy-ipv4', 'ipv6-east', ...Array.from({ length: 12 }, (_, index) => `adopted-${index}`)]);
    expect(fleet.clusters[2]).toMatchObject({
      ipFamily: 'ipv4', kubernetesVersion: '1.35', region: 'us-east-2', accountId: '111122223333', vpcId: 'vpc-0c000000000000000',
      subnets: ['10.100.16.0/22', '10.100.20.0/22', '10.100.24.0/22'], nodeGroups: [{ name: 'general', instanceType: 'm5.xlarge', minSize: 2, maxSize: 20 }],
    });
    expect(fleet.clusters[0].vpcId).toBe('vpc-0b2c3d4e5f6071829');
    expect(out).toContain('clusters: added adopted-0: IPv4, Kubernetes 1.35, us-east-2, account 111122223333, vpc-0c000000000000000, 3 subnets, node groups general (m5.xlarge, 2-20)');
    expect(out[out.length - 1]).toBe(`${fleetFile}: 4 fields of legacy-ipv4 updated, 12 clusters added`);
    // every line of the file before is still there, in order, and the comments with them
    const after = text.split('\n');
    let at = 0;
    for (const line of demoFleetText.split('\n').filter((kept) => !/^ {4}(server|vpcId|caData):|^ {6}- 10\.230\./.test(kept))) {
      const found = after.indexOf(line, at);
      expect([line, found >= 0]).toEqual([line, true]);
      at = found + 1;
    }
  });

  test('a fleet.yaml that starts afresh (clusters: []) gets its clusters, validated once they are added', () => {
    // GIVEN the demo fleet with no clusters yet, Argo CD to run on one of those to import, the apps placed there
    const fresh = demoFleetText.replace(/^clusters:\n[\s\S]*?(?=\n# The NGINX)/m, 'clusters: []   # imported with npm run import-clusters -- --add\n')
      .replace('  cluster: ipv6-east', '  cluster: adopted-0').replaceAll('    replicas: 5\n', '    replicas: 5\n    clusters: [adopted-0]\n')
      .replace('    replicas: 4\n', '    replicas: 4\n    clusters: [adopted-0]\n');
    const fleetFile = writeTempFleet(fresh);
    const files = newClusters(2);
    // WHEN
    const out: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args) => void out.push(args.join(' ')));
    const error = jest.spyOn(console, 'error').mockImplementation((...args) => void out.push(args.join(' ')));
    let status;
    try {
      status = importClustersCommand(['--add', ...files], { FLEET_CONFIG: fleetFile });
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
    // THEN both are added under the key, which keeps its comment, and the file is valid
    expect([status, out[out.length - 1]]).toEqual([0, `${fleetFile}: 2 clusters added`]);
    const text = readFileSync(fleetFile, 'utf8');
    expect(text).toContain('clusters:   # imported with npm run import-clusters -- --add\n  - name: adopted-0\n    ipFamily: ipv4\n');
    const fleet = parseFleet(text);
    expect(fleet.clusters.map((cluster) => cluster.name)).toEqual(['adopted-0', 'adopted-1']);
    expect(fleet.clusters[1]).toMatchObject({ vpcId: 'vpc-0c000000000000001', endpointAccess: { public: true, publicCidrs: ['0.0.0.0/0'] } });
    // without --add, or with nothing to add, the empty list is refused as before
    const again = writeTempFleet(fresh);
    expect(runInProcess(again, [fixture('terraform-legacy-ipv4')]).stderr).toContain('clusters: expected a list of at least one cluster (- name: ..., with ipFamily, kubernetesVersion, region, accountId, nodeGroups); to start from the clusters that exist, write clusters: [] and run npm run import-clusters -- --add with their describe-cluster, describe-subnets and describe-nodegroup files, got 0');
    expect(readFileSync(again, 'utf8')).toBe(fresh);
  });

  test('values that would write YAML of their own are quoted, and refused as fleet.yaml refuses them', () => {
    // GIVEN a cluster whose name would write a mapping and a comment if written as it is
    const files = newClusters(1);
    const name = 'adopted-0, planted: { caData: x } # ';
    for (const file of files.filter((candidate) => !candidate.endsWith('subnets.json'))) {
      const json = JSON.parse(readFileSync(file, 'utf8'));
      if (json.cluster) Object.assign(json.cluster, { name, arn: `arn:aws:eks:us-east-2:111122223333:cluster/${name}` });
      else json.nodegroup.clusterName = name;
      writeFileSync(file, JSON.stringify(json));
    }
    const fleetFile = writeTempFleet(demoFleetText);
    const out: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((...args) => void out.push(args.join(' ')));
    let status;
    try {
      status = importClustersCommand(['--add', ...files], { FLEET_CONFIG: fleetFile });
    } finally {
      error.mockRestore();
    }
    // THEN the name reached fleet.yaml's validation as one value, which refused it; nothing was written
    expect(status).toBe(1);
    expect(out.join('\n')).toMatch(/clusters\[2\]\.name: expected .*, got "adopted-0, planted: \{ caData: x \} # " \(text\)/);
    expect(readFileSync(fleetFile, 'utf8')).toBe(demoFleetText);
  });

  test('without --add a cluster fleet.yaml lacks is refused, saying how to add it; without its node groups it is refused with --add too', () => {
    const files = newClusters(1);
    const fleetFile = writeTempFleet(demoFleetText);
    const refused = runInProcess(fleetFile, files);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('cluster adopted-0 is not in');
    expect(refused.stderr).toContain('with --add');
    const out: string[] = [];
    const error = jest.spyOn(console, 'error').mockImplementation((...args) => void out.push(args.join(' ')));
    let status;
    try {
      status = importClustersCommand(['--add', ...files.filter((file) => !file.endsWith('-nodegroup.json'))], { FLEET_CONFIG: fleetFile });
    } finally {
      error.mockRestore();
    }
    expect(status).toBe(1);
    expect(out.join('\n')).toContain('cluster adopted-0 is not in fleet.yaml, and no describe-nodegroup file given is of it');
    expect(readFileSync(fleetFile, 'utf8')).toBe(demoFleetText);
  });
});

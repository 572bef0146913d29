import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { createServer } from 'net';
import { join } from 'path';
import { freePorts } from '../../verify/nginx';
import { projectRoot } from '../support/fixtures';

const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

/** Listens on the port as nginx's sites do (`listen [::]:PORT ipv6only=off`), then lets it go. */
function bind(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '::', port, ipv6Only: false }, () => server.close(() => resolve()));
  });
}

describe('the ports of nginx\'s sites', () => {
  test('as many as asked, different, below the kernel\'s ephemeral range (where page requests leave theirs in TIME_WAIT), each free', async () => {
    const ports = await freePorts(200);
    expect(new Set(ports).size).toBe(200);
    for (const port of ports) expect([port, port >= 10000 && port < ephemeralLow]).toEqual([port, true]);
    await Promise.all(ports.map(bind));
  });

  test('a second call in the same process takes others', async () => {
    const first = await freePorts(50);
    const second = await freePorts(50);
    expect(first.filter((port) => second.includes(port))).toEqual([]);
  });

  test('processes start at different places, so processes checking at once rarely try the same ports', () => {
    const script = `require(${JSON.stringify(join(projectRoot, 'node_modules', 'tsx', 'dist', 'cjs', 'index.cjs'))}); require(${JSON.stringify(join(projectRoot, 'verify', 'nginx.ts'))}).freePorts(1).then((ports) => process.stdout.write(String(ports[0])));`;
    const firsts = Array.from({ length: 4 }, () => execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
    expect(new Set(firsts).size).toBeGreaterThan(1);
  });
});

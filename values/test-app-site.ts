import { createHash } from 'crypto';

/** What the page and the server config of a test app are made from. */
export interface TestAppContent {
  readonly name: string;
  readonly backgroundColor: string;
  readonly containerPort: number;
}

/** Where the ConfigMap's files are mounted in the nginx container. */
export const nginxPaths = {
  confDir: '/etc/nginx/conf.d',
  confFile: 'default.conf',
  htmlDir: '/usr/share/nginx/html',
  htmlFile: 'index.html',
  healthPath: '/healthz',
} as const;

/**
 * The page. nginx's SSI module fills in the serving pod's name ($hostname is the pod name) and
 * the address the request arrived on ($server_addr: the pod's IPv6 address), so a person sees
 * which pod answered. The colour and name were validated by the config (a CSS colour, a DNS
 * label), so nothing in them can break out of the HTML or CSS.
 */
export function indexHtml(app: TestAppContent): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${app.name}</title>
<style>
  html, body { height: 100%; margin: 0; }
  body { background-color: ${app.backgroundColor}; font-family: sans-serif; display: flex; align-items: center; justify-content: center; }
  main { background: rgba(255, 255, 255, 0.85); padding: 2rem 3rem; border-radius: 0.5rem; text-align: center; }
  code { font-size: 1.2rem; }
</style>
</head>
<body>
<main>
  <h1 id="app-name">${app.name}</h1>
  <p>Pod name: <code id="pod-name"><!--# echo var="hostname" --></code></p>
  <p>Pod IP: <code id="pod-ip"><!--# echo var="server_addr" --></code></p>
</main>
</body>
</html>
`;
}

/**
 * The nginx server. `listen [::]:PORT ipv6only=off` is one socket for IPv6 and IPv4: a plain
 * `listen PORT;` binds IPv4 only and an IPv6-only pod then refuses every connection (the image
 * adds `listen [::]` only to its own, untouched default.conf).
 */
export function nginxServerConf(app: TestAppContent): string {
  return `# ${app.name}: rendered by the fleet generator; served on IPv6 and IPv4.
server {
    listen [::]:${app.containerPort} ipv6only=off;
    server_name _;
    root ${nginxPaths.htmlDir};

    location = ${nginxPaths.healthPath} {
        access_log off;
        default_type text/plain;
        return 200 "ok\\n";
    }

    location / {
        ssi on;
        index ${nginxPaths.htmlFile};
        add_header Cache-Control "no-store" always;
    }
}
`;
}

/** The ConfigMap's data: the page and the server config. */
export function testAppFiles(app: TestAppContent): Record<string, string> {
  return { [nginxPaths.confFile]: nginxServerConf(app), [nginxPaths.htmlFile]: indexHtml(app) };
}

/**
 * A digest of the ConfigMap's data for the pod template: Argo CD does not restart pods when only
 * a ConfigMap changes, so a new page or server config must change the template to roll them.
 */
export function contentChecksum(files: Record<string, string>): string {
  const hash = createHash('sha256');
  for (const key of Object.keys(files).sort()) hash.update(`${key}\0${files[key]}\0`);
  return hash.digest('hex');
}

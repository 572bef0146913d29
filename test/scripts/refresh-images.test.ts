import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { imageReference } from '../../charts/test-app';
import { imagesFile, refreshImages } from '../../scripts/refresh-images';

const digest = `sha256:${'ab12'.repeat(16)}`;

/** A registry that speaks the bits of the OCI distribution API the script uses, as ECR Public does. */
function fakeRegistry(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''} ${request.headers.accept ?? ''}`);
    if (request.url === '/token/?scope=repository:nginx/nginx-unprivileged:pull') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ token: 'anonymous' }));
    } else if (request.method === 'HEAD' && request.url === '/v2/nginx/nginx-unprivileged/manifests/1.29.3-alpine' && request.headers.authorization === 'Bearer anonymous') {
      response.setHeader('docker-content-digest', digest);
      response.end();
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

describe('npm run refresh:images', () => {
  test('pins the tag by the digest of its manifest list, asked once of the registry', async () => {
    // GIVEN a copy of data/images.json and a registry
    const file = join(mkdtempSync(join(tmpdir(), 'images-')), 'images.json');
    copyFileSync(imagesFile, file);
    const { server, url, requests } = await fakeRegistry();
    try {
      // WHEN the script runs against it
      const pinned = await refreshImages(file, url);
      // THEN the file holds the digest, asked for every platform (the index types are accepted)
      expect(pinned.nginx).toEqual({ repository: 'public.ecr.aws/nginx/nginx-unprivileged', tag: '1.29.3-alpine', digest });
      expect(JSON.parse(readFileSync(file, 'utf8')).nginx.digest).toBe(digest);
      expect(requests[1]).toMatch(/^HEAD .* Bearer anonymous application\/vnd\.oci\.image\.index\.v1\+json, application\/vnd\.docker\.distribution\.manifest\.list\.v2\+json/);
    } finally {
      server.close();
    }
  });

  test('says why when the registry does not know the tag', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'images-')), 'images.json');
    copyFileSync(imagesFile, file);
    const { server, url } = await fakeRegistry();
    try {
      const image = { repository: 'public.ecr.aws/nginx/nginx-unprivileged', tag: 'no-such-tag', digest: null };
      writeFileSync(file, JSON.stringify({ nginx: image }));
      await expect(refreshImages(file, url)).rejects.toThrow(/no digest for public\.ecr\.aws\/nginx\/nginx-unprivileged:no-such-tag \(HTTP 404/);
    } finally {
      server.close();
    }
  });

  test('the pods pull repository:tag@digest once it is pinned', () => {
    expect(imageReference({ repository: 'public.ecr.aws/nginx/nginx-unprivileged', tag: '1.29.3-alpine', digest })).toBe(`public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@${digest}`);
    expect(imageReference({ repository: 'public.ecr.aws/nginx/nginx-unprivileged', tag: '1.29.3-alpine', digest: null })).toBe('public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine');
  });
});

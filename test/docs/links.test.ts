import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative } from 'path';
import { projectRoot } from '../support/fixtures';

/**
 * The README and docs/ link each other by relative paths and heading anchors; a section that
 * moves or is renamed must not leave a link behind that lands nowhere. Anchors are GitHub's:
 * the heading's text, lower-cased, without what is neither a letter, a digit, a space, `-` nor
 * `_`, spaces as `-`, and `-1`, `-2` after repeats (github-slugger, which github.com uses).
 */

/** The text of a Markdown file without its fenced code blocks and inline code spans, where brackets are not links. */
function prose(markdown: string): string {
  return markdown.replace(/^ *(```|~~~)[^\n]*\n[\s\S]*?^ *\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** The anchors of a Markdown file's headings, as GitHub makes them. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutFences = markdown.replace(/^ *(```|~~~)[^\n]*\n[\s\S]*?^ *\1[^\n]*$/gm, '');
  for (const [, heading] of withoutFences.matchAll(/^#{1,6} +(.+?) *#* *$/gm)) {
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const slug = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    anchors.add(repeats ? `${slug}-${repeats}` : slug);
  }
  return anchors;
}

/** The relative links of a Markdown file that land nowhere: a file that does not exist, or an anchor its target lacks. */
export function brokenLinks(file: string, markdown: string, read: (path: string) => string | undefined): string[] {
  const broken: string[] = [];
  for (const [, target] of prose(markdown).matchAll(/\]\(([^)\s]+)(?: "[^"]*")?\)/g)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split('#', 2) as [string, string | undefined];
    const resolved = path ? join(dirname(file), decodeURIComponent(path)) : file;
    const text = read(resolved);
    if (text === undefined) broken.push(`${file}: ${target}: ${resolved} does not exist`);
    else if (anchor !== undefined && !anchorsOf(text).has(anchor)) broken.push(`${file}: ${target}: ${resolved} has no heading with the anchor #${anchor}`);
  }
  return broken;
}

/** A file of the project as text; a folder as the empty string (a link to it lands); undefined when missing. */
function readProjectFile(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  return statSync(path).isDirectory() ? '' : readFileSync(path, 'utf8');
}

const docsDir = join(projectRoot, 'docs');
const pages = [join(projectRoot, 'README.md'), ...readdirSync(docsDir).filter((name) => name.endsWith('.md')).map((name) => join(docsDir, name))];

describe('the links of README.md and docs/', () => {
  test.each(pages.map((page) => [relative(projectRoot, page), page]))('every relative link and anchor of %s lands', (_name, page) => {
    expect(brokenLinks(page, readFileSync(page, 'utf8'), readProjectFile)).toEqual([]);
  });

  test('the README stays what a newcomer reads: under 400 lines, the rest in docs/', () => {
    expect(readFileSync(join(projectRoot, 'README.md'), 'utf8').split('\n').length).toBeLessThan(400);
  });

  test('the README links every doc of docs/', () => {
    const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
    const linked = new Set([...prose(readme).matchAll(/\]\(docs\/([^)#\s]+)/g)].map(([, name]) => name));
    expect(readdirSync(docsDir).filter((name) => name.endsWith('.md') && !linked.has(name))).toEqual([]);
  });

  test('a link to a missing file, or to a heading its file lacks, is reported; code is not read as links', () => {
    const files: Record<string, string> = { '/p/README.md': '# Title\n\n## The AWS side: dist/terraform/\n\n## Notes\n\n## Notes\n', '/p/docs/a.md': '# A\n' };
    const text = [
      '[ok](#the-aws-side-distterraform) [ok](#notes-1) [ok](docs/a.md#a) [web](https://example.com/x#y)',
      '[gone](docs/b.md) [no anchor](docs/a.md#b) [no anchor here](#notes-2)',
      '`[code](nowhere.md)`', '```', '[fenced](nowhere.md)', '```',
    ].join('\n');
    expect(brokenLinks('/p/README.md', text, (path) => files[path])).toEqual([
      '/p/README.md: docs/b.md: /p/docs/b.md does not exist',
      '/p/README.md: docs/a.md#b: /p/docs/a.md has no heading with the anchor #b',
      '/p/README.md: #notes-2: /p/README.md has no heading with the anchor #notes-2',
    ]);
  });
});

/** The TypeScript sources of the project, outside node_modules, dist/ and the tests. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', 'dist', 'test', 'cdk.out'].includes(name) || name.startsWith('.')) return [];
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

describe('the sections the code cites', () => {
  test('every `README "<heading>"` and `docs/<page>.md "<heading>"` a source cites is a heading of that page', () => {
    const missing: string[] = [];
    let cited = 0;
    for (const file of sources(projectRoot)) {
      for (const [, page, heading] of readFileSync(file, 'utf8').matchAll(/\b(README|docs\/[a-z0-9-]+\.md) "([^"\n]+)"/g)) {
        const markdown = readProjectFile(join(projectRoot, page === 'README' ? 'README.md' : page));
        const headings = new Set([...(markdown ?? '').matchAll(/^#{1,6} +(.+?) *$/gm)].map(([, text]) => text));
        cited++;
        if (!headings.has(heading)) missing.push(`${relative(projectRoot, file)}: ${page} "${heading}"`);
      }
    }
    expect(missing).toEqual([]);
    expect(cited).toBeGreaterThan(0);
  });
});

import { formatFieldPath, isPlainKey } from '../output/field-path';
import { alignSequences, changeKinds, DistDiff, EntryChange, FieldChange, hasDifferences } from './compare';
import { Destination } from './destinations';
import { moveMark } from './fleet-changes';
import { isTerraformFile } from '../catalog/dist-layout';

/** What the two sides of a diff are, for its summary line. */
export interface DiffLabels {
  /** e.g. `dist/`, or `fleet.yaml at origin/main`. */
  readonly before: string;
  /** e.g. `fleet.yaml`. */
  readonly after: string;
  /** A sentence printed under the summary, e.g. how the two sides were rendered. */
  readonly note?: string;
}

/** How many characters of a value are shown before it is cut with an ellipsis. */
export const valueWidth = 80;
/** Lines of a multi-line string's diff are code, read in a wider block. */
const lineWidth = 100;
/** Unchanged lines shown around each change of a multi-line string. */
const contextLines = 2;
/** Lines of one multi-line string's diff shown before the rest is summed up. */
const maxDiffLines = 40;
/** A Markdown section longer than this many lines is collapsed into <details>. */
const maxOpenLines = 12;

const unknownDestination = '(unknown destination)';
const terraformDestination = 'AWS, by terraform apply';
const absent = '(none)';

/** Strings shown without quotes: nothing that could pass for a number, a boolean or YAML/flow syntax. */
const plainText = /^[A-Za-z0-9_./@%+=~-]([A-Za-z0-9_./:@%+=~ -]*[A-Za-z0-9_./@%+=~-])?$/;
const ambiguousText = /^(true|false|null|yes|no|on|off|[-+]?[0-9._]*(e[-+]?[0-9]+)?)$|: /i;

/** A value on one line, in YAML flow style, uncut. */
function showValue(value: unknown): string {
  if (value === undefined) return absent;
  if (typeof value === 'string') return plainText.test(value) && !ambiguousText.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${isPlainKey(key) ? key : JSON.stringify(key)}: ${showValue(item)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

function clip(text: string, start: number, width: number): string {
  const shown = start > 0 ? `…${text.slice(start)}` : text;
  return shown.length > width ? `${shown.slice(0, width - 1)}…` : shown;
}

/** Cuts two versions of a text to `width`, starting both late enough that their first difference stays in view. */
export function clipPair(before: string, after: string, width: number): [string, string] {
  let common = 0;
  while (common < before.length && common < after.length && before[common] === after[common]) common++;
  const lead = Math.floor(width / 4);
  const start = common > width - lead ? common - lead : 0;
  return [clip(before, start, width), clip(after, start, width)];
}

function toLines(text: string | undefined): string[] {
  if (text === undefined) return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/**
 * A unified diff of two texts: `@@ -start,count +start,count @@` hunks with `contextLines` of
 * context, lines prefixed ` `, `-` or `+`, long lines cut, and at most `maxDiffLines` lines.
 */
export function lineDiff(before: string | undefined, after: string | undefined): string[] {
  const a = toLines(before);
  const b = toLines(after);
  const aligned = alignSequences(a, b, (x, y) => x === y);
  const changed = aligned.flatMap((item, index) => (item.a === undefined || item.b === undefined ? [index] : []));
  if (!changed.length) return before === after ? [] : ['(only the line break at the end differs)'];

  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const from = Math.max(0, index - contextLines);
    const to = Math.min(aligned.length, index + contextLines + 1);
    const last = hunks[hunks.length - 1];
    if (last && from <= last[1]) last[1] = to;
    else hunks.push([from, to]);
  }

  const lines: string[] = [];
  for (const [from, to] of hunks) {
    const slice = aligned.slice(from, to);
    const linesBefore = aligned.slice(0, from);
    const aCount = slice.filter((item) => item.a !== undefined).length;
    const bCount = slice.filter((item) => item.b !== undefined).length;
    const aStart = linesBefore.filter((item) => item.a !== undefined).length + (aCount ? 1 : 0);
    const bStart = linesBefore.filter((item) => item.b !== undefined).length + (bCount ? 1 : 0);
    lines.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (let index = 0; index < slice.length;) {
      const item = slice[index];
      if (item.a !== undefined && item.b !== undefined) {
        lines.push(clip(` ${a[item.a]}`, 0, lineWidth));
        index++;
        continue;
      }
      // A run of removed lines, then of added ones: pair them up so both cut at the same column.
      const removed: string[] = [];
      const added: string[] = [];
      while (index < slice.length && slice[index].b === undefined) removed.push(a[slice[index++].a!]);
      while (index < slice.length && slice[index].a === undefined) added.push(b[slice[index++].b!]);
      const shown = (line: string, counterpart: string | undefined) =>
        (counterpart === undefined ? clip(line, 0, lineWidth - 1) : clipPair(line, counterpart, lineWidth - 1)[0]);
      lines.push(...removed.map((line, pair) => `-${shown(line, added[pair])}`));
      lines.push(...added.map((line, pair) => `+${shown(line, removed[pair])}`));
    }
  }
  return lines.length > maxDiffLines ? [...lines.slice(0, maxDiffLines - 1), `… ${lines.length - maxDiffLines + 1} more lines`] : lines;
}

function isMultiline(value: unknown): value is string {
  return typeof value === 'string' && value.includes('\n');
}

/** A field change as a one-line description, or a description and the diff of a multi-line string. */
interface FieldView {
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
  /** Set for a Secret's data: the sentence that replaces the values. */
  readonly hidden?: string;
  /** Set for multi-line strings. */
  readonly lines?: readonly string[];
}

function viewField(field: FieldChange): FieldView {
  const path = formatFieldPath(field.path, '(whole document)');
  if (field.hidden) return { path, hidden: `${field.change} (secret value hidden)` };
  const { before, after } = field;
  const textOrAbsent = (value: unknown) => value === undefined || typeof value === 'string';
  if ((isMultiline(before) || isMultiline(after)) && textOrAbsent(before) && textOrAbsent(after)) {
    return { path, lines: lineDiff(before as string | undefined, after as string | undefined) };
  }
  const [shownBefore, shownAfter] = clipPair(showValue(before), showValue(after), valueWidth);
  return { path, before: shownBefore, after: shownAfter };
}

/** `Deployment app2/app2`, or a values file's path inside its source folder. */
function entryLabel(entry: EntryChange): { kind?: string; name: string } {
  if (!entry.object) return { name: entry.file.startsWith(`${entry.source}/`) ? entry.file.slice(entry.source.length + 1) : entry.file };
  const { kind, namespace, name } = entry.object;
  return { kind, name: namespace ? `${namespace}/${name}` : name };
}

function entryTitle(entry: EntryChange): string {
  const { kind, name } = entryLabel(entry);
  return kind ? `${kind} ${name}` : name;
}

/** Whether a source folder is Terraform's, which no Application reads: `terraform apply` takes it to AWS. */
function isTerraformSource(source: string): boolean {
  return isTerraformFile(`${source}/`);
}

function clusterList(destination: Destination): string[] {
  if (isTerraformSource(destination.source)) return [terraformDestination];
  return destination.clusters.length ? [...destination.clusters] : [unknownDestination];
}

interface Group extends Destination {
  readonly entries: readonly EntryChange[];
}

/** Changes grouped by Argo CD source and the clusters they go to, sorted by source. */
function groupBySource(changes: readonly EntryChange[]): Group[] {
  const groups = new Map<string, { source: string; clusters: readonly string[]; entries: EntryChange[] }>();
  for (const entry of changes) {
    const key = `${entry.source}\n${entry.clusters.join('\n')}`;
    const group = groups.get(key) ?? { source: entry.source, clusters: entry.clusters, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return [...groups.values()].sort((x, y) => (x.source < y.source ? -1 : x.source > y.source ? 1 : 0));
}

function countChanges(changes: readonly EntryChange[], options: { readonly skipZeros?: boolean } = {}): string {
  const counts = changeKinds.map((kind) => ({ kind, count: changes.filter((entry) => entry.change === kind).length }));
  return counts.filter(({ count }) => count > 0 || !options.skipZeros).map(({ kind, count }) => `${count} ${kind}`).join(', ');
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * `1 changed, 0 added, 0 removed objects in 1 Argo CD source, going to ipv6-east`, or undefined when nothing
 * differs. The diff counts Kubernetes objects (and whole values files); synth counts files.
 */
function summaryParts(diff: DistDiff): { counts: string; sources: string; clusters: string[]; reformatted: string } | undefined {
  if (!hasDifferences(diff)) return undefined;
  const groups = groupBySource(diff.changes);
  const argocd = groups.filter((group) => !isTerraformSource(group.source));
  const terraform = new Set(groups.filter((group) => isTerraformSource(group.source)).map((group) => group.source)).size;
  const clusters = [...new Set(argocd.flatMap(clusterList))].sort();
  const sources = [
    ...(argocd.length || !terraform ? [plural(new Set(argocd.map((group) => group.source)).size, 'Argo CD source')] : []),
    ...(terraform ? [plural(terraform, 'Terraform folder')] : []),
  ];
  return {
    counts: `${countChanges(diff.changes)} objects`,
    sources: sources.join(' and '),
    clusters,
    reformatted: diff.reformatted.length ? `${plural(diff.reformatted.length, 'file')} differ only in formatting or comments` : '',
  };
}

/**
 * The diff for a terminal: a summary line, the apps and pods the change adds to or removes from each cluster
 * (`clusters`, diff/placements.ts), then one line per field under each source and its clusters.
 */
export function formatText(diff: DistDiff, labels: DiffLabels, clusters: readonly string[] = [], moves: readonly string[] = [], waves: readonly string[] = []): string {
  const summary = summaryParts(diff);
  const header = `${labels.before} -> ${labels.after}`;
  if (!summary) return `${header}: no changes\n${labels.note ? `${labels.note}\n` : ''}`;
  const lines = [
    `${header}: ${summary.counts} in ${summary.sources}${summary.clusters.length ? `, going to ${summary.clusters.join(', ')}` : ''}${summary.reformatted ? `; ${summary.reformatted}` : ''}`,
  ];
  if (labels.note) lines.push(labels.note);
  if (moves.length) lines.push('', ...moves.map((line) => `${moveMark} ${line}`));
  if (clusters.length) lines.push('', 'Apps and pods per cluster:', ...clusters.map((line) => `  ${line}`));
  if (waves.length) lines.push('', ...waves);
  for (const group of groupBySource(diff.changes)) {
    lines.push('', `${group.source} -> ${clusterList(group).join(', ')}`);
    for (const entry of group.entries) {
      const prefix = `  ${group.source}  ${entryTitle(entry)}`;
      if (entry.change !== 'changed') {
        lines.push(`${prefix}  ${entry.change}`);
        continue;
      }
      for (const field of entry.fields.map(viewField)) {
        if (field.hidden) lines.push(`${prefix}  ${field.path}: ${field.hidden}`);
        else if (field.lines) lines.push(`${prefix}  ${field.path}:`, ...field.lines.map((line) => `      ${line}`));
        else lines.push(`${prefix}  ${field.path}: ${field.before} -> ${field.after}`);
      }
    }
  }
  for (const { title, files } of fileLists(diff)) lines.push('', `${title}:`, ...files.map((file) => `  ${file}`));
  return `${lines.join('\n')}\n`;
}

/** Files added, removed, or changed in form only, each list with its title; empty lists left out. */
function fileLists(diff: DistDiff): Array<{ title: string; files: readonly string[] }> {
  return [
    { title: 'Files added', files: diff.addedFiles },
    { title: 'Files removed', files: diff.removedFiles },
    { title: 'Formatting or comments only', files: diff.reformatted },
  ].filter(({ files }) => files.length > 0);
}

/** `2 changed: ConfigMap app1/app1, Deployment app1/app1`: what a collapsed section holds. */
function groupSummary(entries: readonly EntryChange[]): string {
  const shown = 4;
  const labels = entries.slice(0, shown).map(entryTitle);
  const more = entries.length > shown ? `, and ${entries.length - shown} more` : '';
  return `${countChanges(entries, { skipZeros: true })}: ${labels.join(', ')}${more}`;
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const padding = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

function codeBlock(lines: readonly string[], language: string, indent: string): string[] {
  const longestRun = Math.max(0, ...lines.flatMap((line) => line.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [`${indent}${fence}${language}`, ...lines.map((line) => `${indent}${line}`), `${indent}${fence}`];
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function markdownValue(value: string | undefined): string {
  return value === absent ? `_${absent}_` : code(value ?? '');
}

function markdownEntry(entry: EntryChange): string[] {
  const { kind, name } = entryLabel(entry);
  const title = `- ${kind ? `${kind} ` : ''}${code(name)}`;
  if (entry.change !== 'changed') return [`${title}: **${entry.change}**`];
  return [title, ...entry.fields.map(viewField).flatMap((field) => {
    const item = `  - ${code(field.path)}`;
    if (field.hidden) return [`${item}: ${field.hidden}`];
    if (field.lines) return [`${item}:`, ...codeBlock(field.lines, 'diff', '    ')];
    return [`${item}: ${markdownValue(field.before)} → ${markdownValue(field.after)}`];
  })];
}

/** The diff as a Markdown section for a pull-request comment: a heading, a summary, the apps and pods per cluster, a list per source (collapsed when long). */
export function formatMarkdown(diff: DistDiff, labels: DiffLabels, clusters: readonly string[] = [], moves: readonly string[] = [], waves: readonly string[] = []): string {
  const summary = summaryParts(diff);
  const header = `${code(labels.before)} → ${code(labels.after)}`;
  const lines = ['## Fleet diff', ''];
  if (!summary) {
    lines.push(`${header}: no changes.`);
  } else {
    const going = summary.clusters.length ? `, going to ${summary.clusters.map(code).join(', ')}` : '';
    lines.push(`${header}: **${summary.counts}** in ${summary.sources}${going}.${summary.reformatted ? ` ${summary.reformatted}.` : ''}`);
  }
  if (labels.note) lines.push('', `_${labels.note}_`);
  if (moves.length) lines.push('', '> [!WARNING]', ...moves.map((line) => `> ${moveMark} ${escapeHtml(line)}`).join('\n>\n').split('\n'));
  if (clusters.length) lines.push('', '**Apps and pods per cluster:**', '', ...clusters.map((line) => `- ${escapeHtml(line)}`));
  if (waves.length) lines.push('', ...waves.map((line) => `**${escapeHtml(line.slice(0, line.indexOf(':') + 1))}**${escapeHtml(line.slice(line.indexOf(':') + 1))}`));
  for (const group of groupBySource(diff.changes)) {
    lines.push('', `### ${code(group.source)} → ${clusterList(group).map(code).join(', ')}`, '');
    const body = group.entries.flatMap(markdownEntry);
    if (body.length > maxOpenLines) {
      lines.push(`<details><summary>${escapeHtml(groupSummary(group.entries))}</summary>`, '', ...body, '', '</details>');
    } else {
      lines.push(...body);
    }
  }
  for (const { title, files } of fileLists(diff)) lines.push('', `${title}: ${files.map(code).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

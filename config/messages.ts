/** How messages to the person editing fleet.yaml write lists, numbers and the values they quote. */

/** "a, b and c". */
export function joinWords(words: readonly string[], conjunction = 'and'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

/** A count with thousands separators: 10,000. (Not toLocaleString: its first call loads the locale data, ~15 ms of a synth.) */
export function count(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString('en-US');
  return String(value).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** How many of the largest contributors a message names before it counts the rest. */
export const largestShown = 3;

/**
 * The few largest of named amounts, and the rest counted: "app2: 10,000, app7: 40, app1: 5 and
 * 2,997 more apps: 14,990". `what` names the rest in the plural ("apps").
 */
export function largestFirst(amounts: readonly { readonly name: string; readonly amount: number }[], what: string, shown = largestShown): string {
  const sorted = [...amounts].sort((a, b) => b.amount - a.amount);
  const named = sorted.slice(0, shown).map(({ name, amount }) => `${name}: ${count(amount)}`).join(', ');
  const rest = sorted.slice(shown);
  if (!rest.length) return named;
  const restAmount = rest.reduce((total, { amount }) => total + amount, 0);
  return `${named} and ${count(rest.length)} more ${what}: ${count(restAmount)}`;
}

/** The first few names of a list and the rest counted: "app0, app1, app2 and 12 more". */
export function firstNames(names: readonly string[], shown = largestShown): string {
  return names.length <= shown ? joinWords(names) : `${names.slice(0, shown).join(', ')} and ${count(names.length - shown)} more`;
}

/**
 * Warnings grouped by what they warn of, so a fleet of thousands of clusters does not print
 * thousands of lines: a warning reads "<subject>: <what>: <details>"; of those with the same
 * <what> the first `shown` are kept whole and the rest become one line naming their subjects, as
 * the capacity plan names the clusters of a region: "and 2,997 more: maxPods above what the ENIs
 * give: c3, c4, c5 and 2,994 more". In the order each kind first appears.
 */
export function groupWarnings(warnings: readonly string[], shown = largestShown): string[] {
  const groups = new Map<string, { readonly whole: string[]; readonly rest: { readonly subject: string; readonly warning: string }[] }>();
  for (const warning of warnings) {
    const parts = /^([^:\n]+): ([^:\n]+):/.exec(warning);
    const kind = parts ? parts[2] : warning;
    let group = groups.get(kind);
    if (!group) groups.set(kind, (group = { whole: [], rest: [] }));
    if (group.whole.length < shown || !parts) group.whole.push(warning);
    else group.rest.push({ subject: parts[1], warning });
  }
  return [...groups].flatMap(([kind, { whole, rest }]) => {
    if (rest.length <= 1) return [...whole, ...rest.map(({ warning }) => warning)];
    return [...whole, `and ${count(rest.length)} more: ${kind}: ${firstNames([...new Set(rest.map(({ subject }) => subject))])}`];
  });
}

/**
 * Characters a terminal acts on rather than shows: C0 controls (newline included, so a value
 * cannot print a line of its own), DEL, C1 controls (CSI starts an escape sequence as ESC [
 * does), the line and paragraph separators and the bidirectional overrides that reorder what
 * is shown.
 */
const unprintable = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every unprintable character written as an escape (\n, \u001b), so that printing it shows it. */
export function printable(text: string): string {
  return text.replace(unprintable, (character) => (character === '\n' ? '\\n' : character === '\t' ? '\\t' : `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Each line of `text` printable, for a message of several lines. */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** Values longer than this are cut where a message quotes them. */
export const maxQuotedLength = 60;

/** `text` cut to `max` characters, saying how long it was: a value from fleet.yaml may be megabytes. */
export function cut(text: string, max = maxQuotedLength): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}... (${count(text.length)} characters)`;
}

/**
 * What tells a value holds key material: a PEM block ("-----BEGIN ...", a private key's or any
 * other, however little of the line a quote shows), the words PRIVATE KEY, each raw or in base64 at any of the three offsets base64 may put
 * them at, or a long base64 run that starts as DER does (MII...: an ASN.1 sequence, a key or a
 * certificate without its PEM lines).
 */
const keyMaterial = /-----B|PRIVATE KEY|LS0tLS1CRUdJ|0tLS0tQkVHSU|tLS0tLUJFR0lO|UFJJVkFURSBLRVk|BSSVZBVEUgS0VZ|QUklWQVRFIEtFW|MII[A-Za-z0-9+/]{60}/;

/** Only the start of a value is searched: a message shows no more of it, and a value may be megabytes. */
const keyMaterialSearched = 4096;

/** Whether a value may hold key material (keyMaterial): a message must not show any of it. */
export function holdsKeyMaterial(value: string): boolean {
  return keyMaterial.test(value.slice(0, keyMaterialSearched));
}

/**
 * A value from fleet.yaml or an import file as a message quotes it: cut, in double quotes, every
 * unprintable character escaped; a value that may hold key material is not shown at all, only
 * its length, whatever field it arrives in.
 */
export function quote(value: string): string {
  if (holdsKeyMaterial(value)) return `(${count(value.length)} characters that look like key material or a certificate: not shown)`;
  return `"${printable(cut(value)).replace(/"/g, '\\"')}"`;
}

/** The first `max` lines, then "and 99,950 more" in place of the rest. */
export function firstLines(lines: readonly string[], max: number, what = 'more'): string[] {
  return lines.length <= max ? [...lines] : [...lines.slice(0, max), `and ${count(lines.length - max)} ${what}`];
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

/** The candidate `word` is most likely a typo of, if one is close enough. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  // A long word is no typo of a short candidate, and measuring it costs its length times theirs.
  if (word.length > 2 * Math.max(0, ...candidates.map((candidate) => candidate.length))) return undefined;
  const scored = candidates.map((candidate) => ({ candidate, distance: editDistance(word.toLowerCase(), candidate.toLowerCase()) }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.candidate : undefined;
}

/**
 * Lines of which those starting "warning: " are grouped as groupWarnings does, after the others (npm run check's
 * details): a kind of warning on many clusters is one line naming them.
 */
export function groupWarningLines(lines: readonly string[], shown = largestShown): string[] {
  const prefix = 'warning: ';
  const warnings = lines.filter((line) => line.startsWith(prefix)).map((line) => line.slice(prefix.length));
  return [...lines.filter((line) => !line.startsWith(prefix)), ...groupWarnings(warnings, shown).map((warning) => `${prefix}${warning}`)];
}

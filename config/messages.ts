/** How messages to the person editing fleet.yaml write lists and numbers. */

/** "a, b and c". */
export function joinWords(words: readonly string[], conjunction = 'and'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

/** A count with thousands separators: 10,000. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
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

/** How messages to the person editing fleet.yaml write lists and numbers. */

/** "a, b and c". */
export function joinWords(words: readonly string[], conjunction = 'and'): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}

/** A count with thousands separators: 10,000. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A step into a JSON-like value: a mapping key or a list index. */
export type PathSegment = string | number;

/** Whether a key reads unquoted (after a dot in a path, before a colon in a flow map); others are quoted. */
export function isPlainKey(key: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key);
}

/**
 * A path as a person reads it: `apps[2].replicas`, `metadata.annotations["checksum/content"]`.
 * Keys such as `kubernetes.io/os` are bracketed, as dots would read as several levels.
 */
export function formatFieldPath(path: readonly PathSegment[], whole = ''): string {
  if (path.length === 0) return whole;
  return path.map((segment, index) => {
    if (typeof segment === 'number') return `[${segment}]`;
    if (!isPlainKey(segment)) return `[${JSON.stringify(segment)}]`;
    return index === 0 ? segment : `.${segment}`;
  }).join('');
}

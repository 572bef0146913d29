/**
 * Refreshes data/eks-versions.json, the EKS Kubernetes version calendar (config/eks-versions.ts),
 * from the EKS User Guide's "Amazon EKS Kubernetes release calendar" table: the page's source in
 * awsdocs/amazon-eks-user-guide (latest/ug/versioning/kubernetes-versions.adoc) or the markdown the
 * guide serves (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.md).
 *
 *   curl -o /tmp/kubernetes-versions.md https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.md
 *   npm run refresh:eks-versions -- /tmp/kubernetes-versions.md "EKS User Guide, kubernetes-versions, <date read>"
 *   npx jest test/config/eks-versions.test.ts
 *
 * The page lists only the versions EKS still supports; versions it no longer lists are kept from
 * the data file, so that fleet.yaml naming one is refused for the right reason. A date the guide
 * gives as a month only ("approximate") is taken as that month's first day: a warning early
 * rather than late.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EksVersion, EksVersionDataFile } from '../config/eks-versions';

const dataFile = resolve(__dirname, '..', 'data', 'eks-versions.json');

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** "July 29, 2026" or "July 2026" as 2026-07-29 or 2026-07-01; undefined for anything else. */
export function calendarDate(text: string): string | undefined {
  const match = /^([A-Za-z]+)\s+(?:(\d{1,2}),\s*)?(\d{4})$/.exec(text.trim());
  const month = match ? months.indexOf(match[1].toLowerCase()) : -1;
  if (!match || month < 0) return undefined;
  return `${match[3]}-${String(month + 1).padStart(2, '0')}-${String(match[2] ?? 1).padStart(2, '0')}`;
}

/** The calendar rows of the page (asciidoc or markdown): a version followed by its four dates. */
export function calendarRows(page: string): Map<string, Omit<EksVersion, 'source'>> {
  const cells = page.split(/[|\n]/).map((cell) => cell.replace(/[`*]/g, '').trim()).filter(Boolean);
  const rows = new Map<string, Omit<EksVersion, 'source'>>();
  cells.forEach((cell, index) => {
    if (!/^1\.\d{2}$/.test(cell)) return;
    const dates = cells.slice(index + 1, index + 5).map(calendarDate);
    if (dates.length !== 4 || dates.some((date) => date === undefined)) return;
    rows.set(cell, { eksRelease: dates[1]!, endOfStandardSupport: dates[2]!, endOfExtendedSupport: dates[3]! });
  });
  return rows;
}

/** The text of data/eks-versions.json: the page's rows over the file's, newest version first. */
export function eksVersionDataText(page: string, source: string, previous: EksVersionDataFile['versions']): string {
  const rows = calendarRows(page);
  if (!rows.size) throw new Error('no release calendar rows found: expected the EKS User Guide\'s "Amazon EKS Kubernetes release calendar" table');
  const versions: Record<string, EksVersion> = { ...previous };
  for (const [version, dates] of rows) versions[version] = { ...dates, source };
  const sorted = Object.keys(versions).sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
  const lines = sorted.map((version) => `    ${JSON.stringify(version)}: ${JSON.stringify(versions[version])}`);
  return ['{', `  "generatedBy": "scripts/refresh-eks-versions.ts: do not edit, run the script",`, '  "versions": {', lines.join(',\n'), '  }', '}', ''].join('\n');
}

if (require.main === module) {
  const [page, source] = process.argv.slice(2);
  if (!page || !source) {
    console.error('usage: npx tsx scripts/refresh-eks-versions.ts <kubernetes-versions.md or .adoc> "<where and when it was read>"');
    process.exit(2);
  }
  const previous = (JSON.parse(readFileSync(dataFile, 'utf8')) as EksVersionDataFile).versions;
  writeFileSync(dataFile, eksVersionDataText(readFileSync(page, 'utf8'), source, previous));
  console.log(`wrote ${dataFile}`);
}

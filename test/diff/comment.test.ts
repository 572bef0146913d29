import { commentBody, commentBudget, cutMarkdown, summaryBudgetBytes, summaryText } from '../../diff/comment';

/** Whether every code fence opened is closed and every <details> too. */
function balanced(text: string): boolean {
  let fence: string | undefined;
  let details = 0;
  for (const line of text.split('\n')) {
    const run = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (run && line.trim() === run && run[0] === fence[0] && run.length >= fence.length) fence = undefined;
    } else if (run) {
      fence = run;
    } else {
      details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
    }
  }
  return fence === undefined && details === 0;
}

/** A diff section as `npm run diff --markdown` prints it: per source a heading, a collapsed list and a code block. */
function bigDiff(sources: number): string {
  const section = (index: number) => [
    `### \`apps/app${index}\` → \`ipv6-01\``, '', '<details><summary>2 changed: ConfigMap app/app, Deployment app/app</summary>', '',
    '- ConfigMap `app/app`', '  - `data.index.html`:', '    ```diff', '    @@ -1,1 +1,1 @@', `    -<p>before → ${index}</p>`, `    +<p>after → ${index}</p>`, '    ```',
    '', '</details>',
  ].join('\n');
  return ['## Fleet diff', '', 'summary', ...Array.from({ length: sources }, (_, index) => `\n${section(index)}`)].join('\n');
}

function bigPlan(clusters: number): string {
  const table = (index: number) => [`ipv6-${index} (IPv6)`, ...Array.from({ length: 10 }, (_, row) => `  row ${row}      ${'x'.repeat(60)}`)].join('\n');
  return ['## Capacity plan', '', '```', Array.from({ length: clusters }, (_, index) => table(index)).join('\n\n'), '```', '', '- warning: w'].join('\n');
}

describe('cutting Markdown to a size', () => {
  test('a text within the size is left whole', () => {
    expect(cutMarkdown('## a\n\nb', 100, 'note')).toBe('## a\n\nb');
  });

  test('a longer text is cut between lines, its open code block and sections closed, the note after', () => {
    const text = ['## Diff', '<details><summary>s</summary>', '', '    ```diff', ...Array.from({ length: 100 }, (_, index) => `    +line ${index}`), '    ```', '</details>'].join('\n');
    const cut = cutMarkdown(text, 300, '_see the summary_');
    expect(cut.length).toBeLessThanOrEqual(300);
    expect(cut).toMatch(/\n {4}\+line \d+\n {4}```\n<\/details>\n\n_see the summary_$/);
    expect(balanced(cut)).toBe(true);
  });

  test('a size in bytes counts multi-byte characters as bytes', () => {
    const text = Array.from({ length: 1000 }, () => '→ →').join('\n');
    const cut = cutMarkdown(text, 500, 'note', (part) => Buffer.byteLength(part));
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(500);
    expect(Buffer.byteLength(cut)).toBeGreaterThan(450);
  });
});

describe('the comment and the job summary', () => {
  const runUrl = 'https://github.com/example-org/fleet/actions/runs/7';

  test('a diff and a plan each larger than a comment are cut to fit it, both shown in part, with a link to the job summary', () => {
    // GIVEN a change of 2,000 sources (~800 KB of diff) and the plan of 500 clusters (~350 KB)
    const body = commentBody({ diff: bigDiff(2000), plan: bigPlan(500), touchedPlan: bigPlan(500), runUrl });
    // THEN the body fits, is valid Markdown, and says where the rest is
    expect(body.length).toBeLessThanOrEqual(commentBudget);
    expect(balanced(body)).toBe(true);
    expect(body).toContain(`_Too long for a comment, the rest of the diff: see the [job summary](${runUrl})._`);
    expect(body).toContain(`_Too long for a comment, the rest of the plan: see the [job summary](${runUrl})._`);
    expect(body).toContain('## Capacity plan');
    expect(body).toContain('ipv6-0 (IPv6)');
  });

  test('a short diff leaves the rest of the comment to the plan', () => {
    const body = commentBody({ diff: '## Fleet diff\n\nno changes.', plan: bigPlan(60), touchedPlan: bigPlan(60), runUrl });
    expect(body.length).toBeLessThanOrEqual(commentBudget);
    expect(body).toContain('ipv6-59 (IPv6)');
    expect(body).not.toContain('Too long');
  });

  test('the job summary keeps within 1 MiB, however large the diff', () => {
    const summary = summaryText({ diff: bigDiff(6000), plan: bigPlan(100), touchedPlan: '', runUrl });
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(summaryBudgetBytes);
    expect(balanced(summary)).toBe(true);
    expect(summary).toContain('ipv6-99 (IPv6)');
    expect(summary).toContain('_Too long for the job summary, the rest of the diff: run `npm run diff` locally._');
  });
});

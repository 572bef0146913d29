/**
 * The pull-request comment and the job summary of the fleet check (app/pr-comment.ts builds them
 * from `npm run diff` and `npm run plan`): the fleet diff and the capacity plan, each cut, where
 * it must be, between lines and with its code blocks and collapsed sections closed, so that
 * GitHub takes the text at any size of fleet or change.
 */

/** Marks the comment the workflow posts, so that the next run updates it instead of adding one. */
export const commentMarker = '<!-- fleet-diff -->';

/** GitHub refuses a comment body over 65,536 characters ("Body is too long (maximum is 65536 characters)"). */
export const commentLimit = 65_536;
/** What a comment body is built to, leaving room below GitHub's limit. */
export const commentBudget = 60_000;

/** GitHub takes at most 1 MiB of job summary from one step ($GITHUB_STEP_SUMMARY). */
export const summaryLimitBytes = 1024 * 1024;
/** What a job summary is built to, in UTF-8 bytes. */
export const summaryBudgetBytes = 1_000_000;

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const characters = (text: string) => text.length;

/** A fence that opens or closes a code block: its indentation, character and length. */
function fenceOf(line: string): { indent: string; run: string } | undefined {
  const match = /^(\s*)(`{3,}|~{3,})/.exec(line);
  return match ? { indent: match[1], run: match[2] } : undefined;
}

/** What a Markdown text left open so far: a code block (its fence) and `<details>` sections (the diff collapses long sections). */
class OpenBlocks {
  private fence?: { indent: string; run: string };
  private details = 0;

  /** Takes the next line into account. */
  read(line: string): void {
    const fence = fenceOf(line);
    if (this.fence) {
      if (fence && fence.run[0] === this.fence.run[0] && fence.run.length >= this.fence.run.length && line.trim() === fence.run) this.fence = undefined;
      return;
    }
    if (fence) this.fence = fence;
    else this.details = Math.max(0, this.details + (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length);
  }

  /** The lines that close what is open. */
  closers(): string[] {
    return [...(this.fence ? [`${this.fence.indent}${this.fence.run}`] : []), ...Array.from({ length: this.details }, () => '</details>')];
  }
}

/**
 * `text` whole when it measures at most `max`; else as many of its first lines as fit with
 * whatever they leave open closed and `note` after them, so the Markdown still renders.
 */
export function cutMarkdown(text: string, max: number, note: string, measure: (text: string) => number = characters): string {
  if (measure(text) <= max) return text;
  const lines = text.split('\n');
  const open = new OpenBlocks();
  const ending = () => ['', ...open.closers(), '', note].join('\n');
  let kept = 0;
  let length = 0;
  let cut = ending();
  while (kept < lines.length) {
    const line = lines[kept];
    length += measure(line) + (kept ? 1 : 0);
    open.read(line);
    const next = ending();
    if (length + measure(next) > max) break;
    cut = next;
    kept++;
  }
  return `${lines.slice(0, kept).join('\n')}${cut}`;
}

/** The sections of the comment and of the job summary. */
export interface CheckSections {
  /** `npm run diff --markdown` of the change, or why it failed. */
  readonly diff: string;
  /** `npm run plan --markdown` of every cluster (the job summary's). */
  readonly plan: string;
  /** `npm run plan --markdown --clusters` of the clusters the change touches (the comment's). */
  readonly touchedPlan: string;
  /** The run's page, where the job summary is. */
  readonly runUrl?: string;
}

function seeSummary(runUrl: string | undefined, what: string): string {
  return `_${what}: see the ${runUrl ? `[job summary](${runUrl})` : 'job summary'}._`;
}

/**
 * The comment: the diff and the plan of the clusters the change touches, within `commentBudget`
 * characters. Whatever one section does not need of its half is the other's.
 */
export function commentBody(sections: CheckSections): string {
  const plan = [sections.touchedPlan.trim(), seeSummary(sections.runUrl, 'The plan of every cluster')].join('\n\n');
  const diff = sections.diff.trim();
  const budget = commentBudget - commentMarker.length - 4;
  const diffBudget = Math.max(Math.floor(budget / 2), budget - plan.length);
  const shownDiff = cutMarkdown(diff, diffBudget, seeSummary(sections.runUrl, 'Too long for a comment, the rest of the diff'));
  const shownPlan = cutMarkdown(plan, budget - shownDiff.length, seeSummary(sections.runUrl, 'Too long for a comment, the rest of the plan'));
  return [commentMarker, shownDiff, shownPlan].join('\n\n');
}

/** The job summary: the whole diff and the plan of every cluster, within `summaryBudgetBytes`. */
export function summaryText(sections: CheckSections): string {
  const budget = summaryBudgetBytes - 2;
  const diff = sections.diff.trim();
  const plan = sections.plan.trim();
  const diffBudget = Math.max(Math.floor(budget / 2), budget - bytes(plan));
  const note = (what: string) => `_Too long for the job summary, the rest of the ${what}: run \`npm run ${what}\` locally._`;
  const shownDiff = cutMarkdown(diff, diffBudget, note('diff'), bytes);
  return [shownDiff, cutMarkdown(plan, budget - bytes(shownDiff), note('plan'), bytes)].join('\n\n');
}

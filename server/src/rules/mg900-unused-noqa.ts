import type { NoqaComment } from '../analysis/suppression';
import { lineStartAt, nextLineStart } from '../base/text';
import type { Edit } from '../fixes/types';
import { exampleMigration } from './docs';
import { defineRule } from './types';

/** Removes one code from `# noqa: A, B` — or the whole comment (and the spaces before it) when it was the last. */
function removeCode(text: string, comment: NoqaComment, code: string): Edit {
  const body = text.slice(comment.start, comment.end);
  const list = /#\s*noqa\s*:\s*((?:MG\d{3})(?:\s*,\s*MG\d{3})*)/i.exec(body)!;
  const codes = list[1].split(',').map((c) => c.trim());
  const remaining = codes.filter((c) => c.toUpperCase() !== code);
  const listStart = comment.start + list.index + list[0].length - list[1].length;
  const listEnd = listStart + list[1].length;
  if (remaining.length > 0) return { start: listStart, end: listEnd, text: remaining.join(', ') };
  // The last code: the `# noqa: …` part goes, with a `-- reason` after it; another comment after it stays.
  const rest = body.slice(list.index + list[0].length);
  const another = /#/.exec(rest);
  if (another && !/^\s*--/.test(rest)) return { start: comment.start + list.index, end: comment.start + list.index + list[0].length + another.index, text: '' };
  const lineStart = lineStartAt(text, comment.start);
  let start = comment.start;
  while (start > lineStart && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  if (start === lineStart) {
    // Alone on its line: the whole line goes.
    return { start: lineStart, end: nextLineStart(text, comment.end), text: '' };
  }
  return { start, end: comment.end, text: '' };
}

export const unusedNoqa = defineRule({
  code: 'MG900',
  name: 'unused-noqa',
  fileKinds: ['migration', 'settings'],
  defaultSeverity: 'warning',
  fix: 'always',
  docs: {
    summary: 'A `# noqa: MGxxx` comment that silences nothing.',
    why: 'A suppression that outlived its finding hides the next real problem on that line, and tells readers a hazard is there when it is not. Codes of rules that did not run on the file (ignored in the configuration, or for another database) are not reported.',
    example: exampleMigration({
      operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),  # noqa: MG201'],
    }),
    useInstead: exampleMigration({
      operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),'],
    }),
    fixSafety: 'Safe: removing a suppression that silences nothing changes no finding.',
    references: ['ruff: RUF100 unused-noqa', 'flake8-noqa: NQA102'],
  },
  check(ctx) {
    const known = ctx.noqa.rulesRun;
    for (const comment of ctx.noqa.comments.values()) {
      for (const code of comment.codes) {
        if (code === 'MG900' || ctx.noqa.used.has(`${comment.line}:${code}`)) continue;
        const unknownCode = !ctx.noqa.knownCodes.has(code);
        if (!unknownCode && !known.has(code)) continue;
        ctx.report({
          range: { start: comment.start, end: comment.end },
          message: unknownCode ? `\`# noqa: ${code}\` names no Migration Guard rule.` : `\`# noqa: ${code}\` silences nothing on this line.`,
          help: 'Instead, remove the code from the comment.',
          fixes: [{ title: `Remove unused noqa code ${code}`, applicability: 'safe', edits: [removeCode(ctx.text, comment, code)] }],
        });
      }
    }
  },
});


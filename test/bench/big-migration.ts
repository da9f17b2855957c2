// h) A 5 MB migration (65,000 `AddField` on one model, just under the 5 MB file cap; issue 11 item 4): the built
// CLI's wall time and peak RSS, against a baseline measured in the same run: a fresh process that only parses the
// same file with web-tree-sitter (the floor any analysis pays).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParser, parsePython } from '../../server/src/base/parser';
import { mb, ms, table } from './stats';

const FIVE_MB = 5 * 1024 * 1024;

/** Child mode `--child-parse FILE`: init, one parse, the tree freed; prints `{ parseMs, maxRss }`. */
export async function childParse(file: string): Promise<void> {
  await initParser();
  const text = readFileSync(file, 'utf8');
  const start = performance.now();
  parsePython(text).delete();
  process.stdout.write(JSON.stringify({ parseMs: performance.now() - start, maxRss: process.resourceUsage().maxRSS * 1024 }));
}

function bigMigration(): { text: string; operations: number } {
  const lines = ['from django.db import migrations, models', '', '', 'class Migration(migrations.Migration):', '    dependencies = [("shop", "0001_initial")]', '', '    operations = ['];
  let size = lines.join('\n').length;
  let operations = 0;
  while (size < FIVE_MB - 1024) {
    const line = `        migrations.AddField("order", "field_${operations}", models.IntegerField(null=True)),`;
    lines.push(line);
    size += line.length + 1;
    operations++;
  }
  lines.push('    ]', '');
  return { text: lines.join('\n'), operations };
}

/** Wall time and peak RSS (GNU time) of a command; undefined RSS without /usr/bin/time. */
function measured(command: string[], cwd: string): { wallMs: number; maxRss?: number; status: number | null; stdout: string; stderr: string } {
  const rssFile = join(cwd, `maxrss-${process.pid}.txt`);
  const gnuTime = existsSync('/usr/bin/time');
  const [program, ...args] = gnuTime ? ['/usr/bin/time', '-f', '%M', '-o', rssFile, ...command] : command;
  const start = performance.now();
  const child = spawnSync(program, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  let maxRss: number | undefined;
  if (gnuTime && existsSync(rssFile)) {
    maxRss = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024;
    rmSync(rssFile, { force: true });
  }
  return { wallMs, maxRss, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

export function bigMigrationSection(tmp: string, cli: string, childScript: string, notes: string[]): void {
  const dir = join(tmp, 'big-migration');
  mkdirSync(join(dir, 'shop/migrations'), { recursive: true });
  writeFileSync(join(dir, 'manage.py'), '');
  writeFileSync(join(dir, 'shop/migrations/__init__.py'), '');
  writeFileSync(join(dir, 'shop/migrations/0001_initial.py'), 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = []\n\n    operations = [\n        migrations.CreateModel("order", [("id", models.AutoField(primary_key=True))]),\n    ]\n');
  const big = bigMigration();
  const file = join(dir, 'shop/migrations/0002_big.py');
  writeFileSync(file, big.text);
  console.log(`\nh) A ${mb(big.text.length)} migration: ${big.operations.toLocaleString('en')} AddField on one model (the file cap is 5 MB)`);
  const parse = measured([process.execPath, childScript, '--child-parse', file], dir);
  const rows: string[][] = [];
  let parseRss: number | undefined;
  if (parse.status === 0) {
    const report = JSON.parse(parse.stdout) as { parseMs: number; maxRss: number };
    parseRss = parse.maxRss ?? report.maxRss;
    rows.push(['baseline: fresh process, web-tree-sitter init + one parse', ms(report.parseMs), ms(parse.wallMs), mb(parseRss), '1.00']);
  } else rows.push(['baseline: parse', 'failed', '', '', parse.stderr.trim().split('\n')[0] ?? '']);
  if (existsSync(cli)) {
    const check = measured([process.execPath, cli, 'check', '.', '--format', 'json', '--exit-zero'], dir);
    const ratio = parseRss && check.maxRss ? (check.maxRss / parseRss).toFixed(2) : '';
    rows.push([`CLI: check . (exit ${check.status})`, '', ms(check.wallMs), check.maxRss ? mb(check.maxRss) : 'not measured', ratio]);
    const note = check.stderr.split('\n').find((line) => line.includes('operations')) ?? '';
    if (note) notes.push(`h) the CLI said: ${note.trim()}`);
  } else rows.push(['CLI', 'skipped', '', '', 'dist/cli.js not built']);
  console.log(table(['measurement', 'parse time', 'process wall time', 'peak RSS', 'RSS ÷ baseline'], rows));
}

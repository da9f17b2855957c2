// Checks that files are valid Python with a real interpreter (`ast.parse`), in one process for many files.
import { spawnSync } from 'node:child_process';

const SCRIPT = `
import ast, json, sys
errors = {}
for path in sys.argv[1:]:
    try:
        with open(path, encoding="utf-8") as handle:
            ast.parse(handle.read(), filename=path)
    except SyntaxError as error:
        errors[path] = f"{error.msg} (line {error.lineno})"
print(json.dumps(errors))
`;

/** path → syntax error message, for the files that do not parse. */
export function pythonSyntaxErrors(paths: string[]): Record<string, string> {
  if (paths.length === 0) return {};
  const run = spawnSync('python3', ['-c', SCRIPT, ...paths], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr || run.error}`);
  return JSON.parse(run.stdout) as Record<string, string>;
}

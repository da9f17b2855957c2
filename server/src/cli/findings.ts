// Violations as the CLI prints them: 1-based rows and columns (code points), paths, the first fix.
import type { Severity } from '../config/defaults';
import type { ConfigProblem } from '../config/defaults';
import { locateProblem } from '../config/locate';
import type { LineIndex } from '../base/text';
import type { Applicability } from '../fixes/types';
import { DOCS_BASE_URL, type Violation } from '../rules/types';

export interface Location {
  row: number;
  column: number;
}

export interface FindingEdit {
  content: string;
  location: Location;
  end_location: Location;
}

export interface FindingFix {
  applicability: Applicability;
  message: string;
  edits: FindingEdit[];
  /** Files the fix creates (MG101: the index's migration of its own); the edits alone would lose what moved there. */
  new_files?: { path: string; content: string }[];
}

/** Another place involved in a finding (the earlier migration that defined the field, the other leaf). */
export interface FindingRelated {
  /** Absolute path. */
  path: string;
  location: Location;
  endLocation: Location;
  message: string;
}

export interface Finding {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  help?: string;
  /** Absolute path. */
  path: string;
  location: Location;
  endLocation: Location;
  fix: FindingFix | null;
  url: string;
  related: FindingRelated[];
}

export const CONFIG_CODE = 'MG000';
export const CONFIG_NAME = 'invalid-configuration';
export const CONFIG_URL = `${DOCS_BASE_URL}#${CONFIG_CODE.toLowerCase()}-${CONFIG_NAME}`;

/**
 * @param linesOf the line index of another file named by a related location (`text`: the text its range
 *   belongs to, when the rule gave it); undefined when it cannot be read (the location is then 1:1).
 */
export function toFinding(path: string, lines: LineIndex, violation: Violation, linesOf?: (path: string, text: string | undefined) => LineIndex | undefined): Finding {
  const first = violation.fixes[0];
  const related = (violation.related ?? []).map((location): FindingRelated => {
    const index = location.path === path && location.text === undefined ? lines : linesOf?.(location.path, location.text);
    const start = index?.rowColumn(location.range.start) ?? { row: 1, column: 1 };
    const end = index?.rowColumn(Math.max(location.range.start, location.range.end)) ?? start;
    return { path: location.path, location: start, endLocation: end, message: location.message };
  });
  return {
    code: violation.code,
    name: violation.name,
    severity: violation.severity,
    message: violation.message,
    help: violation.help,
    path,
    location: lines.rowColumn(violation.range.start),
    endLocation: lines.rowColumn(violation.range.end),
    fix: first
      ? {
          applicability: first.applicability,
          message: first.title,
          edits: [...first.edits]
            .sort((a, b) => a.start - b.start || a.end - b.end)
            .map((edit) => ({ content: edit.text, location: lines.rowColumn(edit.start), end_location: lines.rowColumn(edit.end) })),
          ...(first.newFiles?.length ? { new_files: first.newFiles.map((file) => ({ path: file.path, content: file.text })) } : {}),
        }
      : null,
    url: violation.url,
    related,
  };
}

/**
 * A configuration problem as an MG000 finding on the config file, on the line of the offending key when it can
 * be found (see locateProblem: the same line the editor shows), else on the first line.
 */
export function configFinding(path: string, text: string | undefined, problem: ConfigProblem): Finding {
  let location: Location = { row: 1, column: 1 };
  let endLocation: Location = { row: 1, column: 1 };
  // A file that does not parse stays at 1:1 (its problem is the whole file); a bad value is on its key's line.
  if (text !== undefined && problem.key && problem.key !== 'tool.migration-guard') {
    const index = locateProblem(text, problem.key);
    const line = (text.split('\n')[index] ?? '').replace(/\r$/, '');
    location = { row: index + 1, column: line.length - line.trimStart().length + 1 };
    endLocation = { row: index + 1, column: [...line].length + 1 };
  }
  return {
    code: CONFIG_CODE,
    name: CONFIG_NAME,
    severity: 'error',
    message: problem.message,
    help: 'Instead, correct the configuration file; until then the defaults are used for the options it could not read.',
    path,
    location,
    endLocation,
    fix: null,
    url: CONFIG_URL,
    related: [],
  };
}

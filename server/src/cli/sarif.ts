// SARIF 2.1.0 output of `check`, for GitHub code scanning and other SARIF viewers: one run, the rules with their
// docs, results with 1-based regions (code-point columns) relative to the repository root, and fixes.
import { pathToFileURL } from 'node:url';
import { isAbsolute, relative, sep } from 'node:path';
import { version } from '../../../package.json';
import type { Severity } from '../config/defaults';
import type { Finding, Location } from './findings';
import { allRules, ruleMarkdown, ruleText } from './rules';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
const INFORMATION_URI = 'https://github.com/django-migration-guard/django-migration-guard';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/** A path relative to `root` (forward slashes, URI-escaped) with the %SRCROOT% base; else an absolute file URI. */
export function artifactLocation(path: string, root: string): ArtifactLocation {
  const rel = relative(root, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { uri: pathToFileURL(path).href };
  return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function region(start: Location, end: Location) {
  return { startLine: start.row, startColumn: start.column, endLine: end.row, endColumn: end.column };
}

/** The SARIF log (as an object) for `findings`; `root` is the repository root the URIs are relative to. */
export function sarifLog(findings: readonly Finding[], root: string) {
  const rules = allRules();
  const index = new Map(rules.map((rule, i) => [rule.code, i]));
  const results = findings.map((finding) => {
    const location = artifactLocation(finding.path, root);
    const result: Record<string, unknown> = {
      ruleId: finding.code,
      ruleIndex: index.get(finding.code) ?? -1,
      level: LEVEL[finding.severity],
      message: { text: finding.help ? `${finding.message}\n${finding.help}` : finding.message },
      locations: [{ physicalLocation: { artifactLocation: location, region: region(finding.location, finding.endLocation) } }],
    };
    if (finding.related.length > 0) {
      result.relatedLocations = finding.related.map((related, id) => ({
        id,
        physicalLocation: { artifactLocation: artifactLocation(related.path, root), region: region(related.location, related.endLocation) },
        message: { text: related.message },
      }));
    }
    if (finding.fix) {
      result.fixes = [{
        description: { text: `${finding.fix.message}${finding.fix.applicability === 'safe' ? '' : ` (${finding.fix.applicability})`}` },
        artifactChanges: [{
          artifactLocation: location,
          replacements: finding.fix.edits.map((edit) => ({
            deletedRegion: region(edit.location, edit.end_location),
            insertedContent: { text: edit.content },
          })),
        }, ...(finding.fix.new_files ?? []).map((file) => ({
          // A file the fix creates: its whole text inserted at the start of an empty file.
          artifactLocation: artifactLocation(file.path, root),
          replacements: [{ deletedRegion: region({ row: 1, column: 1 }, { row: 1, column: 1 }), insertedContent: { text: file.content } }],
        }))],
      }];
    }
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'migration-guard',
          fullName: 'Django Migration Guard',
          version,
          semanticVersion: version,
          informationUri: INFORMATION_URI,
          rules: rules.map((rule) => ({
            id: rule.code,
            name: rule.name,
            shortDescription: { text: rule.docs.summary },
            fullDescription: { text: rule.docs.why },
            help: { text: ruleText(rule), markdown: ruleMarkdown(rule) },
            helpUri: rule.url,
            defaultConfiguration: { level: LEVEL[rule.severity as Severity] ?? 'warning' },
          })),
        },
      },
      originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(root.endsWith(sep) ? root : `${root}${sep}`).href } },
      columnKind: 'unicodeCodePoints',
      results,
    }],
  };
}

export function formatSarif(findings: readonly Finding[], root: string): string {
  return `${JSON.stringify(sarifLog(findings, root), null, 2)}\n`;
}

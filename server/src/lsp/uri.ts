// file: URIs ↔ paths. Only file: URIs are linted (an untitled buffer has no app, no migrations folder).
import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

/** The path of a document we lint: a file: URI of a `.py` file; anything else gets no diagnostics. */
export function lintablePath(uri: string): string | undefined {
  const path = uriToPath(uri);
  return path !== undefined && path.endsWith('.py') ? path : undefined;
}

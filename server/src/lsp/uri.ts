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

/** URIs by path: every keystroke names the same few files in its diagnostics' related locations. */
const uris = new Map<string, string>();
const MAX_CACHED_URIS = 10_000;

export function pathToUri(path: string): string {
  let uri = uris.get(path);
  if (uri === undefined) {
    if (uris.size >= MAX_CACHED_URIS) uris.clear();
    uris.set(path, (uri = pathToFileURL(path).href));
  }
  return uri;
}

/** The path of a document we lint: a file: URI of a `.py` file; anything else gets no diagnostics. */
export function lintablePath(uri: string): string | undefined {
  const path = uriToPath(uri);
  return path !== undefined && path.endsWith('.py') ? path : undefined;
}

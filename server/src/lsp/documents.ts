// Open documents: text (incremental sync), version, and the tree-sitter tree kept in step with every edit so
// the next parse is incremental.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DidChangeTextDocumentParams, TextDocumentContentChangeEvent, TextDocumentItem } from 'vscode-languageserver/node';
import { parsePython, TreeEdit as Edit, type Point, type Tree } from '../base/parser';
import { lintablePath } from './uri';

export interface StoredDocument {
  uri: string;
  languageId: string;
  version: number;
  document: TextDocument;
  /** Set for documents we lint (file: URIs of `.py` files). */
  path?: string;
  /** The last parse, `edit`ed since to match `document`; undefined: the next parse starts from scratch. */
  tree?: Tree;
  /** The version `tree` was parsed for (edits since then make it stale until the next parse). */
  treeVersion?: number;
}

/**
 * A lone `\r` is parsed as `\n` (withPythonLineBreaks), but an edit next to one can join it with a `\n` into one
 * `\r\n` break, which an incremental edit cannot describe: such a document is re-parsed from scratch instead.
 */
function hasLoneCarriageReturn(text: string): boolean {
  return text.includes('\r') && /\r(?!\n)/.test(text);
}

/** Where `inserted` ends when it is inserted at `start` (rows at `\n`, columns in UTF-16 units). */
function endPoint(start: Point, inserted: string): Point {
  const lastNewline = inserted.lastIndexOf('\n');
  if (lastNewline < 0) return { row: start.row, column: start.column + inserted.length };
  let rows = 0;
  for (let i = inserted.indexOf('\n'); i >= 0; i = inserted.indexOf('\n', i + 1)) rows++;
  return { row: start.row + rows, column: inserted.length - lastNewline - 1 };
}

const point = (document: TextDocument, offset: number): Point => {
  const { line, character } = document.positionAt(offset);
  return { row: line, column: character };
};

export class DocumentStore {
  private readonly documents = new Map<string, StoredDocument>();

  get(uri: string): StoredDocument | undefined {
    return this.documents.get(uri);
  }

  all(): StoredDocument[] {
    return [...this.documents.values()];
  }

  /** The open document of a file path (a handful are open: a scan is cheap). */
  byPath(path: string): StoredDocument | undefined {
    for (const stored of this.documents.values()) if (stored.path === path) return stored;
    return undefined;
  }

  open(item: TextDocumentItem): StoredDocument {
    this.close(item.uri);
    const stored: StoredDocument = {
      uri: item.uri,
      languageId: item.languageId,
      version: item.version,
      document: TextDocument.create(item.uri, item.languageId, item.version, item.text),
      path: lintablePath(item.uri),
    };
    this.documents.set(item.uri, stored);
    return stored;
  }

  /** Applies the changes in order (each is relative to the text after the previous one). */
  change(params: DidChangeTextDocumentParams): StoredDocument | undefined {
    const stored = this.documents.get(params.textDocument.uri);
    if (!stored) return undefined;
    for (const change of params.contentChanges) this.applyChange(stored, change, params.textDocument.version);
    stored.version = params.textDocument.version;
    return stored;
  }

  private applyChange(stored: StoredDocument, change: TextDocumentContentChangeEvent, version: number): void {
    if (!('range' in change) || !change.range) {
      this.dropTree(stored);
      stored.document = TextDocument.create(stored.uri, stored.languageId, version, change.text);
      return;
    }
    const before = stored.document;
    if (stored.tree) {
      try {
        if (hasLoneCarriageReturn(change.text) || hasLoneCarriageReturn(before.getText())) throw new Error('lone CR');
        const startIndex = before.offsetAt(change.range.start);
        const oldEndIndex = Math.max(startIndex, before.offsetAt(change.range.end));
        const startPosition = point(before, startIndex);
        stored.tree.edit(new Edit({
          startIndex,
          oldEndIndex,
          newEndIndex: startIndex + change.text.length,
          startPosition,
          oldEndPosition: point(before, oldEndIndex),
          newEndPosition: endPoint(startPosition, change.text),
        }));
      } catch {
        // A `\r` in play (or a broken tree): parse this document from scratch next time.
        this.dropTree(stored);
      }
    }
    stored.document = TextDocument.update(before, [change], version);
    // An edit next to a `\r\n` may leave a lone `\r` behind (deleting the `\n`): cheap to check, as most
    // files have no `\r` at all.
    if (stored.tree && hasLoneCarriageReturn(stored.document.getText())) this.dropTree(stored);
  }

  /** After a parse of the current text: the new tree replaces (and frees) the old one. */
  replaceTree(stored: StoredDocument, tree: Tree | undefined): void {
    if (stored.tree && stored.tree !== tree) stored.tree.delete();
    stored.tree = tree;
    stored.treeVersion = tree ? stored.version : undefined;
  }

  /** A tree of the current text: the last parse when nothing changed since, else an incremental re-parse. */
  currentTree(stored: StoredDocument): Tree {
    if (stored.tree && stored.treeVersion === stored.version) return stored.tree;
    // The wasm tree is kept beside the copy: the next keystroke re-parses incrementally from it.
    const tree = parsePython(stored.document.getText(), stored.tree, true);
    this.replaceTree(stored, tree);
    return tree;
  }

  dropTree(stored: StoredDocument): void {
    this.replaceTree(stored, undefined);
  }

  close(uri: string): StoredDocument | undefined {
    const stored = this.documents.get(uri);
    if (!stored) return undefined;
    this.dropTree(stored);
    this.documents.delete(uri);
    return stored;
  }

  /** Frees every tree (shutdown). */
  clear(): void {
    for (const uri of [...this.documents.keys()]) this.close(uri);
  }
}

/** Offsets are JS string indices into the document text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Ruff's meanings: `safe` keeps behaviour; `unsafe` is valid code that may change it. */
export type Applicability = 'safe' | 'unsafe';

/** Edits to another file of the project, made together with the fix (MG201 edits the model's field in models.py). */
export interface FileEdits {
  path: string;
  edits: Edit[];
  /** textHash() of the text the edits were computed on: a changed file gets no stale edits. */
  textHash: string;
}

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: Edit[];
  /** For an unsafe fix: what it may change, in a few words (the editor shows "(unsafe: …)" in the title). */
  unsafeBecause?: string;
  /** Edits to other files, applied in the same step (one multi-file edit), never alone. */
  otherFiles?: FileEdits[];
  /** Files the fix creates (MG101's migration of its own), in the same step; never written over an existing file. */
  newFiles?: NewFile[];
}

export interface NewFile {
  path: string;
  text: string;
}

/** FNV-1a of the text, as hex: cheap, and enough to tell that a file changed since the fix was computed. */
export function textHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${text.length}:${hash.toString(16)}`;
}

/** Offsets are JS string indices into the document text. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Ruff's meanings: `safe` keeps behaviour; `unsafe` is valid code that may change it. */
export type Applicability = 'safe' | 'unsafe';

export interface Fix {
  title: string;
  applicability: Applicability;
  edits: Edit[];
  /** For an unsafe fix: what it may change, in a few words (the editor shows "(unsafe: …)" in the title). */
  unsafeBecause?: string;
}

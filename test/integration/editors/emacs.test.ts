// Emacs 28 + eglot 1.9 (Debian's `emacs-nox` and `elpa-eglot`), in batch mode, runs the BUILT language server
// (dist/server.js) on a copy of examples/shop: flymake must show MG101 on 0002_order_created_idx.py, and eglot's
// own code-action path (MG101 made an error by `eglot-workspace-configuration`, the README's form) (`eglot-code-actions`, then its executor with the one chosen action) must apply
// "Use AddIndexConcurrently", leave the expected text and clear the diagnostic. The script polls with deadlines.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyShop, FIXED_MIGRATION, MIGRATION, requireEditor, runEditor, SERVER } from './project';

const TEST_EL = String.raw`
(require 'eglot)
(require 'flymake)
(require 'json)

(defvar mg-root (file-name-as-directory (getenv "MG_ROOT")))
(defvar mg-result (list (cons 'steps [])))

(defun mg-step (name)
  (setf (alist-get 'steps mg-result) (vconcat (alist-get 'steps mg-result) (vector name))))

(defun mg-finish ()
  (with-temp-file (getenv "MG_RESULT")
    (insert (json-encode mg-result))))

(defun mg-wait (what seconds predicate)
  "Poll PREDICATE (letting the server's output in) until it is non-nil, or fail after SECONDS."
  (let ((deadline (+ (float-time) seconds)) (value nil))
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (or value (error "Timed out after %s s waiting for %s" seconds what))))

(defun mg-mg101 (&optional type)
  (seq-find (lambda (d) (and (string-match-p "\\[MG101\\]" (flymake-diagnostic-text d))
                             (or (null type) (eq type (flymake-diagnostic-type d)))))
            (flymake-diagnostics)))

;; Settings as the README shows them (a plist of sections, answered to workspace/configuration): MG101 is an error.
(setq-default eglot-workspace-configuration '(:migrationGuard (:severity (:MG101 "error"))))

;; The shop copy is not a version-controlled project: tell project.el (and so eglot) where its root is.
(add-hook 'project-find-functions
          (lambda (dir) (when (string-prefix-p mg-root (file-name-as-directory (expand-file-name dir)))
                          (cons 'transient mg-root))))

(condition-case err
    (progn
      (find-file (expand-file-name (getenv "MG_FILE") mg-root))
      (unless (derived-mode-p 'python-mode) (python-mode))
      (eglot '(python-mode) (cons 'transient mg-root) 'eglot-lsp-server
             (list "node" (getenv "MG_SERVER") "--stdio") "python")
      (mg-wait "eglot to manage the buffer" 20 (lambda () (bound-and-true-p eglot--managed-mode)))
      (mg-step "managed")
      (let ((diagnostic (mg-wait "the MG101 diagnostic as an error" 20 (lambda () (mg-mg101 'eglot-error)))))
        (setf (alist-get 'diagnostic mg-result) (flymake-diagnostic-text diagnostic))
        (setf (alist-get 'type mg-result) (symbol-name (flymake-diagnostic-type diagnostic)))
        (setf (alist-get 'line mg-result) (line-number-at-pos (flymake-diagnostic-beg diagnostic)))
        (setf (alist-get 'column mg-result)
              (save-excursion (goto-char (flymake-diagnostic-beg diagnostic)) (current-column)))
        (mg-step "diagnostic")
        (let* ((actions (eglot-code-actions (flymake-diagnostic-beg diagnostic) (flymake-diagnostic-end diagnostic)
                                            "quickfix"))
               (chosen (seq-find (lambda (a) (equal (plist-get a :title)
                                                    "Migration Guard (MG101): Use AddIndexConcurrently"))
                                 actions)))
          (setf (alist-get 'titles mg-result) (vconcat (mapcar (lambda (a) (plist-get a :title)) actions)))
          (unless chosen (error "No \"Use AddIndexConcurrently\" action"))
          (setf (alist-get 'preferred mg-result) (eq (plist-get chosen :isPreferred) t))
          ;; eglot's own executor: with one action of the asked kind it applies it without a prompt.
          (eglot--read-execute-code-action (list chosen) (eglot-current-server) "quickfix")
          (setf (alist-get 'text mg-result) (buffer-substring-no-properties (point-min) (point-max)))
          (mg-step "applied")))
      ;; Interactively eglot sends didChange from an idle timer, and idle timers never fire in batch mode:
      ;; saving sends it (eglot's didSave sends the pending changes first), as a user's C-x C-s would.
      (save-buffer)
      (mg-wait "MG101 to go away" 20 (lambda () (not (mg-mg101))))
      (mg-step "cleared")
      (ignore-errors (eglot-shutdown (eglot-current-server))))
  (error (setf (alist-get 'error mg-result) (error-message-string err))))
(mg-finish)
(kill-emacs 0)
`;

describe('Emacs 28 + eglot with the built server', () => {
  let shop: ReturnType<typeof copyShop>;
  let result: {
    steps: string[]; error?: string; diagnostic?: string; type?: string; line?: number; column?: number;
    titles?: string[]; preferred?: boolean; text?: string;
  };

  before(async () => {
    requireEditor('Emacs 28 or later with eglot', 'emacs', ['--batch', '-q', '--eval', "(progn (require 'eglot) (princ emacs-version))"], /^(2[89]|[3-9]\d)\./m);
    shop = copyShop();
    const script = join(shop.root, '..', 'test.el');
    const out = join(shop.root, '..', 'result.json');
    writeFileSync(script, TEST_EL);
    // -q (not -Q): Debian's site-start puts the elpa-eglot package on the load path.
    const run = await runEditor('emacs', ['--batch', '-q', '-l', script], {
      cwd: shop.root,
      env: { MG_SERVER: SERVER, MG_ROOT: shop.root, MG_FILE: MIGRATION, MG_RESULT: out, HOME: join(shop.root, '..') },
      timeoutMs: 90_000,
    });
    let text: string;
    try {
      text = readFileSync(out, 'utf8');
    } catch {
      throw new Error(`emacs wrote no result (exit ${run.code})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    }
    result = JSON.parse(text);
    assert.equal(result.error, undefined, `${result.error}\nsteps: ${result.steps.join(' → ')}\nstderr:\n${run.stderr}`);
  });

  after(() => shop?.dispose());

  it('flymake shows MG101 on the AddIndex (line 11, column 9), as an error per eglot-workspace-configuration', () => {
    assert.match(result.diagnostic!, /\[MG101\]: .*AddIndex.*order_created_idx.*shop_order.*SHARE lock/);
    assert.equal(result.type, 'eglot-error'); // the rule's default is a warning
    assert.equal(result.line, 11);
    assert.equal(result.column, 8);
  });

  it('offers the fix (preferred: it is safe) and the ignore action', () => {
    assert.ok(result.titles!.includes('Migration Guard (MG101): Use AddIndexConcurrently'), result.titles!.join('\n'));
    assert.ok(result.titles!.includes('Migration Guard: Ignore MG101 on this line'), result.titles!.join('\n'));
    assert.equal(result.preferred, true);
  });

  it('applying it gives AddIndexConcurrently + atomic = False, and MG101 goes away', () => {
    assert.equal(result.text, FIXED_MIGRATION);
    assert.deepEqual(result.steps, ['managed', 'diagnostic', 'applied', 'cleared']);
  });
});

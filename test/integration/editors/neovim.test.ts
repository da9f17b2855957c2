// Neovim 0.7 (Debian's `neovim`), headless, runs the BUILT language server (dist/server.js) on a copy of
// examples/shop: the MG101 diagnostic must appear on 0002_order_created_idx.py, and the
// "Use AddIndexConcurrently" code action, applied by Neovim's own workspace-edit code, must leave the expected text
// and clear the diagnostic. The client's `settings` (the README's form) make MG101 an error. Neovim 0.7 has no vim.lsp.start: vim.lsp.start_client + buf_attach_client in VimEnter.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyShop, FIXED_MIGRATION, MIGRATION, requireEditor, runEditor, SERVER } from './project';

const INIT_LUA = String.raw`
local server, root, out = os.getenv('MG_SERVER'), os.getenv('MG_ROOT'), os.getenv('MG_RESULT')
local result = { steps = {} }

local function finish()
  local file = assert(io.open(out, 'w'))
  file:write(vim.fn.json_encode(result))
  file:close()
  vim.cmd('qall!')
end

-- Keep the raw LSP diagnostics (with their data) for the code action request, as Neovim's own code does.
local raw = {}
local publish = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
  raw[params.uri] = params.diagnostics
  return publish(err, params, ctx, config)
end

local function mg101(bufnr, severity)
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == 'MG101' and (severity == nil or d.severity == severity) then return d end
  end
end

local function run()
  local bufnr = vim.api.nvim_get_current_buf()
  local client_id = vim.lsp.start_client({
    name = 'migration-guard',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'shop' } },
    -- Settings as the README shows them: MG101 becomes an error. Neovim 0.7 does not offer workspace/configuration
    -- and sends nothing by itself, so on_init pushes them, as nvim-lspconfig does.
    settings = { migrationGuard = { severity = { MG101 = 'error' } } },
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
  })
  assert(client_id, 'the server did not start')
  vim.lsp.buf_attach_client(bufnr, client_id)
  table.insert(result.steps, 'attached')

  local error = vim.diagnostic.severity.ERROR
  assert(vim.wait(20000, function() return mg101(bufnr, error) ~= nil end, 20), 'no MG101 error within 20 s')
  local d = mg101(bufnr, error)
  result.diagnostic = { code = d.code, lnum = d.lnum, col = d.col, message = d.message, severity = d.severity,
    source = d.source }
  table.insert(result.steps, 'diagnostic')

  local uri = vim.uri_from_bufnr(bufnr)
  local lsp_diagnostic
  for _, candidate in ipairs(raw[uri] or {}) do
    if candidate.code == 'MG101' then lsp_diagnostic = candidate end
  end
  assert(lsp_diagnostic, 'no raw MG101 diagnostic')
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' } },
  }, 10000)
  assert(responses, 'no code action response within 10 s')
  local action
  result.titles = {}
  for _, response in pairs(responses) do
    for _, candidate in ipairs(response.result or {}) do
      table.insert(result.titles, candidate.title)
      if candidate.title == 'Migration Guard (MG101): Use AddIndexConcurrently' then action = candidate end
    end
  end
  assert(action and action.edit, 'no "Use AddIndexConcurrently" action with an edit')
  result.isPreferred = action.isPreferred or false
  local client = vim.lsp.get_client_by_id(client_id)
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  result.text = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
  table.insert(result.steps, 'applied')

  -- The buffer change goes to the server (didChange); the diagnostic must go away.
  assert(vim.wait(20000, function() return mg101(bufnr) == nil end, 20), 'MG101 still reported 20 s after the fix')
  result.codesAfter = {}
  for _, other in ipairs(vim.diagnostic.get(bufnr)) do table.insert(result.codesAfter, other.code) end
  table.insert(result.steps, 'cleared')
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = pcall(run)
    if not ok then result.error = tostring(err) end
    finish()
  end,
})
`;

describe('Neovim 0.7 with the built server', () => {
  let shop: ReturnType<typeof copyShop>;
  let result: {
    steps: string[]; error?: string; diagnostic?: { code: string; lnum: number; col: number; message: string; severity: number };
    titles?: string[]; isPreferred?: boolean; text?: string; codesAfter?: string[];
  };

  before(async () => {
    requireEditor('Neovim 0.7 or later', 'nvim', ['--version'], /^NVIM v(0\.([7-9]|\d{2,})|[1-9])/);
    shop = copyShop();
    const init = join(shop.root, '..', 'init.lua');
    const out = join(shop.root, '..', 'result.json');
    writeFileSync(init, INIT_LUA);
    const run = await runEditor('nvim', ['--headless', '-n', '-i', 'NONE', '-u', init, MIGRATION], {
      cwd: shop.root,
      env: { MG_SERVER: SERVER, MG_ROOT: shop.root, MG_RESULT: out, XDG_CONFIG_HOME: join(shop.root, '..', 'config'), XDG_DATA_HOME: join(shop.root, '..', 'data'), XDG_STATE_HOME: join(shop.root, '..', 'state') },
      timeoutMs: 90_000,
    });
    let text: string;
    try {
      text = readFileSync(out, 'utf8');
    } catch {
      throw new Error(`nvim wrote no result (exit ${run.code})\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
    }
    result = JSON.parse(text);
    assert.equal(result.error, undefined, `${result.error}\nsteps: ${result.steps.join(' → ')}\nstderr:\n${run.stderr}`);
  });

  after(() => shop?.dispose());

  it('shows MG101 on the AddIndex (line 11, column 9), as an error per the `settings` it was given', () => {
    const d = result.diagnostic!;
    assert.equal(d.code, 'MG101');
    assert.equal(d.lnum, 10);
    assert.equal(d.col, 8);
    assert.equal(d.severity, 1); // vim.diagnostic.severity.ERROR (the rule's default is a warning)
    assert.match(d.message, /AddIndex.*order_created_idx.*shop_order.*SHARE lock/);
  });

  it('offers the fix (preferred: it is safe) and the ignore action', () => {
    assert.ok(result.titles!.includes('Migration Guard (MG101): Use AddIndexConcurrently'), result.titles!.join('\n'));
    assert.ok(result.titles!.includes('Migration Guard: Ignore MG101 on this line'), result.titles!.join('\n'));
    assert.equal(result.isPreferred, true);
  });

  it('applying it gives AddIndexConcurrently + atomic = False, and MG101 goes away', () => {
    assert.equal(result.text, FIXED_MIGRATION);
    assert.deepEqual(result.steps, ['attached', 'diagnostic', 'applied', 'cleared']);
    assert.ok(!result.codesAfter!.includes('MG101'));
  });
});

-- A second, editor-independent LSP client: Neovim's built-in client (Debian's neovim 0.7) run headless against the
-- Onus server over stdio, on fix/main.tf, cfn/stack.yaml and bicep/storage.bicep of the e2e fixtures (one server,
-- three buffers). Prints one JSON line with a record per check and exits 0 only when every check passed.
-- Env: LSP_CMD (the server command, e.g. "node /abs/dist/server.js --stdio"), FILE (absolute path of the Terraform
-- file), CFN_FILE and BICEP_FILE (absolute paths of the CloudFormation template and the Bicep file).
-- Neovim 0.7 notes (see ../../shared/E2E.md): no vim.lsp.start (start_client + buf_attach_client); the
-- diagnostics of vim.diagnostic.get() lack the LSP range, so code actions are asked with the full LSP diagnostics
-- of vim.lsp.diagnostic.get_line_diagnostics(); edits are applied as UTF-16.
local server_cmd = vim.split(os.getenv('LSP_CMD') or 'node dist/server.js --stdio', ' ', { trimempty = true })
local file = assert(os.getenv('FILE'), 'FILE is not set')
local cfn_file = assert(os.getenv('CFN_FILE'), 'CFN_FILE is not set')
local bicep_file = assert(os.getenv('BICEP_FILE'), 'BICEP_FILE is not set')
local RULE = 'aws-s3-public-acl'
local FIX_TITLE = 'Set the ACL to "private"'
local TIMEOUT = 60000 -- generous: two shared cores

local out = { checks = {} }
local function check(name, fn)
  local ok, detail = pcall(fn)
  table.insert(out.checks, { title = name, state = ok and 'passed' or 'failed', detail = detail, error = (not ok) and tostring(detail) or nil })
  return ok
end

local function lsp_code(d)
  return d.user_data and d.user_data.lsp and d.user_data.lsp.code
end

local function find_diagnostic(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if lsp_code(d) == code then
      return d
    end
  end
  return nil
end

vim.o.hidden = true -- the later checks open other files while this buffer holds the applied fix
vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'terraform' -- -u NONE has no filetype detection; the server reads the language id from it
local client_id = vim.lsp.start_client({
  name = 'onus',
  cmd = server_cmd,
  root_dir = vim.fn.fnamemodify(file, ':p:h:h'),
  on_exit = function(code) out.server_exit = code end,
})
local ok_all = client_id ~= nil
if ok_all then
  vim.lsp.buf_attach_client(buf, client_id)
end

ok_all = ok_all and check('publishes diagnostics with the rule id at the attribute (' .. RULE .. ')', function()
  assert(vim.wait(TIMEOUT, function() return find_diagnostic(buf, RULE) ~= nil end, 50), 'no ' .. RULE .. ' diagnostic')
  local d = find_diagnostic(buf, RULE)
  assert(d.lnum == 4 and d.col == 11 and d.end_col == 24, ('range %d:%d-%d'):format(d.lnum, d.col, d.end_col))
  assert(d.source == 'onus', 'source ' .. tostring(d.source))
  assert(d.severity == vim.diagnostic.severity.ERROR, 'severity ' .. tostring(d.severity))
  local codes = {}
  for _, x in ipairs(vim.diagnostic.get(buf)) do table.insert(codes, lsp_code(x)) end
  return table.concat(codes, ',')
end)

ok_all = ok_all and check('hover over storage_encrypted names the customer as the owner', function()
  local line = vim.api.nvim_buf_get_lines(buf, 14, 15, false)[1]
  local col = assert(line:find('storage_encrypted', 1, true), 'line 15 is ' .. line)
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = 14, character = col + 2 },
  }, TIMEOUT)
  local value
  for _, r in pairs(res or {}) do
    if r.result and r.result.contents then value = r.result.contents.value end
  end
  assert(value, 'no hover')
  assert(value:find("Encryption at rest: the **customer's** job", 1, true), 'hover without the owner: ' .. value)
  return value:sub(1, 300)
end)

ok_all = ok_all and check('the code action "' .. FIX_TITLE .. '" applies and the diagnostic goes away', function()
  local d = find_diagnostic(buf, RULE)
  local full
  for _, x in ipairs(vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum)) do
    if x.code == RULE then full = x end
  end
  assert(full and full.range, 'no LSP diagnostic for line ' .. d.lnum)
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = vim.lsp.util.make_text_document_params(buf), range = full.range,
    context = { diagnostics = { full }, only = { 'quickfix' } },
  }, TIMEOUT)
  local titles, chosen = {}, nil
  for _, r in pairs(res or {}) do
    for _, a in ipairs(r.result or {}) do
      table.insert(titles, a.title)
      if a.title == FIX_TITLE then chosen = a end
    end
  end
  assert(chosen and chosen.edit, 'no "' .. FIX_TITLE .. '" among: ' .. table.concat(titles, ' | '))
  vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  local after = vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1]
  assert(after == '  acl    = "private"', 'line 5 after the fix: ' .. after)
  assert(vim.wait(TIMEOUT, function() return find_diagnostic(buf, RULE) == nil end, 50), RULE .. ' still reported after the fix')
  assert(find_diagnostic(buf, 'aws-rds-public-access') ~= nil, 'the other findings are gone too')
  return table.concat(titles, ' | ')
end)

-- Opens `path` in a new buffer with `filetype` (Neovim sends it as the LSP language id), attached to the same client,
-- and checks that `code` is published at the 0-based range `lnum:col-end_col` over `text`, with `severity`.
local function check_other_language(what, path, filetype, code, lnum, col, end_col, text, severity)
  return check(what .. ': ' .. code .. ' at ' .. text, function()
    vim.cmd('edit ' .. vim.fn.fnameescape(path))
    local b = vim.api.nvim_get_current_buf()
    vim.bo[b].filetype = filetype
    vim.lsp.buf_attach_client(b, client_id)
    assert(vim.wait(TIMEOUT, function() return find_diagnostic(b, code) ~= nil end, 50), 'no ' .. code .. ' diagnostic')
    local d = find_diagnostic(b, code)
    assert(d.lnum == lnum and d.col == col and d.end_col == end_col, ('range %d:%d-%d'):format(d.lnum, d.col, d.end_col))
    local line = vim.api.nvim_buf_get_lines(b, lnum, lnum + 1, false)[1]
    assert(line:sub(col + 1, end_col) == text, 'text under the range: ' .. line:sub(col + 1, end_col))
    assert(d.source == 'onus', 'source ' .. tostring(d.source))
    assert(d.severity == severity, 'severity ' .. tostring(d.severity))
    local codes = {}
    for _, x in ipairs(vim.diagnostic.get(b)) do table.insert(codes, lsp_code(x)) end
    return table.concat(codes, ',')
  end)
end

ok_all = ok_all and check_other_language('a CloudFormation template (filetype yaml)', cfn_file, 'yaml',
  'aws-s3-public-acl', 8, 21, 31, 'PublicRead', vim.diagnostic.severity.ERROR)
ok_all = ok_all and check_other_language('a Bicep file (filetype bicep)', bicep_file, 'bicep',
  'azure-storage-min-tls', 11, 23, 31, "'TLS1_0'", vim.diagnostic.severity.WARN)

if client_id then
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return out.server_exit ~= nil end, 50)
end
out.ok = ok_all and #out.checks == 5
io.stdout:write(vim.fn.json_encode(out) .. '\n')
vim.cmd(out.ok and 'qall!' or 'cquit 1')

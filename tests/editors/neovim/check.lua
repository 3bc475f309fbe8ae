-- Headless Neovim end-to-end check of nnterm-ls, using the user snippet editor/neovim/nnterm.lua as is.
-- Run by tests/editors/neovim/run.sh: nvim --headless -u NONE -i NONE -n -c "luafile check.lua"
-- Env: NNTERM_REPO (repo root), NNTERM_WS (a folder holding chapter.md and thesis.tex); nnterm-ls on PATH.
local repo = assert(os.getenv('NNTERM_REPO'))
local ws = assert(os.getenv('NNTERM_WS'))
vim.cmd('filetype on')
vim.g.tex_flavor = 'latex'
dofile(repo .. '/editor/neovim/nnterm.lua')

local failures = 0
local timeout = tonumber(os.getenv('NNTERM_E2E_TIMEOUT') or '20') * 1000
local function out(s) io.stdout:write(s .. '\n') end
local function ok(cond, what, got)
  if cond then
    out('ok    ' .. what)
  else
    failures = failures + 1
    out('FAIL  ' .. what .. (got and ('\n      got: ' .. vim.inspect(got)) or ''))
  end
  return cond
end

local function flatten_hover(contents)
  if type(contents) == 'string' then return contents end
  if contents.value then return contents.value end
  local parts = {}
  for _, c in ipairs(contents) do table.insert(parts, type(c) == 'string' and c or c.value) end
  return table.concat(parts, '\n')
end

-- put the cursor at the first occurrence of `text` (plus `after` bytes), return LSP position params
local function cursor_at(buf, client, text, at_end)
  for lnum, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s, e = line:find(text, 1, true)
    if s then
      vim.api.nvim_win_set_cursor(0, { lnum, at_end and e or (s - 1) })
      return vim.lsp.util.make_position_params(0, client.offset_encoding)
    end
  end
  error('text not in buffer: ' .. text)
end

local function check(file, ft, hover_term, hover_expect, prefix, completion_expect)
  out('== ' .. file)
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/' .. file))
  local buf = vim.api.nvim_get_current_buf()
  ok(vim.bo[buf].filetype == ft, 'filetype is ' .. ft, vim.bo[buf].filetype)
  local client
  vim.wait(15000, function()
    client = vim.lsp.get_clients({ bufnr = buf, name = 'nnterm' })[1]
    return client ~= nil and client.initialized
  end, 50)
  if not ok(client ~= nil, 'nnterm-ls attached') then return end

  -- diagnostics: the inconsistent 批归一化 and the casing of relu
  local want = { ['批归一化'] = false, ['relu'] = false }
  vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local line = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, false)[1] or ''
      local found = line:sub(d.col + 1, d.end_col)
      if want[found] ~= nil then want[found] = true end
    end
    return want['批归一化'] and want['relu']
  end, 50)
  local diags = vim.tbl_map(function(d) return { d.lnum, d.col, d.code, d.message } end, vim.diagnostic.get(buf))
  ok(want['批归一化'], 'diagnostic on 批归一化 (inconsistent), range exact', diags)
  ok(want['relu'], 'diagnostic on relu (casing), range exact', diags)
  local has_code = false
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'inconsistent' and d.message:find('批量归一化', 1, true) then has_code = true end
  end
  ok(has_code, 'inconsistent diagnostic names the kept form 批量归一化', diags)

  -- hover on 批归一化
  local params = cursor_at(buf, client, hover_term, false)
  local res = vim.lsp.buf_request_sync(buf, 'textDocument/hover', params, 10000) or {}
  local text = ''
  for _, r in pairs(res) do
    if r.result and r.result.contents then text = text .. flatten_hover(r.result.contents) end
  end
  local all = true
  for _, e in ipairs(hover_expect) do all = all and text:find(e, 1, true) ~= nil end
  ok(all, 'hover on ' .. hover_term .. ' shows ' .. table.concat(hover_expect, ', '), text)

  -- completion after the prefix
  params = cursor_at(buf, client, prefix, true)
  params.context = { triggerKind = 1 }
  res = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 10000) or {}
  local labels, hit = {}, false
  for _, r in pairs(res) do
    local items = r.result and (r.result.items or r.result) or {}
    for _, it in ipairs(items) do
      local new = it.textEdit and it.textEdit.newText or it.insertText or it.label
      table.insert(labels, it.label)
      if new:find(completion_expect, 1, true) or it.label:find(completion_expect, 1, true) then hit = true end
    end
  end
  ok(hit, 'completion after "' .. prefix .. '" offers ' .. completion_expect, labels)
end

-- a settings change reaches the server: completion style en through client.settings + didChangeConfiguration
local function check_settings()
  out('== settings')
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/chapter.md'))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = buf, name = 'nnterm' })[1]
  client.settings.nnterm.completion.style = 'en'
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  local labels
  local done = vim.wait(10000, function()
    local params = cursor_at(buf, client, '使用激活', true)
    local res = vim.lsp.buf_request_sync(buf, 'textDocument/completion', params, 5000) or {}
    labels = {}
    for _, r in pairs(res) do
      for _, it in ipairs(r.result and (r.result.items or r.result) or {}) do labels[it.label] = true end
    end
    return labels['activation function'] and not labels['激活函数']
  end, 200)
  ok(done, 'completion style en (settings.nnterm.completion.style) takes effect: activation function', vim.tbl_keys(labels or {}))
end

-- inlay hints: the snippet's shape `inlayHints = { enabled = true }` turns them on; once per concept per document,
-- only where the writer has not glossed it, full-width parentheses after Chinese, the definition as tooltip
local function check_inlay_hints()
  out('== inlay hints')
  vim.cmd('edit ' .. vim.fn.fnameescape(ws .. '/chapter.md'))
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.get_clients({ bufnr = buf, name = 'nnterm' })[1]
  local last = vim.api.nvim_buf_line_count(buf)
  local params = { textDocument = vim.lsp.util.make_text_document_params(buf),
                   range = { start = { line = 0, character = 0 }, ['end'] = { line = last, character = 0 } } }
  local function hints()
    local res = vim.lsp.buf_request_sync(buf, 'textDocument/inlayHint', params, 5000) or {}
    local got = {}
    for _, r in pairs(res) do
      for _, h in ipairs(r.result or {}) do table.insert(got, h) end
    end
    return got
  end
  ok(#hints() == 0, 'no inlay hints while the snippet says inlayHints = { enabled = false }', hints())
  client.settings.nnterm.inlayHints = { enabled = true }
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
  local got = {}
  vim.wait(10000, function() got = hints(); return #got > 0 end, 200)
  ok(#got > 0, 'inlayHints = { enabled = true } turns inlay hints on', got)
  local labels, seen, full_width, tooltips, dup = {}, {}, true, true, false
  for _, h in ipairs(got) do
    local label = type(h.label) == 'string' and h.label or h.label[1].value
    table.insert(labels, label)
    if seen[label] then dup = true end
    seen[label] = true
    if label:sub(1, 3) ~= '（' then full_width = false end
    local tip = type(h.tooltip) == 'table' and h.tooltip.value or h.tooltip
    if not tip or #tip == 0 then tooltips = false end
  end
  ok(seen['（gradient）'] and seen['（hidden layer）'], 'hints after the first unglossed 梯度 and 隐藏层', labels)
  ok(not seen['（batch normalization）'] and not seen['（activation function）'], 'no hint where the writer glossed the term', labels)
  ok(not dup and full_width and tooltips, 'one hint per concept, full-width （）, each with its definition as tooltip', got)
  client.settings.nnterm.inlayHints = { enabled = false }
  client:notify('workspace/didChangeConfiguration', { settings = client.settings })
end

local okrun, err = pcall(function()
  check('chapter.md', 'markdown', '批归一化', { '批量归一化', 'batch normalization' }, '使用激活', '激活函数')
  check('thesis.tex', 'tex', '批归一化', { '批量归一化', 'batch normalization' }, 'jhhs', '激活函数')
  check_settings()
  check_inlay_hints()
end)
if not okrun then failures = failures + 1; out('FAIL  error: ' .. tostring(err)) end
out(failures == 0 and 'neovim: all checks passed' or ('neovim: ' .. failures .. ' check(s) failed'))
io.stdout:flush()
vim.cmd(failures == 0 and 'qall!' or 'cquit 1')

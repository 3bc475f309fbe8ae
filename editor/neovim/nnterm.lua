-- nnterm-ls for Neovim 0.11+ (built-in LSP client, vim.lsp.config / vim.lsp.enable).
-- Put this file in ~/.config/nvim/lsp/ as nnterm.lua (then just call vim.lsp.enable('nnterm')),
-- or source it from init.lua: dofile('/path/to/nnterm.lua').
-- Needs `nnterm-ls` on PATH (pipx install . from a clone, or pipx install dist/nnterm_ls-*.whl after scripts/dist), or change `cmd` to
-- { '/path/to/python', '-m', 'nnterm_ls' }.
local config = {
  cmd = { 'nnterm-ls' },
  filetypes = { 'markdown', 'tex', 'plaintex', 'latex' },
  root_markers = { '.nnterm.yaml', '.nnterm.yml', '.git' },
  -- Sent to the server through workspace/configuration, section "nnterm".
  settings = {
    nnterm = {
      -- rules = { ['non-preferred'] = 'hint', ['missing-gloss'] = 'off' },
      completion = { style = 'zh' }, -- zh | en | zh-gloss | en-gloss
      inlayHints = { enabled = false }, -- true: the other language's term at each concept's first unglossed mention
      -- locale = 'auto', -- auto | zh | en: the language of messages, action titles and hovers
      -- terms = { 'terms/lab-terms.yaml' },
    },
  },
}

if vim.lsp.config then
  vim.lsp.config('nnterm', config)
  vim.lsp.enable('nnterm')
else
  -- Neovim 0.10: start the client per buffer.
  vim.api.nvim_create_autocmd('FileType', {
    pattern = config.filetypes,
    callback = function(args)
      local root = vim.fs.root(args.buf, config.root_markers)
      vim.lsp.start(vim.tbl_extend('force', config, { name = 'nnterm', root_dir = root }))
    end,
  })
end

-- Optional: inlay hints (English after a Chinese term's first unglossed mention) when inlayHints.enabled is true.
-- vim.lsp.inlay_hint.enable(true)

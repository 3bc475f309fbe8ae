" nnterm-ls (neural-network terminology) for Vim 8.2+/9 with ALE (https://github.com/dense-analysis/ale).
" Source from your vimrc *after* ALE is on the runtimepath:  source /path/to/nnterm.vim
" Needs `nnterm-ls` on PATH (pipx install . from a clone, or pipx install dist/nnterm_ls-*.whl after scripts/dist), or set g:nnterm_ls_command to
" e.g. '/path/to/python -m nnterm_ls'.
" Settings for the server (workspace section "nnterm"), e.g.
"   let g:nnterm_settings = {'completion': {'style': 'zh-gloss'}, 'rules': {'missing-gloss': 'off'}}
" Completion: let g:ale_completion_enabled = 1 before ALE loads. Hover: :ALEHover. Fixes: :ALECodeAction.
" Note: ALE before 4.0 treats LSP columns as byte columns, so on lines with Chinese text the
" highlighted columns are shifted (the line and message are right).

function! s:NntermRoot(buffer) abort
  let l:config = ale#path#FindNearestFile(a:buffer, '.nnterm.yaml')
  if !empty(l:config)
    return fnamemodify(l:config, ':h')
  endif
  let l:git = ale#path#FindNearestDirectory(a:buffer, '.git')
  return !empty(l:git) ? fnamemodify(l:git, ':h:h') : fnamemodify(bufname(a:buffer), ':p:h')
endfunction

function! s:NntermExecutable(buffer) abort
  return split(get(g:, 'nnterm_ls_command', 'nnterm-ls'))[0]
endfunction

function! s:NntermCommand(buffer) abort
  return ale#Escape(s:NntermExecutable(a:buffer))
  \ . ' ' . join(split(get(g:, 'nnterm_ls_command', 'nnterm-ls'))[1:], ' ')
endfunction

for [s:ft, s:lang] in [['markdown', 'markdown'], ['tex', 'latex'], ['plaintex', 'latex']]
  call ale#linter#Define(s:ft, {
  \   'name': 'nnterm',
  \   'lsp': 'stdio',
  \   'language': s:lang,
  \   'executable': function('s:NntermExecutable'),
  \   'command': function('s:NntermCommand'),
  \   'project_root': function('s:NntermRoot'),
  \   'lsp_config': {b -> {'nnterm': get(g:, 'nnterm_settings', {})}},
  \})
endfor

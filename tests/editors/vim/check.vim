" Headless Vim + ALE end-to-end check of nnterm-ls, using the user snippet editor/vim/nnterm.vim as is.
" vim -N -es -i NONE -n -u check.vim   (env NNTERM_REPO, NNTERM_WS, NNTERM_OUT; nnterm-ls on PATH)
set nocompatible encoding=utf-8
let g:ale_completion_enabled = 0
let g:ale_lint_on_text_changed = 'never'
let g:ale_set_signs = 0
let g:ale_echo_cursor = 0
let g:ale_linters = {'markdown': ['nnterm'], 'tex': ['nnterm'], 'plaintex': ['nnterm']}
let g:tex_flavor = 'latex'
let g:nnterm_settings = {'completion': {'style': 'zh'}}
set runtimepath^=/usr/share/vim-ale
filetype on
runtime plugin/ale.vim
execute 'source ' . fnameescape($NNTERM_REPO . '/editor/vim/nnterm.vim')

let s:out = []
let s:failures = 0
function! s:Ok(cond, what, ...) abort
  if a:cond
    call add(s:out, 'ok    ' . a:what)
  else
    let s:failures += 1
    call add(s:out, 'FAIL  ' . a:what . (a:0 ? "\n      got: " . string(a:1) : ''))
  endif
  return a:cond
endfunction

function! s:Wait(expr, ms) abort
  let l:waited = 0
  while !eval(a:expr) && l:waited < a:ms
    sleep 50m
    let l:waited += 50
  endwhile
  return eval(a:expr)
endfunction

" the text a diagnostic covers, reading ALE's columns as the LSP's UTF-16 characters
" (ALE 3.x does not convert them to bytes; every character here is in the BMP)
function! s:DiagText(item) abort
  let l:line = getline(a:item.lnum)
  return strcharpart(l:line, a:item.col - 1, a:item.end_col - a:item.col + 1)
endfunction

function! s:DiagTexts() abort
  return map(copy(ale#engine#GetLoclist(bufnr(''))), {_, v -> [s:DiagText(v), get(v, 'code', ''), v.text]})
endfunction

" 1-based line, and the UTF-16 column + 1 of text (or of its end) — what ALE's message builders expect
function! s:Find(text, at_end) abort
  call cursor(1, 1)
  let l:lnum = search('\V' . escape(a:text, '\'), 'cW')
  let l:before = strpart(getline(l:lnum), 0, col('.') - 1)
  let l:chars = strchars(l:before) + (a:at_end ? strchars(a:text) : 0)
  return [l:lnum, l:chars + 1]
endfunction

let s:response = v:null
function! s:OnResponse(response) abort
  let s:response = a:response
endfunction

function! s:Request(message) abort
  let s:response = v:null
  call ale#lsp_linter#SendRequest(bufnr(''), 'nnterm', a:message, function('s:OnResponse'))
  call s:Wait('s:response isnot v:null', 10000)
  return s:response is v:null ? {} : get(s:response, 'result', {})
endfunction

function! s:Check(file, ft, hover_term, hover_expect, prefix, completion_expect) abort
  call add(s:out, '== ' . a:file)
  execute 'edit ' . fnameescape($NNTERM_WS . '/' . a:file)
  call s:Ok(&filetype is# a:ft, 'filetype is ' . a:ft, &filetype)
  ALELint
  call s:Wait('len(filter(s:DiagTexts(), {_, v -> v[0] is# "批归一化" || v[0] is# "relu"})) >= 2', 1000 * str2nr(empty($NNTERM_E2E_TIMEOUT) ? '20' : $NNTERM_E2E_TIMEOUT))
  let l:diags = s:DiagTexts()
  let l:texts = map(copy(l:diags), 'v:val[0]')
  call s:Ok(index(l:texts, '批归一化') >= 0, 'ALE loclist has 批归一化 (inconsistent), range exact', l:diags)
  call s:Ok(index(l:texts, 'relu') >= 0, 'ALE loclist has relu (casing), range exact', l:diags)
  call s:Ok(len(filter(copy(l:diags), {_, v -> v[1] is# 'inconsistent' && v[2] =~# '批量归一化'})) > 0,
  \ 'inconsistent diagnostic names the kept form 批量归一化', l:diags)

  let [l:lnum, l:col] = s:Find(a:hover_term, 0)
  let l:result = s:Request(ale#lsp#message#Hover(bufnr(''), l:lnum, l:col))
  let l:contents = type(l:result) is v:t_dict ? get(l:result, 'contents', '') : ''
  let l:text = type(l:contents) is v:t_string ? l:contents
  \ : type(l:contents) is v:t_dict ? get(l:contents, 'value', '') : string(l:contents)
  call s:Ok(len(filter(copy(a:hover_expect), {_, e -> stridx(l:text, e) < 0})) == 0,
  \ 'hover on ' . a:hover_term . ' shows ' . join(a:hover_expect, ', '), l:text)

  let [l:lnum, l:col] = s:Find(a:prefix, 1)
  let l:result = s:Request(ale#lsp#message#Completion(bufnr(''), l:lnum, l:col, ''))
  let l:items = type(l:result) is v:t_list ? l:result : type(l:result) is v:t_dict ? get(l:result, 'items', []) : []
  let l:hits = filter(copy(l:items), {_, it -> stridx(get(get(it, 'textEdit', {}), 'newText', get(it, 'insertText', it.label)), a:completion_expect) >= 0 || stridx(it.label, a:completion_expect) >= 0})
  call s:Ok(!empty(l:hits), 'completion after "' . a:prefix . '" offers ' . a:completion_expect, map(copy(l:items), 'v:val.label'))
endfunction

" a settings change reaches the server: g:nnterm_settings, sent by ALE as didChangeConfiguration on the next lint
function! s:CheckSettings() abort
  call add(s:out, '== settings')
  execute 'edit ' . fnameescape($NNTERM_WS . '/chapter.md')
  let g:nnterm_settings = {'completion': {'style': 'en'}}
  ALELint
  let l:labels = []
  for l:i in range(50)
    let [l:lnum, l:col] = s:Find('使用激活', 1)
    let l:result = s:Request(ale#lsp#message#Completion(bufnr(''), l:lnum, l:col, ''))
    let l:items = type(l:result) is v:t_list ? l:result : type(l:result) is v:t_dict ? get(l:result, 'items', []) : []
    let l:labels = map(copy(l:items), 'v:val.label')
    if index(l:labels, 'activation function') >= 0 && index(l:labels, '激活函数') < 0
      break
    endif
    sleep 200m
  endfor
  call s:Ok(index(l:labels, 'activation function') >= 0 && index(l:labels, '激活函数') < 0,
  \ 'completion style en (g:nnterm_settings) takes effect: activation function', l:labels)
endfunction

try
  call s:Check('chapter.md', 'markdown', '批归一化', ['批量归一化', 'batch normalization'], '使用激活', '激活函数')
  call s:Check('thesis.tex', 'tex', '批归一化', ['批量归一化', 'batch normalization'], 'jhhs', '激活函数')
  call s:CheckSettings()
catch
  let s:failures += 1
  call add(s:out, 'FAIL  error: ' . v:exception . ' at ' . v:throwpoint)
endtry
call add(s:out, s:failures == 0 ? 'vim: all checks passed' : 'vim: ' . s:failures . ' check(s) failed')
call writefile(split(join(s:out, "\n"), "\n"), $NNTERM_OUT)
execute s:failures == 0 ? 'qall!' : 'cquit!'

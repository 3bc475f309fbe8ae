;;; nnterm.el --- nnterm-ls (neural-network terminology) with eglot  -*- lexical-binding: t; -*-
;; Emacs 28+ with eglot (built in since Emacs 29; `apt install elpa-eglot' or M-x package-install eglot on 28).
;; Load from your init file: (load "/path/to/nnterm.el")
;; Needs `nnterm-ls' on PATH (pipx install . from a clone, or pipx install dist/nnterm_ls-*.whl after scripts/dist); or replace ("nnterm-ls") by
;; ("/path/to/python" "-m" "nnterm_ls").

(require 'eglot)

(add-to-list 'eglot-server-programs
             '((markdown-mode gfm-mode latex-mode LaTeX-mode tex-mode plain-tex-mode)
               . ("nnterm-ls")))

;; Settings sent through workspace/configuration, section "nnterm".  Per project, put the same
;; plist in .dir-locals.el: ((nil . ((eglot-workspace-configuration . (:nnterm (...)))))).
(setq-default eglot-workspace-configuration
              '(:nnterm (:completion (:style "zh")          ; zh | en | zh-gloss | en-gloss
                         :inlayHints (:enabled :json-false)
                         ;; :rules (:missing-gloss "off" :non-preferred "hint")
                         )))

;; Start automatically in Markdown and LaTeX buffers.
(dolist (hook '(markdown-mode-hook gfm-mode-hook latex-mode-hook LaTeX-mode-hook))
  (add-hook hook #'eglot-ensure))

(provide 'nnterm)
;;; nnterm.el ends here

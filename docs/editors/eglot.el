;;; jenkins-oidc-lint's language server with eglot (Emacs 29 or later, or
;;; eglot from GNU ELPA). Put this in your init file.
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '((yaml-mode yaml-ts-mode json-mode json-ts-mode js-json-mode
                  groovy-mode jenkinsfile-mode dockerfile-mode dockerfile-ts-mode)
                 . ("jenkins-oidc-lint" "lsp"))))
(dolist (hook '(yaml-mode-hook yaml-ts-mode-hook json-ts-mode-hook js-json-mode-hook
                groovy-mode-hook jenkinsfile-mode-hook dockerfile-mode-hook dockerfile-ts-mode-hook))
  (add-hook hook #'eglot-ensure))

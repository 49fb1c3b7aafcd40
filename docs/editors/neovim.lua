-- jenkins-oidc-lint's language server in Neovim (0.10 or later for
-- vim.fs.root; see README.md for 0.8 and 0.9). Put this in init.lua, or in
-- a file under ~/.config/nvim/plugin/.
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'yaml', 'json', 'groovy', 'dockerfile', 'terraform', 'text' },
  callback = function(args)
    local root = vim.fs.root(args.buf, { '.jenkins-oidc-lint.yaml', '.git' })
    if not root then
      return -- not in a project: nothing to lint across files
    end
    vim.lsp.start({
      name = 'jenkins-oidc-lint',
      cmd = { 'jenkins-oidc-lint', 'lsp' }, -- add flags here: '--baseline', 'baseline.json'
      root_dir = root,
    })
  end,
})

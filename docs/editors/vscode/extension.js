// A minimal VS Code client for `jenkins-oidc-lint lsp`: it starts the
// server on standard input and output and hands it the files it reads.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

exports.activate = function activate() {
  const cfg = vscode.workspace.getConfiguration('jenkinsOidcLint');
  const server = { command: cfg.get('path', 'jenkins-oidc-lint'), args: ['lsp', ...cfg.get('args', [])] };
  client = new LanguageClient('jenkins-oidc-lint', 'jenkins-oidc-lint', server, {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'json' },
      { scheme: 'file', language: 'groovy' },
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'file', pattern: '**/{Jenkinsfile*,*.jenkinsfile,*openid-configuration*,plugins*.txt,*.tf}' },
    ],
  });
  return client.start();
};

exports.deactivate = function deactivate() {
  return client ? client.stop() : undefined;
};

// Package shell models the scripts of Jenkins shell steps (sh, bat,
// powershell, pwsh) for the rules: commands with their leading assignments,
// words with quotes and escapes removed and every byte mapped back to the
// script text, redirections, pipes, variable references ($X, ${X}, %X%,
// $env:X, and Groovy interpolations of GString scripts), comments, and the
// commands of $(…), `…`, here-documents and sh -c '…' lexed as commands of
// their own.
//
// It is a tolerant lexer, not a shell parser: it never fails, and what it
// does not understand becomes words of some command, which the rules then
// do not recognise. That is deliberate. A step's script is Groovy text
// first: it carries Groovy interpolations (${env.BUILD_ID}) that no shell
// grammar accepts, here-document delimiters indented with the Jenkinsfile,
// and here-documents that feed other languages (Python, SQL) whose text the
// rules still read. See the README's Design section for the measurements
// against mvdan.cc/sh/v3/syntax.
//
// Parse lexes a text; Cache lexes the script of each step of a pipeline at
// most once and maps script indexes to file offsets and positions.
package shell

// Package jenkinsfile reads Jenkinsfiles (declarative and scripted) and
// shared-library vars/*.groovy scripts with a hand-written Groovy lexer and
// a light structural parser, precise enough that a rule can point at the
// line and column of a word inside a multi-line shell script, and never
// mistakes words in comments or unrelated strings for code.
//
// # Lexer
//
// Lex splits source into Tokens (identifiers and keywords, numbers,
// operators, newlines, comments, strings), each with its byte span. It
// runs in linear time, never panics, and reports an unterminated string or
// comment as a LexError at the offset where it started. Every Groovy
// string form is read: single- and double-quoted, triple-single- and
// triple-double-quoted, /…/ slashy (only where a regex may start: after an
// operator, an opening bracket, a comma, a newline or a keyword, not after
// a name, a value or a closing bracket) and $/…/$ dollar-slashy. A string token
// carries Parts: literal pieces with escapes decoded (\n \t \uXXXX octal
// \$ and backslash-newline continuation…) and interpolations — ${expr}
// with the expression's own tokens, and $name.path. StringPart.SourceOffset
// maps an index into the decoded text back to the file offset, exactly
// also after escapes and multi-byte characters; Token.Decoded and
// Step.Text give the same map over a whole string or a concatenated
// script.
//
// # Tree
//
// Parse builds a light tree: calls with positional and named arguments
// (sh 'x' without parentheses, sh(script: …), name { closure },
// recv.name(…) { … }), closures and blocks, lists and maps, strings,
// names, property access, assignments and declarations, control
// statements whose heads and bodies are parsed, method definitions, and
// Opaque nodes for the rest (ternaries, casts, unary operators, stray
// tokens): the parser never stops on Groovy it does not model, and the
// walk goes on inside every node. Nesting is bounded (500 levels); deeper
// input is skipped without recursion and reported.
//
// # Views
//
// File holds what rules read, in source order, each with exact positions:
//
//   - Steps: every sh, bat, powershell and pwsh call with its script
//     (positional or script:, concatenations, .stripIndent(), or a
//     variable assigned a string earlier), the string tokens, and, through
//     InScope, Bindings and Env, the credential variables and environment
//     around it: enclosing withCredentials, environment { X =
//     credentials('id') } at pipeline and stage level (X, X_USR, X_PSW),
//     withEnv and earlier env.X assignments. Echoes does the same for echo,
//     print and println.
//   - Bindings: each withCredentials entry (string, usernamePassword,
//     usernameColonPassword, file, zip, sshUserPrivateKey, certificate,
//     aws, dockerCert, or a [$class: …] map) and each environment
//     credentials(), with its credentialsId (not Literal when it is a
//     GString or a variable), the variables it binds and the block it
//     scopes.
//   - Uses: every credential ID a pipeline uses: the bindings, git,
//     checkout (GitSCM maps, scmGit), sshagent, docker.withRegistry,
//     withDockerRegistry, registryCredentialsId, withAWS (credentials: or
//     role: with its options), credentials parameters, and any other call
//     or map with a credentialsId.
//   - Env, Params, Assignments, Funcs; Declarative and Scripted, the
//     pipeline's Sections and every Stage (nested and parallel ones with
//     their parent).
//
// InComment and TokenAt tell whether an offset is in a comment or a
// string. PosAt converts offsets to positions in logarithmic time, even on
// one very long line.
//
// # Not modelled
//
// Types and semantics: no resolution of variables beyond "sh cmd" after
// "def cmd = '…'" in the same file, no evaluation of GStrings, no
// knowledge of which shared-library step wraps a shell step. Method
// chains of command expressions (a b c d) keep only their first call.
// Closures passed as variables (parallel branches) are walked where they
// are written, so their stage is the one around the definition. See
// DESIGN.md for why the lexer is hand-written rather than taken from
// groovy-parser-go.
package jenkinsfile

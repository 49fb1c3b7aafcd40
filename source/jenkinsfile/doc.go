// Package jenkinsfile reads Jenkinsfiles (declarative and scripted) and
// shared-library vars/*.groovy scripts with a hand-written Groovy lexer and
// a light structural parser.
package jenkinsfile

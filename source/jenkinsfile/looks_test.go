package jenkinsfile

import (
	"os"
	"testing"
)

func TestLooks(t *testing.T) {
	for _, tt := range []struct {
		name string
		src  string
		want bool
	}{
		{"declarative", "pipeline {\n  agent any\n}\n", true},
		{"declarative after imports", "@Library('lib') _\nimport foo.Bar\n\npipeline {\n}\n", true},
		{"scripted node", "node('linux') {\n  sh 'make'\n}\n", true},
		{"scripted node no label", "node {\n}\n", true},
		{"Allman node", "node\n{\n  stage('x')\n  {\n  }\n}\n", true},
		{"stage at top", "stage('Build') {\n  echo 'x'\n}\n", true},
		{"wrapped in closures", "timestamps {\n  timeout(time: 1) {\n    node { sh 'x' }\n  }\n}\n", true},
		{"inside if", "if (env.BRANCH_NAME == 'main') {\n  node { }\n}\n", true},
		{"after properties", "properties([parameters([string(name: 'X')])])\nnode {\n}\n", true},
		{"after a helper function", "def build() {\n  sh 'make'\n}\nnode {\n  build()\n}\n", true},
		{"after a semicolon", "def x = 1; node { }", true},
		{"closure parameter", "[1, 2].each { n -> node { } }", true},
		{"class", "package org.acme\n\nclass Deploy implements Serializable {\n  def run() {\n    node { }\n  }\n}\n", false},
		{"method only", "def call(Map cfg) {\n  node {\n    stage('x') { }\n  }\n}\n", false},
		{"Allman method", "def call()\n{\n  node { }\n}\n", false},
		{"typed method", "Map<String, List> collect(String s) {\n  stage('x') { }\n}\n", false},
		{"Spock", "class DeploySpec extends Specification {\n  def \"runs a node\"() {\n    node { }\n  }\n}\n", false},
		{"annotated method", "@NonCPS\ndef parse(String s) {\n  node { }\n}\n", false},
		{"comment", "// pipeline {\n/* node { } */\nprintln 'x'\n", false},
		{"string", "def s = '''\npipeline {\n'''\nprintln \"node { }\"\n", false},
		{"Job DSL", "pipelineJob('build') {\n  definition {\n    cps { script('pipeline { }') }\n  }\n}\n", false},
		{"init script", "import jenkins.model.*\nJenkins.instance.setNumExecutors(0)\n", false},
		{"node as a value", "def node = 'x'\nnode = 'y'\nnode.trim()\n", false},
		{"property chain", "x.\nnode { }\n", false},
		{"pipeline call", "pipeline('x')\n", false},
		{"cut inside a string", "node {\n  sh '''\nmake", true},
		{"cut before", "def s = '''\nnode {", false},
		{"empty", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Looks([]byte(tt.src)); got != tt.want {
				t.Errorf("Looks(%q) = %v, want %v", tt.src, got, tt.want)
			}
		})
	}
}

// Looks accepts every file of the corpus that is a pipeline and the
// shared-library step (a method only) as not one.
func TestLooksCorpus(t *testing.T) {
	for name, want := range map[string]bool{
		"testdata/corpus/declarative.Jenkinsfile": true,
		"testdata/corpus/scripted.Jenkinsfile":    true,
		"testdata/corpus/vault.Jenkinsfile":       true,
		"testdata/corpus/edge.groovy":             true,
		"testdata/corpus/vars/deployApp.groovy":   false,
	} {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := Looks(data); got != want {
			t.Errorf("Looks(%s) = %v, want %v", name, got, want)
		}
	}
}

func FuzzLooks(f *testing.F) {
	f.Add([]byte("node {\n}\n"))
	f.Add([]byte("class X { def y() { node { } } }"))
	f.Fuzz(func(t *testing.T, src []byte) {
		Looks(src) // no panic, linear time
	})
}

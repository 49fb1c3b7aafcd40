package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// actionStep is one step of the composite GitHub Action (action.yml).
type actionStep struct {
	Name string            `yaml:"name"`
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	Env  map[string]string `yaml:"env"`
	If   string            `yaml:"if"`
}

// inputRE matches the expressions action.yml may use in a step's env.
var inputRE = regexp.MustCompile(`^\$\{\{ (inputs\.[a-z-]+|steps\.lint\.outputs\.exit-code) \}\}$`)

// TestActionSteps runs the shell steps of the GitHub Action as a runner
// does: bash, each step's env with the inputs filled in, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files. The install step builds this checkout
// (version: source) into a temporary GOPATH; the lint step finds it there,
// writes SARIF and annotations, and reports the exit code as an output that
// the gate step turns into the step's status.
func TestActionSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the CLI with go install")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var action struct {
		Inputs map[string]struct {
			Default string `yaml:"default"`
		} `yaml:"inputs"`
		Runs struct {
			Using string       `yaml:"using"`
			Steps []actionStep `yaml:"steps"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &action); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if action.Runs.Using != "composite" {
		t.Fatalf("action.yml: runs.using is %q", action.Runs.Using)
	}
	inputs := map[string]string{}
	for name, in := range action.Inputs {
		inputs[name] = in.Default
	}
	dir := t.TempDir()
	sarif := filepath.Join(dir, "out.sarif")
	inputs["version"] = "source"
	inputs["path"] = "testdata/examples"
	inputs["fail-on"] = "error"
	inputs["sarif-file"] = sarif
	inputs["args"] = "--no-config"

	modCache, err := exec.Command(goBin, "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	gopath := filepath.Join(dir, "gopath")
	output := filepath.Join(dir, "github_output")
	summary := filepath.Join(dir, "step_summary")
	outputs := map[string]string{}
	var annotations string
	for _, st := range action.Runs.Steps {
		if st.Uses != "" {
			continue // actions/setup-go and the SARIF upload run only on GitHub
		}
		env := append(os.Environ(),
			"GOPATH="+gopath, "GOMODCACHE="+strings.TrimSpace(string(modCache)), "GOWORK=off",
			"GITHUB_ACTION_PATH="+root, "GITHUB_OUTPUT="+output, "GITHUB_STEP_SUMMARY="+summary)
		for k, v := range st.Env {
			m := inputRE.FindStringSubmatch(v)
			if m == nil {
				t.Fatalf("step %q: env %s = %q is not a plain input or output expression", st.Name, k, v)
			}
			if name, ok := strings.CutPrefix(m[1], "inputs."); ok {
				v = inputs[name]
			} else {
				v = outputs["exit-code"]
			}
			env = append(env, k+"="+v)
		}
		if strings.Contains(st.Run, "${{") {
			t.Fatalf("step %q: expressions in the script itself (pass them through env): %s", st.Name, st.Run)
		}
		cmd := exec.Command("bash", "-e", "-c", st.Run)
		cmd.Dir = root
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatalf("step %q: %v", st.Name, err)
		}
		switch st.ID {
		case "lint":
			annotations = string(out)
			if code != 0 {
				t.Fatalf("lint step exited %d (it must record the code, not fail):\n%s", code, out)
			}
			raw, _ := os.ReadFile(output)
			for _, line := range strings.Split(string(raw), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					outputs[k] = v
				}
			}
		case "":
			if st.Name == "Gate" && code != 1 {
				t.Errorf("gate step exited %d, want 1 (the examples have errors)", code)
			} else if st.Name != "Gate" && code != 0 {
				t.Fatalf("step %q exited %d:\n%s", st.Name, code, out)
			}
		}
	}
	// the install step installs the policy worker next to the CLI, where
	// a run with policies finds it
	for _, name := range []string{"jenkins-oidc-lint", "jenkins-oidc-lint-policy"} {
		if _, err := os.Stat(filepath.Join(gopath, "bin", name)); err != nil {
			t.Errorf("the install step did not install %s: %v", name, err)
		}
	}
	if outputs["exit-code"] != "1" {
		t.Errorf("exit-code output %q, want 1", outputs["exit-code"])
	}
	if !strings.Contains(annotations, "::error file=testdata/examples/") {
		t.Errorf("no error annotations in the lint step's output:\n%s", annotations)
	}
	var doc struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	raw, err := os.ReadFile(sarif)
	if err != nil {
		t.Fatalf("no SARIF file: %v", err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 || len(doc.Runs[0].Results) == 0 {
		t.Errorf("SARIF file: version %q, %d runs, err %v", doc.Version, len(doc.Runs), err)
	}
	if s, _ := os.ReadFile(summary); !strings.Contains(string(s), "| ") {
		t.Errorf("no findings table in the step summary:\n%s", s)
	}
}

package schema

import (
	"bytes"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/cuecompile"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shapegen"
)

var (
	cueRootOnce sync.Once
	cueRootV    cue.Value
	cueRootErr  error
)

// cueRoot builds the schema directory's *.cue files with CUE, once: the
// reference the tests compare the compiled shapes with.
func cueRoot(t testing.TB) cue.Value {
	t.Helper()
	cueRootOnce.Do(func() { cueRootV, cueRootErr = cuecompile.Build(os.DirFS(".")) })
	if cueRootErr != nil {
		t.Fatal(cueRootErr)
	}
	return cueRootV
}

// cueDef is the CUE definition name of the schemas.
func cueDef(t testing.TB, name string) cue.Value {
	t.Helper()
	return cueRoot(t).LookupPath(cue.ParsePath(name))
}

// TestGeneratedShapes: shapes_gen.go is what compiling the CUE files gives
// today, and the shapes it builds are the ones it was written from.
func TestGeneratedShapes(t *testing.T) {
	set, err := cuecompile.Compile(cueRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	want, err := shapegen.Source(set)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(shapegen.File)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from what compiling schema/*.cue gives: run go generate ./schema", shapegen.File)
	}
	again, err := shapegen.Source(builtinShapes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, want) {
		t.Fatalf("the shapes %s builds differ from the ones it was written from (shapegen does not round-trip)", shapegen.File)
	}
}

// TestGoChecksNamed: the names the compiler accepts for @check and
// @requiredUnless are the Go functions of this package.
func TestGoChecksNamed(t *testing.T) {
	keys := func(m map[string]bool) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return out
	}
	checks, conds := map[string]bool{}, map[string]bool{}
	for k := range namedChecks {
		checks[k] = true
	}
	for k := range conditions {
		conds[k] = true
	}
	if got, want := keys(checks), slices.Sorted(slices.Values(shape.Checks)); !slices.Equal(got, want) {
		t.Errorf("namedChecks %v, shape.Checks %v", got, want)
	}
	if got, want := keys(conds), slices.Sorted(slices.Values(shape.Conditions)); !slices.Equal(got, want) {
		t.Errorf("conditions %v, shape.Conditions %v", got, want)
	}
}

// TestCompileRejects: the compiler refuses what it cannot check, so a schema
// edit cannot silently weaken the checker.
func TestCompileRejects(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{`#D: {a: string}`, "must be optional (?) or required (!)"},
		{`#D: {a?: {x!: int, y!: int} | {z!: int}}`, "exactly one required field"},
		{`#D: {a?: string @check(nope)}`, "no such Go check"},
		{`#D: {a?: string @requiredUnless(nope)}`, "no such Go condition"},
		{`#D: {a?: string @era(until="4.x") @hint("h")}`, "bad version"},
		{`#D: {a?: string @era(until="4.350")}`, "needs a @hint"},
		{`#D: {a?: [...int] | [...string]}`, "two list alternatives"},
		{`#D: {a?: {[string]: int & <x}, x: 3}`, "must be optional"},
	} {
		v := cuecontext.New().CompileString(tc.src)
		if v.Err() != nil {
			t.Fatalf("%s: %v", tc.src, v.Err())
		}
		_, err := cuecompile.CompileDef(v, "#D")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.src, err, tc.want)
		}
	}
}

// TestCompilePatterns: [string]: T is what any key gets, ... opens a
// struct.
func TestCompilePatterns(t *testing.T) {
	v := cuecontext.New().CompileString(`
#D: close({r?: [string]: "a" | close({b?: int}), o?: {x?: int, ...}, c?: {x?: int}})`)
	s, err := cuecompile.CompileDef(v, "#D")
	if err != nil {
		t.Fatal(err)
	}
	r := s.Obj.Field("r").Shape.Obj
	if r.Open || r.Elem == nil || len(r.Elem.Literals()) != 1 || r.Elem.Obj == nil {
		t.Errorf("r: %+v", r)
	}
	if o := s.Obj.Field("o").Shape.Obj; !o.Open || o.Elem != nil {
		t.Errorf("o: %+v", o)
	}
	if c := s.Obj.Field("c").Shape.Obj; c.Open || c.Elem != nil {
		t.Errorf("c: %+v", c)
	}
}

// TestCompiledScalars checks the compiled arms against values CUE accepts
// and rejects.
func TestCompiledScalars(t *testing.T) {
	c := Default()
	o := c.s.realm.Obj
	for _, tc := range []struct {
		field string
		d     scalar
		ok    bool
	}{
		{"pkceEnabled", scalar{Kind: shape.BoolKind, B: true}, true},
		{"pkceEnabled", scalar{Kind: shape.StringKind, S: "Yes"}, true},
		{"pkceEnabled", scalar{Kind: shape.StringKind, S: "${PKCE}"}, true},
		{"pkceEnabled", scalar{Kind: shape.IntKind, Num: 1}, true},
		{"pkceEnabled", scalar{Kind: shape.IntKind, Num: 2}, false},
		{"pkceEnabled", scalar{Kind: shape.StringKind, S: "maybe"}, false},
		{"allowedTokenExpirationClockSkewSeconds", scalar{Kind: shape.IntKind, Num: 2147483647}, true},
		{"allowedTokenExpirationClockSkewSeconds", scalar{Kind: shape.IntKind, Num: 2147483648}, false},
		{"allowedTokenExpirationClockSkewSeconds", scalar{Kind: shape.StringKind, S: "+30"}, true},
		{"allowedTokenExpirationClockSkewSeconds", scalar{Kind: shape.StringKind, S: "-30"}, false},
		{"allowedTokenExpirationClockSkewSeconds", scalar{Kind: shape.FloatKind, Num: 3}, false},
		{"tokenAuthMethod", scalar{Kind: shape.StringKind, S: "client_secret_post"}, true},
		{"tokenAuthMethod", scalar{Kind: shape.StringKind, S: "private_key_jwt"}, false},
		{"clientSecret", scalar{Kind: shape.NullKind}, true},
	} {
		f := o.Field(tc.field)
		if got := f.Shape.Scalar.Accepts(tc.d); got != tc.ok {
			t.Errorf("%s accepts %+v = %v, want %v", tc.field, tc.d, got, tc.ok)
		}
	}
}

package schema

import (
	"strings"
	"testing"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"
)

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
	} {
		v := cuecontext.New().CompileString(tc.src)
		if v.Err() != nil {
			t.Fatalf("%s: %v", tc.src, v.Err())
		}
		_, err := (&compiler{descs: map[string]string{}}).shape(v.LookupPath(cue.ParsePath("#D")))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.src, err, tc.want)
		}
	}
}

// TestCompiledScalars checks the compiled arms against values CUE accepts
// and rejects.
func TestCompiledScalars(t *testing.T) {
	c := Default()
	o := c.s.realm.obj
	for _, tc := range []struct {
		field string
		d     scalar
		ok    bool
	}{
		{"pkceEnabled", scalar{kind: cue.BoolKind, b: true}, true},
		{"pkceEnabled", scalar{kind: cue.StringKind, s: "Yes"}, true},
		{"pkceEnabled", scalar{kind: cue.StringKind, s: "${PKCE}"}, true},
		{"pkceEnabled", scalar{kind: cue.IntKind, num: 1}, true},
		{"pkceEnabled", scalar{kind: cue.IntKind, num: 2}, false},
		{"pkceEnabled", scalar{kind: cue.StringKind, s: "maybe"}, false},
		{"allowedTokenExpirationClockSkewSeconds", scalar{kind: cue.IntKind, num: 2147483647}, true},
		{"allowedTokenExpirationClockSkewSeconds", scalar{kind: cue.IntKind, num: 2147483648}, false},
		{"allowedTokenExpirationClockSkewSeconds", scalar{kind: cue.StringKind, s: "+30"}, true},
		{"allowedTokenExpirationClockSkewSeconds", scalar{kind: cue.StringKind, s: "-30"}, false},
		{"allowedTokenExpirationClockSkewSeconds", scalar{kind: cue.FloatKind, num: 3}, false},
		{"tokenAuthMethod", scalar{kind: cue.StringKind, s: "client_secret_post"}, true},
		{"tokenAuthMethod", scalar{kind: cue.StringKind, s: "private_key_jwt"}, false},
		{"clientSecret", scalar{kind: cue.NullKind}, true},
	} {
		f := o.fields[tc.field]
		if got := f.shape.scalar.accepts(tc.d); got != tc.ok {
			t.Errorf("%s accepts %+v = %v, want %v", tc.field, tc.d, got, tc.ok)
		}
	}
}

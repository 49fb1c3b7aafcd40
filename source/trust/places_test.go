package trust

import (
	"testing"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// checkPlaces checks every value's place: inside the file, its line and
// column those of its byte offsets, and a verbatim value's text found at
// its TextAt.
func checkPlaces(t testing.TB, f *source.File, d *Doc) {
	t.Helper()
	d.eachValue(func(v Value) {
		if !v.Pos.IsValid() {
			return
		}
		if v.Pos.Path != f.Path {
			t.Errorf("%s: value %q placed in %q", f.Path, v.Text, v.Pos.Path)
			return
		}
		if v.Off < 0 || v.EndOff < v.Off || v.EndOff > len(f.Data) {
			t.Errorf("%s: value %q spans bytes %d-%d of %d", f.Path, v.Text, v.Off, v.EndOff, len(f.Data))
			return
		}
		if p := f.PosAt(v.Off); p != v.Pos {
			t.Errorf("%s: value %q at %v, its offset %d is %v", f.Path, v.Text, v.Pos, v.Off, p)
		}
		if p := f.PosAt(v.EndOff); p != v.End {
			t.Errorf("%s: value %q ends at %v, its offset %d is %v", f.Path, v.Text, v.End, v.EndOff, p)
		}
		if v.Verbatim {
			at := f.Offset(v.TextAt.Line, v.TextAt.Col)
			if at+len(v.Text) > len(f.Data) || string(f.Data[at:at+len(v.Text)]) != v.Text {
				t.Errorf("%s: verbatim value %q is not written at %v", f.Path, v.Text, v.TextAt)
			}
			if at < v.Off || at+len(v.Text) > v.EndOff {
				t.Errorf("%s: verbatim value %q at %v is outside its span %d-%d", f.Path, v.Text, v.TextAt, v.Off, v.EndOff)
			}
		}
	})
}

package trust

import (
	"flag"
	"testing"
)

var show = flag.Bool("show", false, "print what each testdata directory reads")

func TestShow(t *testing.T) {
	if !*show {
		t.Skip("-show")
	}
	for _, dir := range []string{"testdata/policy", "testdata/cfn", "testdata/tf/aws", "testdata/tf/gcp", "testdata/tf/vault", "testdata/tf/azure", "testdata/tf/helm"} {
		t.Log("\n" + dump(readDir(t, dir)))
	}
}

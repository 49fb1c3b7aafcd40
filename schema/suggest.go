package schema

import (
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/internal/suggest"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
)

// suggestion returns the known key of o that name most likely means: the
// key that declares name as an @alias, a key equal but for case, or the
// closest key within a small edit distance. It returns "" when none is close.
func suggestion(name string, o *shape.Obj) string {
	for _, k := range o.Names {
		for _, a := range o.Field(k).Aliases {
			if a == name {
				return k
			}
		}
	}
	return closest(name, o.Names)
}

// closest returns the candidate nearest to s, or "" (see suggest.Closest).
func closest(s string, candidates []string) string { return suggest.Closest(s, candidates) }

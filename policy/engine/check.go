package engine

import (
	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/cuecheck"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// violations unifies the given rules with a document in this process (a
// worker), calling start before each rule and result after it.
func (c *compiled) violations(root *yaml.Node, rules []int, start func(i int), result func(i int, vs []schema.Violation)) {
	val, err := tree.ToValue(root)
	if err != nil {
		return // too large after alias expansion: the schema check says so
	}
	val = dropNulls(val, 0)
	data := c.ctx.Encode(val)
	if data.Err() != nil {
		return
	}
	for _, i := range rules {
		if i < 0 || i >= len(c.rules) {
			continue
		}
		start(i)
		result(i, cuecheck.Violations(c.rules[i].value, data, root))
	}
}

// dropNulls removes the keys whose value is null (`key:` with nothing
// after it), in place: a policy sees an empty key as absent, so that
// `name?: C` ignores it and `name!: C` reports it missing. Null list items
// stay.
func dropNulls(v any, depth int) any {
	if depth > 1000 {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(e, depth+1)
		}
	case []any:
		for i, e := range x {
			x[i] = dropNulls(e, depth+1)
		}
	}
	return v
}

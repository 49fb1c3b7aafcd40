package access

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/secrets"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/jcasc"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source/tree"
)

// IDStrategy is Jenkins' IdStrategy: how user names and group names compare.
type IDStrategy string

// The IdStrategy implementations of Jenkins core. The oic realm uses
// caseInsensitive for both when it sets none.
const (
	CaseInsensitive    IDStrategy = "caseInsensitive"
	CaseSensitive      IDStrategy = "caseSensitive"
	CaseSensitiveEmail IDStrategy = "caseSensitiveEmailAddress"
)

// Key is the canonical form two names must share to be the same identity.
func (s IDStrategy) Key(id string) string {
	switch s {
	case CaseSensitive:
		return id
	case CaseSensitiveEmail:
		// The local part keeps its case; the domain does not.
		if i := strings.LastIndex(id, "@"); i >= 0 {
			return id[:i] + "@" + strings.ToLower(id[i+1:])
		}
		return id
	}
	return strings.ToLower(id)
}

// Equal reports whether a and b name the same identity under s.
func (s IDStrategy) Equal(a, b string) bool { return s.Key(a) == s.Key(b) }

// readIDStrategy reads userIdStrategy or groupIdStrategy: a scalar
// ("caseSensitive") or a one-key mapping ("caseSensitive: {}").
func readIDStrategy(oic *yaml.Node, key string) (IDStrategy, *yaml.Node, string) {
	k, v := tree.Get(oic, key)
	if k == nil {
		return CaseInsensitive, nil, ""
	}
	name := ""
	switch {
	case v != nil && v.Kind == yaml.ScalarNode:
		name = strings.TrimSpace(v.Value)
	case v != nil && v.Kind == yaml.MappingNode:
		if pairs := tree.Pairs(v); len(pairs) == 1 {
			name = pairs[0].Key.Value
		}
	}
	switch IDStrategy(name) {
	case CaseInsensitive, CaseSensitive, CaseSensitiveEmail:
		return IDStrategy(name), k, ""
	}
	if tree.IsVariable(name) {
		return CaseInsensitive, k, fmt.Sprintf("%s is a variable: names are compared case-insensitively here (the plugin's default)", key)
	}
	return CaseInsensitive, k, fmt.Sprintf("%s %q is not one of caseInsensitive, caseSensitive, caseSensitiveEmailAddress: names are compared case-insensitively here", key, name)
}

// claimField is one realm field that reads a claim.
type claimField struct {
	Field   string // JCasC key
	Str     tree.Scalar
	Expr    string // the expression in effect
	Default bool   // the plugin default (userNameField: sub)
	Compile error
	Value   any  // what the expression finds (nil: absent)
	Found   bool // Value != nil
	expr    *Expr
}

func newClaimField(field string, s tree.Scalar, def string) *claimField {
	f := &claimField{Field: field, Str: s}
	f.Expr = strings.TrimSpace(s.Value)
	if f.Expr == "" {
		if def == "" {
			return nil
		}
		f.Expr, f.Default = def, true
	}
	if tree.IsVariable(f.Expr) {
		f.Compile = fmt.Errorf("is a variable (%s): its value is not known here", f.Expr)
		return f
	}
	f.expr, f.Compile = Compile(f.Expr)
	return f
}

func (f *claimField) eval(claims *Claims) {
	if f == nil || f.expr == nil {
		return
	}
	f.Value = f.expr.Search(claims)
	f.Found = f.Value != nil
}

// stringValue is the plugin's getStringField: any value but an object or a
// list, as text, trimmed; "" when there is none.
func stringValue(v any) (string, bool) {
	switch x := v.(type) {
	case nil, map[string]any, []any:
		return "", false
	case string:
		s := strings.TrimSpace(x)
		return s, s != ""
	case json.Number:
		return x.String(), true
	case bool:
		return fmt.Sprint(x), true
	case float64:
		return fmt.Sprint(x), true
	}
	return fmt.Sprint(v), true
}

var groupSplit = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`[\s\[\],]`) })

// groupNames is the plugin's ensureString: a string is split on blanks,
// brackets and commas; a list keeps its string items; anything else gives no
// groups. dropped counts list items that are not strings.
func groupNames(v any) (names []string, dropped []string, ok bool) {
	switch x := v.(type) {
	case string:
		for _, p := range groupSplit().Split(x, -1) {
			if p != "" {
				names = append(names, p)
			}
		}
		return names, nil, true
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				names = append(names, s)
			} else {
				dropped = append(dropped, typeName(e))
			}
		}
		return names, dropped, true
	}
	return nil, nil, false
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number, float64, int, int64:
		return "number"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "list"
	}
	return fmt.Sprintf("%T", v)
}

var guidRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
})

// looksLikeGUID reports whether a group name is an object ID (Entra ID sends
// group IDs, not names, by default).
func looksLikeGUID(s string) bool { return guidRE().MatchString(s) }

// publicClaims are registered or common claim names that contain a secret
// word but hold no secret.
func publicClaims(s string) bool {
	switch s {
	case "auth_time", "token_use", "auth_level", "at_hash", "c_hash", "s_hash",
		"token_type", "authorization_details":
		return true
	}
	return false
}

// claimIsSecret reports whether a claim must be redacted: its name denotes a
// secret, or its value is a known token format (a nested JWT, a GitHub
// token…).
func claimIsSecret(name string, v any) bool {
	if !publicClaims(strings.ToLower(name)) && secrets.IsSecretName(name) {
		return true
	}
	if s, ok := v.(string); ok && len(secrets.Scan([]byte(s))) > 0 {
		return true
	}
	return false
}

// redactValue replaces secret parts of a claim value.
func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if claimIsSecret(k, e) {
				out[k] = redactedText(e)
			} else {
				out[k] = redactValue(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			if claimIsSecret("", e) {
				out[i] = redactedText(e)
			} else {
				out[i] = redactValue(e)
			}
		}
		return out
	}
	return v
}

func redactedText(v any) string {
	if s, ok := v.(string); ok {
		return secrets.Redact(s)
	}
	return "REDACTED"
}

// Claim is one top-level claim as printed.
type Claim struct {
	Name     string `json:"name"`
	Value    any    `json:"value"`
	Redacted bool   `json:"redacted,omitempty"`
}

func redactClaims(claims map[string]any) []Claim {
	names := make([]string, 0, len(claims))
	for k := range claims {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]Claim, 0, len(names))
	for _, n := range names {
		v := claims[n]
		if claimIsSecret(n, v) {
			out = append(out, Claim{Name: n, Value: redactedText(v), Redacted: true})
			continue
		}
		out = append(out, Claim{Name: n, Value: redactValue(v)})
	}
	return out
}

// realmFields lists the claim fields the realm reads, with the plugin's
// default for the user name; oic is the realm's mapping (Realm.Reread).
func realmFields(r *jcasc.Realm, oic *yaml.Node) []*claimField {
	var out []*claimField
	for _, f := range []*claimField{
		newClaimField("userNameField", r.UserNameField, "sub"),
		newClaimField("groupsFieldName", r.GroupsField, ""),
		newClaimField("emailFieldName", r.EmailField, ""),
		newClaimField("fullNameFieldName", r.FullNameField, ""),
		newClaimField("tokenFieldToCheckKey", tree.ScalarOf(r.File, oic, "tokenFieldToCheckKey"), ""),
	} {
		if f != nil {
			out = append(out, f)
		}
	}
	return out
}

package schema

//go:generate go run ./internal/genshapes

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/schema/internal/shape"
)

// The schemas are compiled at build time: go generate ./schema compiles the
// CUE definitions below (schema/internal/cuecompile) and writes the shapes
// as Go source, shapes_gen.go (schema/internal/shapegen). The program builds
// them from those literals on first use, without CUE; TestGeneratedShapes
// fails when the file differs from what compiling the CUE gives today.

// Definitions the checker compiles.
const (
	realmDef      = "#OicRealm"
	discoveryDef  = "#ProviderMetadata"
	credentialDef = "#Credential"
	roleBasedDef  = "#RoleBased"
	matrixDef     = "#Matrix"
	settingsDef   = "#Settings"
)

// compiled holds the compiled shapes of the definitions.
type compiled struct {
	realm     *shape.Shape
	disc      *shape.Shape
	cred      *shape.Shape
	roleBased *shape.Shape
	matrix    *shape.Shape
	settings  *shape.Shape
	realmKeys map[string][]string // key → the paths where the realm schema has it
}

// compileSchemas builds the generated shapes.
func compileSchemas() (*compiled, error) {
	return fromSet(builtinShapes())
}

func fromSet(set *shape.Set) (*compiled, error) {
	c := &compiled{realm: set.Realm, disc: set.Discovery, cred: set.Cred, roleBased: set.RoleBased, matrix: set.Matrix, settings: set.Settings}
	for _, s := range []*shape.Shape{c.realm, c.disc, c.cred, c.roleBased, c.matrix, c.settings} {
		if s == nil {
			return nil, fmt.Errorf("a definition is missing from the compiled shapes: run go generate ./schema")
		}
	}
	if c.disc.Obj == nil {
		return nil, fmt.Errorf("%s is not a struct", discoveryDef)
	}
	c.realmKeys = map[string][]string{}
	indexKeys(c.realm, "", c.realmKeys, 0)
	return c, nil
}

// indexKeys records where each key of the realm schema may appear, for "it
// belongs under …" hints.
func indexKeys(s *shape.Shape, path string, idx map[string][]string, depth int) {
	if s == nil || depth > 8 {
		return
	}
	if s.List != nil {
		indexKeys(s.List.Elem, path+"[]", idx, depth+1)
	}
	if s.Obj == nil {
		return
	}
	for _, name := range s.Obj.Names {
		fld := s.Obj.Field(name)
		if fld.Until == "" { // a removed key is no place to move a key to
			idx[name] = append(idx[name], path)
		}
		indexKeys(fld.Shape, joinPath(path, name), idx, depth+1)
	}
}

// scalar is a YAML/JSON scalar typed the way CUE sees it.
type scalar = shape.Value

// parseVersion reads an oic-auth release such as "4.350" as comparable
// numbers.
func parseVersion(v string) []int {
	var out []int
	for _, p := range strings.Split(v, ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil
		}
		out = append(out, n)
	}
	return out
}

// versionLess reports a < b for releases parseVersion accepts.
func versionLess(a, b string) bool {
	x, y := parseVersion(a), parseVersion(b)
	for i := 0; i < len(x) && i < len(y); i++ {
		if x[i] != y[i] {
			return x[i] < y[i]
		}
	}
	return len(x) < len(y)
}

// flatLabel turns the first release without the flat layout ("4.350") into
// the label of the last ones ("≤ 4.34x").
func flatLabel(until string) string {
	v := parseVersion(until)
	if len(v) == 2 && v[1] >= 10 && v[1]%10 == 0 {
		return fmt.Sprintf("≤ %d.%dx", v[0], v[1]/10-1)
	}
	return "before " + until
}

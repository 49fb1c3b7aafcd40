package schema

import "go.yaml.in/yaml/v3"

// A Violation is what schema/cuecheck.Violations reports: the data of one
// way a document fails a CUE constraint (users' policies use it). The types
// live here, without CUE, so that code which only carries violations (the
// policy workers' wire format) does not link CUE.

// ViolationKind tells how a document fails a constraint.
type ViolationKind int

// The kinds of violation.
const (
	// ViolationInvalid is a value the constraint rejects.
	ViolationInvalid ViolationKind = iota
	// ViolationMissing is an absent field the constraint requires: a
	// required field (name!), or a regular field with no concrete value.
	ViolationMissing
	// ViolationNotAllowed is a field a closed struct does not allow.
	ViolationNotAllowed
)

// Violation is one way a document fails a CUE constraint.
type Violation struct {
	// Path leads from the document's root to the offending value: field
	// names (unquoted) and list indexes.
	Path []string
	// Node is where to report it: the offending scalar; the key of an
	// offending mapping or list, or of a field that is not allowed; for a
	// missing field, the key of the mapping that lacks it (the mapping itself
	// at the document's root). A path through a field the document does not
	// have (a hidden field of the constraint) ends like a missing field.
	Node *yaml.Node
	// Found reports that Path exists in the document; Value is then the
	// node at Path (aliases resolved).
	Found bool
	Value *yaml.Node
	Kind  ViolationKind
	// Message is CUE's text without the path. It may quote a scalar of the
	// document (shortened): never show it for a secret. A mapping or list
	// is shown as {…} or […], never its content.
	Message string
}

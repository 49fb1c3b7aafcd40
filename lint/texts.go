package lint

import (
	"bytes"
	"hash/maphash"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/source"
)

// A file's text is held from the moment it is read to the end of the run
// only when something later needs it: the workspace rules read JCasC and
// provider metadata, and suppression comments are read at the end. A
// pipeline or a file scanned for secrets only is done once its own checks
// ran, so the loader lets its text go (dropText) and the end of the run reads
// it again, one file at a time, for the findings' fingerprints and source
// lines. Memory then grows with the JCasC files, not with the whole tree.

// textSeed seeds the checksums that tell whether a file read again is the
// file first read (the sums never leave the process).
var textSeed = maphash.MakeSeed()

// sameText reports whether data, a file read again, is the text first
// read: of that size and checksum.
func sameText(data []byte, size int, sum uint64) bool {
	return len(data) == size && maphash.Bytes(textSeed, data) == sum
}

// changedError is the error of a file read again that no longer holds what
// it held when first read: its findings may point at lines no longer there.
func changedError(path string) *report.FileError {
	return &report.FileError{Pos: report.Position{Path: path}, Message: "the file changed while it was being checked: run again"}
}

// droppedText is what the loader keeps of a file whose text it let go.
type droppedText struct {
	osPath  string
	size    int
	sum     uint64
	secrets []secretSum // the file's secret strings, summed, for redacting messages
}

// suppressMarker starts every ignore comment (see suppressRE).
var suppressMarker = []byte("jenkins-oidc-lint:")

// dropText lets the text of a loaded pipeline or secrets-only file go,
// keeping what reading it again needs. Standard input, pipes and devices
// (which cannot be read again), JCasC, metadata and files with ignore
// comments keep their text.
func dropText(c source.Candidate, r *parsed) {
	f := r.file
	if f == nil || c.OSPath == "-" || !f.Regular || f.Kind != source.Jenkinsfile && f.Kind != source.Unknown ||
		bytes.Contains(f.Data, suppressMarker) {
		return
	}
	r.dropped = &droppedText{
		osPath:  c.OSPath,
		size:    len(f.Data),
		sum:     maphash.Bytes(textSeed, f.Data),
		secrets: secretSums(secretStrings(f.Data, r.secrets)),
	}
	r.file = &source.File{Path: f.Path, Kind: f.Kind}
}

// texts hands out the files' contents at the end of a run: files whose text
// the loader kept as they are, others read again on demand, one held at a
// time. A file that changed since it was first read is an error (its
// findings may point at lines that are no longer there).
type texts struct {
	files   map[string]*source.File
	dropped map[string]*droppedText
	cur     *source.File
	failed  map[string]bool
	errs    []report.FileError
}

// get returns the file at path with its text, or nil when path is not an
// input or could not be read again.
func (t *texts) get(path string) *source.File {
	f := t.files[path]
	d := t.dropped[path]
	if f == nil || d == nil {
		return f
	}
	if t.cur != nil && t.cur.Path == path {
		return t.cur
	}
	if t.failed[path] {
		return nil
	}
	again, ferr := source.Read(source.Candidate{Path: path, OSPath: d.osPath}, source.MaxSize)
	if ferr == nil && !sameText(again.Data, d.size, d.sum) {
		ferr = changedError(path)
	}
	if ferr != nil {
		if t.failed == nil {
			t.failed = map[string]bool{}
		}
		t.failed[path] = true
		t.errs = append(t.errs, *ferr)
		return nil
	}
	again.Kind = f.Kind
	t.cur = again
	return again
}

// Package lsp is the language server of jenkins-oidc-lint
// (`jenkins-oidc-lint lsp`): the Language Server Protocol 3.17 over a
// stream, usually standard input and output.
//
// It lints each workspace folder as the command line does when run in that
// folder with no path (`jenkins-oidc-lint`): the same walk, settings file,
// suppressions, baseline and rules, with the documents the editor holds
// unsaved read from memory (lint.Options.Overlay). Every finding becomes a
// diagnostic of the file it points into, whether or not that file is open,
// so cross-file rules show on the file that holds the mistake (editing a
// provider's metadata makes issuer-mismatch appear or go in the JCasC file
// that names its issuer). Runs follow edits after a short quiet time
// (Options.Debounce), one at a time.
//
// Code actions offer the fixes --fix applies and an inline ignore comment;
// hover on a finding shows its rule's page (`explain`). Everything sent to
// the client comes from the engine's report, whose messages are redacted:
// the server never sends document text.
//
// The protocol is written out here (jsonrpc.go, protocol.go) rather than
// taken from a library: the Go LSP libraries available speak LSP 3.16
// (no position encoding negotiation) and bring 8 to 18 modules; see
// docs/editors/README.md.
package lsp

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// DefaultDebounce is the quiet time after an edit before a run.
const DefaultDebounce = 200 * time.Millisecond

// Options configure a server: the command line's settings, with relative
// paths resolved against each workspace folder (the server lints a folder
// as if the command ran there).
type Options struct {
	Version  string
	Debounce time.Duration // 0: DefaultDebounce

	Config        string   // --config (default: .jenkins-oidc-lint.yaml upward from the folder)
	NoConfig      bool     // --no-config
	Baseline      string   // --baseline
	Policies      []string // --policy
	PolicyTimeout time.Duration
	PolicyMemory  int64
	Enable        []string
	Disable       []string
	Metadata      []string // --metadata
	MaxFileSize   int64
	AllFiles      bool
	NoIgnore      bool

	// Log receives the server's own troubles (a client that breaks the
	// protocol); nil discards them. Never document text.
	Log io.Writer

	// ranHook, when set (tests), is called after each run of a folder with
	// the number of edits the run saw (see Server.gen).
	ranHook func(folder string, gen int)
}

// Server state.
const (
	stateNew = iota
	stateRunning
	stateShutDown
)

// Server is one language server connection.
type Server struct {
	opts Options
	out  *writer

	mu          sync.Mutex // guards what follows
	state       int
	enc         string
	docChanges  bool // the client takes versioned documentChanges
	markdown    bool // the client shows markdown hovers
	related     bool // the client shows related information
	folders     []*folder
	docs        map[string]*document // open documents by absolute path
	dirty       map[*folder]bool
	timer       *time.Timer
	nextID      int64
	shown       map[string]bool // messages shown once
	watchDynamo bool
	gen         int // edits and other events that call for a run, counted

	wake chan struct{}
	quit chan struct{}
	done chan struct{}

	lintState // the worker's own: touched by runs only
}

// document is an open document.
type document struct {
	uri        string
	path       string
	languageID string
	version    int
	data       []byte
}

// folder is a workspace folder, or the directory a document outside every
// folder is linted in (implicit).
type folder struct {
	path     string // absolute, as the client names it
	implicit bool

	// What the last run found, by URI; published holds what the client
	// was last sent, as JSON, to send only what changed.
	items     map[string][]*item
	fixAll    map[string]*fixEdit // what --fix would do to each file
	versions  map[string]*int     // the document versions the run read
	published map[string]string
	helps     map[string]string // rule → page, for hover
}

// item is one diagnostic with what a code action can do about it.
type item struct {
	diag   diagnostic
	rule   string
	fix    *fixEdit
	ignore *fixEdit
}

// fixEdit is an edit of one file.
type fixEdit struct {
	title string
	uri   string
	edits []textEdit
}

// Serve runs a server on the stream until the client sends exit or closes
// it, and returns the exit code the protocol asks for: 0 after shutdown,
// else 1.
func Serve(in io.Reader, out io.Writer, opts Options) int {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	s := &Server{
		opts:  opts,
		out:   &writer{w: out},
		enc:   encUTF16,
		docs:  map[string]*document{},
		dirty: map[*folder]bool{},
		shown: map[string]bool{},
		wake:  make(chan struct{}, 1),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	s.polMu = make(chan struct{}, 1)
	wd, _ := os.Getwd()
	go s.worker()
	code := s.loop(newReader(in))
	close(s.quit)
	s.mu.Lock()
	if s.timer != nil {
		s.timer.Stop()
	}
	s.mu.Unlock()
	<-s.done
	if wd != "" {
		_ = os.Chdir(wd) // runs change to each folder
	}
	return code
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "jenkins-oidc-lint lsp: "+format+"\n", args...)
	}
}

// loop reads and handles messages until exit or the end of the stream.
func (s *Server) loop(rd *reader) int {
	for {
		body, err := rd.read()
		if err != nil {
			if err != io.EOF {
				s.logf("%v", err)
			}
			return s.exitCode()
		}
		var m message
		if err := json.Unmarshal(body, &m); err != nil {
			s.replyError(json.RawMessage("null"), codeParseError, "not a JSON-RPC message")
			continue
		}
		if m.Method == "exit" {
			return s.exitCode()
		}
		switch {
		case m.isRequest():
			s.request(&m)
		case m.isNotification():
			s.notification(&m)
		case len(m.ID) > 0:
			// a response to one of our requests (registrations): nothing waits for it
		default:
			s.replyError(json.RawMessage("null"), codeInvalidRequest, "neither a request, a notification nor a response")
		}
	}
}

func (s *Server) exitCode() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == stateShutDown {
		return 0
	}
	return 1
}

func (s *Server) reply(id json.RawMessage, result any) {
	if err := s.out.write(response{JSONRPC: "2.0", ID: id, Result: result}); err != nil {
		s.logf("writing a response: %v", err)
	}
}

func (s *Server) replyError(id json.RawMessage, code int, msg string) {
	if err := s.out.write(errorResponse{JSONRPC: "2.0", ID: id, Error: &rpcError{Code: code, Message: msg}}); err != nil {
		s.logf("writing a response: %v", err)
	}
}

func (s *Server) notify(method string, params any) {
	if err := s.out.write(outgoing{JSONRPC: "2.0", Method: method, Params: params}); err != nil {
		s.logf("writing %s: %v", method, err)
	}
}

func (s *Server) call(method string, params any) {
	s.mu.Lock()
	s.nextID++
	id := s.nextID
	s.mu.Unlock()
	if err := s.out.write(outgoing{JSONRPC: "2.0", ID: &id, Method: method, Params: params}); err != nil {
		s.logf("writing %s: %v", method, err)
	}
}

// showOnce shows a message in the editor once per server.
func (s *Server) showOnce(kind int, msg string) {
	s.mu.Lock()
	seen := s.shown[msg]
	s.shown[msg] = true
	s.mu.Unlock()
	if !seen {
		s.notify("window/showMessage", showMessageParams{Type: kind, Message: "jenkins-oidc-lint: " + msg})
	}
}

func (s *Server) request(m *message) {
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	switch {
	case m.Method == "initialize":
		if state != stateNew {
			s.replyError(m.ID, codeInvalidRequest, "initialize was already sent")
			return
		}
		s.initialize(m)
		return
	case state == stateNew:
		s.replyError(m.ID, codeServerNotInitialized, "the server is not initialized")
		return
	case state == stateShutDown:
		s.replyError(m.ID, codeInvalidRequest, "the server is shut down")
		return
	}
	switch m.Method {
	case "shutdown":
		s.mu.Lock()
		s.state = stateShutDown
		if s.timer != nil {
			s.timer.Stop()
		}
		s.mu.Unlock()
		s.reply(m.ID, nil)
	case "textDocument/codeAction":
		var p codeActionParams
		if err := rawParams(m.Params, &p); err != nil {
			s.replyError(m.ID, codeInvalidParams, err.Error())
			return
		}
		s.reply(m.ID, s.codeActions(p))
	case "textDocument/hover":
		var p hoverParams
		if err := rawParams(m.Params, &p); err != nil {
			s.replyError(m.ID, codeInvalidParams, err.Error())
			return
		}
		if h := s.hover(p); h != nil {
			s.reply(m.ID, h)
		} else {
			s.reply(m.ID, nil)
		}
	default:
		s.replyError(m.ID, codeMethodNotFound, "unsupported method "+m.Method)
	}
}

func (s *Server) initialize(m *message) {
	var p initializeParams
	if err := rawParams(m.Params, &p); err != nil {
		s.replyError(m.ID, codeInvalidParams, err.Error())
		return
	}
	s.mu.Lock()
	s.enc = chooseEncoding(p.Capabilities.General.PositionEncodings)
	s.docChanges = p.Capabilities.Workspace.WorkspaceEdit.DocumentChanges
	s.related = p.Capabilities.TextDocument.PublishDiagnostics.RelatedInformation
	s.markdown = len(p.Capabilities.TextDocument.Hover.ContentFormat) == 0
	for _, f := range p.Capabilities.TextDocument.Hover.ContentFormat {
		s.markdown = s.markdown || f == "markdown"
	}
	s.watchDynamo = p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
	var roots []string
	for _, wf := range p.WorkspaceFolders {
		roots = append(roots, uriToPath(wf.URI))
	}
	if len(p.WorkspaceFolders) == 0 {
		switch {
		case p.RootURI != nil:
			roots = append(roots, uriToPath(*p.RootURI))
		case p.RootPath != nil && *p.RootPath != "":
			roots = append(roots, filepath.Clean(*p.RootPath))
		}
	}
	for _, r := range roots {
		if r != "" && filepath.IsAbs(r) {
			s.addFolderLocked(r, false)
		}
	}
	s.state = stateRunning
	res := initializeResult{ServerInfo: serverInfo{Name: "jenkins-oidc-lint", Version: s.opts.Version}}
	res.Capabilities.PositionEncoding = s.enc
	res.Capabilities.TextDocumentSync = textDocumentSync{OpenClose: true, Change: 1}
	res.Capabilities.HoverProvider = true
	res.Capabilities.CodeActionProvider = codeActionOptions{CodeActionKinds: []string{"quickfix", "source.fixAll"}}
	res.Capabilities.Workspace.WorkspaceFolders.Supported = true
	res.Capabilities.Workspace.WorkspaceFolders.ChangeNotifications = true
	s.mu.Unlock()
	s.reply(m.ID, res)
}

// watchGlobs are the files whose change on disk changes findings: every
// kind the walker reads, the settings, policies and baselines.
var watchGlobs = []string{
	"**/*.{yaml,yml,json,groovy,jenkinsfile,Jenkinsfile,txt,tf,template,cue}",
	"**/Jenkinsfile*", "**/*openid-configuration*", "**/{Dockerfile,Containerfile}*", "**/*.Dockerfile",
	"**/.jenkins-oidc-lint.yaml", "**/.gitignore",
}

func (s *Server) notification(m *message) {
	s.mu.Lock()
	state := s.state
	s.mu.Unlock()
	if state != stateRunning {
		return // before initialize (and after shutdown) notifications are dropped
	}
	var err error
	switch m.Method {
	case "initialized":
		s.mu.Lock()
		dyn := s.watchDynamo
		for _, f := range s.folders {
			s.dirty[f] = true
		}
		s.mu.Unlock()
		if dyn {
			var ws []fileSystemWatcher
			for _, g := range watchGlobs {
				ws = append(ws, fileSystemWatcher{GlobPattern: g})
			}
			s.call("client/registerCapability", registrationParams{Registrations: []registration{{
				ID: "jenkins-oidc-lint-watch", Method: "workspace/didChangeWatchedFiles",
				RegisterOptions: map[string]any{"watchers": ws},
			}}})
		}
		s.schedule(0)
	case "textDocument/didOpen":
		var p didOpenParams
		if err = rawParams(m.Params, &p); err == nil {
			s.open(p)
		}
	case "textDocument/didChange":
		var p didChangeParams
		if err = rawParams(m.Params, &p); err == nil {
			s.change(p)
		}
	case "textDocument/didClose":
		var p didCloseParams
		if err = rawParams(m.Params, &p); err == nil {
			s.close(p)
		}
	case "textDocument/didSave":
		var p didSaveParams
		if err = rawParams(m.Params, &p); err == nil {
			s.save(p)
		}
	case "workspace/didChangeWatchedFiles":
		var p didChangeWatchedFilesParams
		if err = rawParams(m.Params, &p); err == nil {
			s.watched(p)
		}
	case "workspace/didChangeWorkspaceFolders":
		var p didChangeWorkspaceFoldersParams
		if err = rawParams(m.Params, &p); err == nil {
			s.changeFolders(p)
		}
	}
	if err != nil {
		s.logf("%s: %v", m.Method, err)
	}
}

// addFolderLocked adds a folder unless it is there.
func (s *Server) addFolderLocked(p string, implicit bool) *folder {
	for _, f := range s.folders {
		if f.path == p {
			if !implicit {
				f.implicit = false
			}
			return f
		}
	}
	f := &folder{path: p, implicit: implicit, items: map[string][]*item{}, published: map[string]string{}, versions: map[string]*int{}}
	s.folders = append(s.folders, f)
	sort.Slice(s.folders, func(i, j int) bool { return s.folders[i].path < s.folders[j].path })
	return f
}

// ownerLocked is the deepest folder a path lies in (nil: none).
func (s *Server) ownerLocked(p string) *folder {
	var best *folder
	for _, f := range s.folders {
		if within(f.path, p) && (best == nil || len(f.path) > len(best.path)) {
			best = f
		}
	}
	return best
}

// implicitRoot is where a document outside every folder is linted: the
// nearest directory above it with a settings file or a .git, else its own.
func implicitRoot(p string) string {
	dir := filepath.Dir(p)
	for d := dir; ; {
		for _, name := range []string{".jenkins-oidc-lint.yaml", ".git"} {
			if _, err := os.Lstat(filepath.Join(d, name)); err == nil {
				return d
			}
		}
		up := filepath.Dir(d)
		if up == d {
			return dir
		}
		d = up
	}
}

func (s *Server) open(p didOpenParams) {
	path := uriToPath(p.TextDocument.URI)
	if path == "" || !filepath.IsAbs(path) {
		return // untitled and other schemes: not files the walk can name
	}
	root := ""
	s.mu.Lock()
	owner := s.ownerLocked(path)
	s.mu.Unlock()
	if owner == nil {
		root = implicitRoot(path) // stats files: outside the lock
	}
	s.mu.Lock()
	if owner == nil {
		owner = s.addFolderLocked(root, true)
	}
	s.docs[path] = &document{uri: p.TextDocument.URI, path: path, languageID: p.TextDocument.LanguageID,
		version: p.TextDocument.Version, data: []byte(p.TextDocument.Text)}
	s.dirty[owner] = true
	s.mu.Unlock()
	s.schedule(s.opts.Debounce)
}

func (s *Server) change(p didChangeParams) {
	path := uriToPath(p.TextDocument.URI)
	s.mu.Lock()
	d := s.docs[path]
	if d == nil || len(p.ContentChanges) == 0 {
		s.mu.Unlock()
		return
	}
	// Full synchronisation: the last change holds the whole document.
	last := p.ContentChanges[len(p.ContentChanges)-1]
	if last.Range != nil {
		s.mu.Unlock()
		s.logf("didChange with a range although the server asked for full documents: ignored")
		return
	}
	d.data = []byte(last.Text)
	if p.TextDocument.Version != nil {
		d.version = *p.TextDocument.Version
	}
	if f := s.ownerLocked(path); f != nil {
		s.dirty[f] = true
	}
	s.mu.Unlock()
	s.schedule(s.opts.Debounce)
}

func (s *Server) close(p didCloseParams) {
	path := uriToPath(p.TextDocument.URI)
	s.mu.Lock()
	if s.docs[path] == nil {
		s.mu.Unlock()
		return
	}
	delete(s.docs, path)
	f := s.ownerLocked(path)
	if f != nil && f.implicit && !s.holdsDocsLocked(f) {
		// the folder was there for this document only
		for i, g := range s.folders {
			if g == f {
				s.folders = append(s.folders[:i], s.folders[i+1:]...)
				break
			}
		}
		delete(s.dirty, f)
		s.mu.Unlock()
		s.clear(f)
		return
	}
	if f != nil {
		s.dirty[f] = true // the disk's text stands in for the buffer again
	}
	s.mu.Unlock()
	s.schedule(s.opts.Debounce)
}

func (s *Server) holdsDocsLocked(f *folder) bool {
	for p := range s.docs {
		if s.ownerLocked(p) == f {
			return true
		}
	}
	return false
}

func (s *Server) save(p didSaveParams) {
	if path := uriToPath(p.TextDocument.URI); strings.HasSuffix(path, ".cue") {
		// policies are read from the disk: saved, they change
		s.dropPolicies()
		s.mu.Lock()
		for _, f := range s.folders {
			s.dirty[f] = true
		}
		s.mu.Unlock()
		s.schedule(s.opts.Debounce)
	}
}

func (s *Server) watched(p didChangeWatchedFilesParams) {
	s.mu.Lock()
	for _, c := range p.Changes {
		path := uriToPath(c.URI)
		if path == "" || s.docs[path] != nil {
			continue // the editor's buffer, not the disk, is what is linted
		}
		if strings.HasSuffix(path, ".cue") {
			s.dropPolicies()
		}
		marked := false
		for _, f := range s.folders {
			if within(f.path, path) {
				s.dirty[f] = true
				marked = true
			}
		}
		if !marked { // a settings file above the folders, a baseline elsewhere
			for _, f := range s.folders {
				s.dirty[f] = true
			}
		}
	}
	s.mu.Unlock()
	s.schedule(s.opts.Debounce)
}

func (s *Server) changeFolders(p didChangeWorkspaceFoldersParams) {
	var gone []*folder
	s.mu.Lock()
	for _, wf := range p.Event.Removed {
		path := uriToPath(wf.URI)
		for i, f := range s.folders {
			if f.path == path {
				s.folders = append(s.folders[:i], s.folders[i+1:]...)
				delete(s.dirty, f)
				gone = append(gone, f)
				break
			}
		}
	}
	for _, wf := range p.Event.Added {
		if path := uriToPath(wf.URI); path != "" && filepath.IsAbs(path) {
			s.dirty[s.addFolderLocked(path, false)] = true
		}
	}
	// documents of a removed folder may now belong to another, or to none
	for _, d := range s.docs {
		if s.ownerLocked(d.path) == nil {
			s.dirty[s.addFolderLocked(implicitRoot(d.path), true)] = true
		}
	}
	s.mu.Unlock()
	for _, f := range gone {
		s.clear(f)
	}
	s.schedule(s.opts.Debounce)
}

// schedule runs the dirty folders after d of quiet: each new call within d
// starts the wait again.
func (s *Server) schedule(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	if s.state == stateShutDown {
		return
	}
	fire := func() {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
	if s.timer == nil {
		s.timer = time.AfterFunc(d, fire)
		return
	}
	s.timer.Stop()
	s.timer.Reset(d)
}

// worker runs the dirty folders, one run at a time.
func (s *Server) worker() {
	defer close(s.done)
	for {
		select {
		case <-s.quit:
			return
		case <-s.wake:
		}
		for {
			select {
			case <-s.quit:
				return
			default:
			}
			f := s.takeDirty()
			if f == nil {
				break
			}
			gen := s.runFolder(f)
			if s.opts.ranHook != nil {
				s.opts.ranHook(f.path, gen)
			}
		}
	}
}

func (s *Server) takeDirty() *folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range s.folders {
		if s.dirty[f] {
			delete(s.dirty, f)
			return f
		}
	}
	return nil
}

// clear empties the diagnostics a folder published (it is gone).
func (s *Server) clear(f *folder) {
	s.mu.Lock()
	var uris []string
	for uri := range f.published {
		uris = append(uris, uri)
	}
	f.published = map[string]string{}
	f.items = map[string][]*item{}
	f.fixAll = nil
	s.mu.Unlock()
	sort.Strings(uris)
	for _, uri := range uris {
		s.notify("textDocument/publishDiagnostics", publishDiagnosticsParams{URI: uri, Diagnostics: []diagnostic{}})
	}
}

package shell

// What the model knows of commands, as tables. The rules' own tables
// (switches that turn TLS off, printers, registry logins, token exchanges)
// live with the rules; these are the ones the model itself needs to find a
// command's name and where its output goes. commands_test.go runs the
// samples of each table.

type wrapKind uint8

const (
	wrapFlags    wrapKind = iota // wrapper [-flag…] command
	wrapEnv                      // env [-flag…] [NAME=value…] command
	wrapDuration                 // timeout [-flag…] DURATION command
)

// wrapper is a command that runs the command after it.
type wrapper struct {
	kind       wrapKind
	valueFlags map[string]bool // flags whose value is the next word (sudo -u ci)
}

// wrappers run the command that follows them: the command proper of
// "sudo -u ci env A=1 timeout 30 curl -k …" is curl.
var wrappers = map[string]wrapper{
	"sudo":    {wrapFlags, map[string]bool{"-u": true, "-g": true}},
	"nohup":   {},
	"exec":    {},
	"command": {},
	"nice":    {},
	"stdbuf":  {},
	"xargs":   {},
	"builtin": {},
	"time":    {},
	"env":     {kind: wrapEnv},
	"timeout": {kind: wrapDuration},
}

// wrapperSamples are commands and the name NameIndex finds in each.
var wrapperSamples = []struct{ line, name string }{
	{"sudo -u ci helm upgrade x .", "helm"},
	{"sudo -E -g docker docker ps", "docker"},
	{"nohup ./run.sh &", "./run.sh"},
	{"env -i A=1 B=2 curl -k x", "curl"},
	{"env A=1", "env"},
	{"timeout --preserve-status 30 curl x", "curl"},
	{"timeout -s KILL 30 curl x", "30"}, // a flag's value is not skipped: as the rules always read it
	{"xargs -r -n1 git fetch", "git"},
	{"time nice make", "make"},
	{"builtin echo x", "echo"},
	{"exec stdbuf -oL tail -f log", "tail"},
	{"command -v docker", "docker"},
}

// passThrough commands print (a form of) their input: output piped into
// one of them still reaches the build log unless it goes on elsewhere.
var passThrough = map[string]bool{
	"cat": true, "tee": true, "base64": true, "xxd": true, "od": true, "hexdump": true, "rev": true,
	"sed": true, "awk": true, "cut": true, "tr": true, "head": true, "tail": true, "fold": true,
	"sort": true, "uniq": true, "grep": true, "egrep": true, "fgrep": true, "nl": true, "more": true, "less": true,
	"findstr": true, "out-host": true, "out-default": true, "write-host": true, "write-output": true,
}

// passThroughSamples: whether the first command's output is kept away
// from the log.
var passThroughSamples = []struct {
	line string
	d    Dialect
	kept bool
}{
	{`echo "$T" | base64`, Sh, false},
	{`echo "$T" | base64 | tee out.txt`, Sh, false},
	{`echo "$T" | base64 > out.txt`, Sh, true},
	{`echo "$T" | docker login --password-stdin`, Sh, true},
	{`echo "$T" > /dev/stderr`, Sh, false},
	{`echo "$T" >> token.txt`, Sh, true},
	{`echo "$T" 2> err.txt`, Sh, false},
	{`echo $T &> all.log`, Sh, true},
	{`X=$(echo "$T")`, Sh, true},
	{`Write-Output $env:T | Out-Host`, PowerShell, false},
	{`Write-Output $env:T | Set-Content t.txt`, PowerShell, true},
	{`echo %T% > con`, Bat, false},
	{`echo %T% | findstr x`, Bat, false},
}

// shells are the commands whose -c script Script.Inner lexes.
var shells = map[string]bool{"sh": true, "bash": true, "dash": true, "zsh": true, "ksh": true, "ash": true, "busybox": true}

// shKeywords are reserved words that start or end a compound command; the
// command proper follows them.
var shKeywords = map[string]bool{
	"if": true, "then": true, "else": true, "elif": true, "fi": true, "do": true, "done": true,
	"while": true, "until": true, "{": true, "}": true, "!": true, "time": true, "esac": true,
}

// operators of each dialect, longest first.
var operators = [...][]string{
	Sh:         {"&&", "||", ";;", "<<<", "<<-", "<<", ">>", ">&", "&>", ">|", "<&", "<>", "|", "&", ";", "(", ")", ">", "<"},
	Bat:        {"&&", "||", ">>", ">&", "<&", "|", "&", "(", ")", ">", "<"},
	PowerShell: {"&&", "||", "*>>", "*>", ">>", "2>&1", ">", "<", "|", ";", "(", ")", "{", "}"},
}

// Package expiry knows when secrets stop working and when they were last
// replaced: expiry and rotation dates declared by users (the `secrets:` key of
// the settings file, `# jenkins-oidc-lint: expires=…` annotations beside a
// credential), and expiry read from the material itself (X.509 certificates
// by notAfter, in PEM or in a PKCS#12 keystore that is not password-protected;
// JWTs by exp). It also holds the run's clock: every judgement takes "now"
// from Settings, so a run is reproducible with --now.
//
// Nothing here ever returns a secret value: materials are described by what
// is public about them (a certificate's subject and notAfter, a token's
// issuer and exp).
package expiry

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jenkins-oidc-lint/jenkins-oidc-lint/report"
)

// DefaultWindow is the default --expiry-window: secret-expiring warns this
// long before a secret expires.
const DefaultWindow = 30 * 24 * time.Hour

// Day is 24 hours: ages and windows are counted in days.
const Day = 24 * time.Hour

// Settings are what the rules and the inventory need to judge secrets over
// time. The zero value is usable: the clock is time.Now, the window 30 days,
// nothing is declared and git is not asked.
type Settings struct {
	// Now is the run's "now" (--now); zero means the wall clock.
	Now time.Time
	// Window is how long before its expiry a secret is reported
	// (--expiry-window); zero means DefaultWindow.
	Window time.Duration
	// MaxAge is the largest age of a secret since its last rotation
	// (--max-secret-age); zero means none unless declared per secret.
	MaxAge time.Duration
	// Declared are the settings file's `secrets:` entries.
	Declared []Declared
	// LineChanged tells the last commit that changed a line of a file, by
	// the path and 1-based line people see (a container's for embedded
	// JCasC); nil when git is not asked (--no-git, not a work tree).
	LineChanged func(path string, line int) (Change, bool)
}

// Clock is the run's "now".
func (s Settings) Clock() time.Time {
	if s.Now.IsZero() {
		return time.Now()
	}
	return s.Now
}

// ExpiryWindow is Window or its default.
func (s Settings) ExpiryWindow() time.Duration {
	if s.Window <= 0 {
		return DefaultWindow
	}
	return s.Window
}

// Lookup finds the declared entry of a secret ID.
func (s Settings) Lookup(id string) (Declared, bool) {
	for _, d := range s.Declared {
		if d.ID == id {
			return d, true
		}
	}
	return Declared{}, false
}

// Declared is one entry of the settings file's `secrets:` list: what a user
// knows of a secret that the files do not say.
type Declared struct {
	// ID names the secret: a credential ID, or RealmClientSecret /
	// RealmEscapeHatchSecret.
	ID string
	// Expires is when the secret stops working (zero: not declared).
	Expires time.Time
	// Rotated is when it was last replaced (zero: not declared).
	Rotated time.Time
	// MaxAge is how long it may live between rotations (zero: not declared).
	MaxAge time.Duration
	// Pos is the entry in the settings file.
	Pos report.Position
}

// The IDs that name the realm's own secrets in `secrets:` entries and in the
// inventory (credentials go by their JCasC id).
const (
	RealmClientSecret      = "oic.clientSecret"
	RealmEscapeHatchSecret = "oic.escapeHatchSecret"
)

// Change is the last commit that changed a line.
type Change struct {
	Commit string    // full object name
	Date   time.Time // the commit's committer date
	// Uncommitted is set when the line differs from the committed file
	// (Commit and Date are then zero).
	Uncommitted bool
}

// Short is the commit's abbreviated name.
func (c Change) Short() string {
	if len(c.Commit) > 12 {
		return c.Commit[:12]
	}
	return c.Commit
}

// ParseDate reads a date as users write it: 2027-03-01 (midnight UTC), or an
// RFC 3339 time (2027-03-01T12:00:00Z).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	// yaml.v3 writes an unquoted timestamp back like this
	if t, err := time.Parse("2006-01-02 15:04:05 -0700 MST", s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date: write YYYY-MM-DD or an RFC 3339 time (2027-03-01T12:00:00Z)", s)
}

// ParseAge reads an age or a window: a number of days, weeks or years
// (90d, 12w, 1y: a year is 365 days), or a Go duration (36h, 90m). A bare
// number is days.
func ParseAge(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	bad := fmt.Errorf("%q is not an age: write days, weeks or years (90d, 12w, 1y) or hours (36h)", s)
	if t == "" {
		return 0, bad
	}
	unit := Day
	num := t
	switch {
	case strings.HasSuffix(t, "d"):
		num = t[:len(t)-1]
	case strings.HasSuffix(t, "w"):
		num, unit = t[:len(t)-1], 7*Day
	case strings.HasSuffix(t, "y"):
		num, unit = t[:len(t)-1], 365*Day
	case strings.HasSuffix(t, "h") || strings.HasSuffix(t, "m") || strings.HasSuffix(t, "s"):
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			return 0, bad
		}
		return d, nil
	}
	n, err := strconv.Atoi(num)
	if err != nil || n <= 0 || n > 100*365 {
		return 0, bad
	}
	return time.Duration(n) * unit, nil
}

// FormatAge writes an age in whole days ("90 days", "1 day"), or hours when
// under a day.
func FormatAge(d time.Duration) string {
	if d < Day {
		h := int(d / time.Hour)
		return plural(h, "hour")
	}
	return plural(int(d/Day), "day")
}

// FormatDate writes t as a date, with the time when it is not midnight UTC.
func FormatDate(t time.Time) string {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04 UTC")
}

// DaysBetween counts whole days from a to b (negative when b is before a),
// rounding towards zero.
func DaysBetween(a, b time.Time) int {
	return int(b.Sub(a) / Day)
}

// Status is where a secret stands against its expiry.
type Status int

// Statuses, from Judge.
const (
	Valid    Status = iota // expires after the window
	Expiring               // expires within the window
	Expired                // expired
)

// Judge tells where an expiry at t stands at now with window, and the whole
// days left (negative: days since it expired).
func Judge(t, now time.Time, window time.Duration) (Status, int) {
	switch {
	case !t.After(now):
		return Expired, -int(now.Sub(t) / Day)
	case t.Sub(now) <= window:
		return Expiring, int(t.Sub(now) / Day)
	}
	return Valid, int(t.Sub(now) / Day)
}

// When words a judgement for a message: "in 12 days", "today", "12 days ago".
func When(st Status, days int) string {
	switch {
	case st == Expired && days == 0:
		return "today"
	case st == Expired:
		return plural(-days, "day") + " ago"
	case days == 0:
		return "in less than a day"
	}
	return "in " + plural(days, "day")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

package source

import "testing"

// TestRenderedIn: a span is rendered when it shares a byte with a range.
func TestRenderedIn(t *testing.T) {
	e := &Embedding{Rendered: [][2]int{{3, 5}, {10, 11}, {20, 30}}}
	for _, tt := range []struct {
		start, end int
		want       bool
	}{
		{0, 3, false}, {0, 4, true}, {4, 5, true}, {5, 10, false}, {5, 11, true},
		{10, 11, true}, {11, 20, false}, {29, 31, true}, {30, 40, false}, {4, 4, false},
	} {
		if got := e.RenderedIn(tt.start, tt.end); got != tt.want {
			t.Errorf("RenderedIn(%d, %d) = %v, want %v", tt.start, tt.end, got, tt.want)
		}
	}
	if !e.RenderedAt(3) || e.RenderedAt(5) || (&Embedding{}).RenderedAt(0) {
		t.Error("RenderedAt")
	}
}

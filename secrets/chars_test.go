package secrets

import (
	"math"
	"strings"
	"testing"
)

func TestEntropy(t *testing.T) {
	naive := func(s string) float64 {
		counts := map[byte]float64{}
		for i := 0; i < len(s); i++ {
			counts[s[i]]++
		}
		h := 0.0
		for _, c := range counts {
			p := c / float64(len(s))
			h -= p * math.Log2(p)
		}
		return h
	}
	g := newGen(17)
	cases := []struct {
		s    string
		want float64
	}{
		{"", 0}, {"aaaa", 0}, {"ab", 1}, {"abcd", 2}, {"0123456789abcdef", 4},
	}
	for _, n := range []int{3, 40, 500, 3000} {
		s := g.str(n, b64)
		cases = append(cases, struct {
			s    string
			want float64
		}{s, naive(s)})
	}
	cases = append(cases, struct {
		s    string
		want float64
	}{strings.Repeat("ab", 2000), 1})
	for _, tc := range cases {
		if got := entropy(tc.s); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("entropy(%.10q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

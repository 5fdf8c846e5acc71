package gzipper_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"chancery/internal/gzipper"
)

// TestSplice: a stream spliced from parts deflated once and parts
// compressed on the way is one valid gzip member (its checksum and
// length checked by the reader) of the parts in order, whatever the
// parts: empty, tiny, large, random, in any mix.
func TestSplice(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
	text := []byte(strings.Repeat("<p>The member states shall cooperate in good faith. Государства-члены сотрудничают.</p>\n", 2000))
	cases := [][]gzipper.Part{
		{},
		{{Plain: []byte("x")}},
		{{Plain: text, Deflated: gzipper.Deflate(text)}},
		{{Plain: []byte("<header>")}, {Plain: text, Deflated: gzipper.Deflate(text)}, {Plain: []byte("</footer>")}},
		{{Plain: nil}, {Plain: []byte{}, Deflated: gzipper.Deflate(nil)}, {Plain: []byte("a")}},
		{{Plain: random(70000), Deflated: nil}, {Plain: text[:1000], Deflated: gzipper.Deflate(text[:1000])}, {Plain: random(3)}},
	}
	rnd := random(100000)
	cases = append(cases, []gzipper.Part{{Plain: rnd, Deflated: gzipper.Deflate(rnd)}, {Plain: text}, {Plain: rnd, Deflated: gzipper.Deflate(rnd)}})
	for i, parts := range cases {
		var want []byte
		for _, p := range parts {
			want = append(want, p.Plain...)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gzipper.Splice(parts)))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("case %d: %d bytes read, want %d", i, len(got), len(want))
		}
	}
	// A part deflated once is spliced as it is: the stream holds its bytes.
	d := gzipper.Deflate(text)
	if s := gzipper.Splice([]gzipper.Part{{Plain: []byte("a")}, {Plain: text, Deflated: d}}); !bytes.Contains(s, d) {
		t.Errorf("the deflated part is not in the stream as it was given")
	}
}

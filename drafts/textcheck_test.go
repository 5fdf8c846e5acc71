package drafts

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sameVerdict fails t unless acceptable, the quick check, and
// firstProblem, the rune-by-rune one, agree on s.
func sameVerdict(t *testing.T, s string) {
	t.Helper()
	quick, slow := acceptable(s), firstProblem(s)
	if quick != (slow == nil) {
		t.Fatalf("%q: acceptable says %v, rune by rune: %v", s, quick, slow)
	}
}

// TestQuickCheckAgrees: the quick check accepts exactly the texts the
// rune-by-rune check accepts: every character of the ranges around the
// refused ones, at every position within eight bytes, every byte that
// cannot stand alone in UTF-8, the forum's texts, and random mixes of
// the bytes that matter.
func TestQuickCheckAgrees(t *testing.T) {
	var runes []rune
	for r := rune(0); r < 0x800; r++ {
		runes = append(runes, r)
	}
	for r := rune(0x2000); r < 0x2100; r++ {
		runes = append(runes, r)
	}
	runes = append(runes, 0xfeff, 0xfffd, 0x10ffff, 'ж', '«')
	for _, r := range runes {
		for pad := range 10 {
			sameVerdict(t, strings.Repeat("a", pad)+string(r)+"bcdefghij")
			sameVerdict(t, strings.Repeat("я", pad)+string(r))
		}
	}
	for b := 0x80; b < 0x100; b++ {
		for pad := range 10 {
			sameVerdict(t, strings.Repeat("a", pad)+string([]byte{byte(b)})+"bcdefghij")
		}
	}
	// Sequences cut short and the bytes just past the refused ranges.
	for _, s := range []string{"\xc2", "\xe2", "\xe2\x80", "\xe2\x81", "x\xe2\x80\xa9", "x\xe2\x80\xaf", "x\xe2\x81\xa5", "x\xe2\x81\xaa", "x\xc2\x9f", "x\xc2\xa0"} {
		sameVerdict(t, s)
		sameVerdict(t, "12345678"+s)
	}
	files, err := filepath.Glob("../internal/corpus/*.txt")
	if err != nil || len(files) < 5 {
		t.Fatalf("corpus: %d files, %v", len(files), err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !acceptable(string(b)) {
			t.Errorf("%s refused", f)
		}
		sameVerdict(t, string(b))
	}
	alphabet := []string{"a", " ", "\n", "\r", "\t", "\x00", "\x1f", "\x7f", "\xc2\x85", "\xc2\xa0", "\u202a", "\u202e", "\u2066", "\u2069", "\u2014", "«", "я", "\xff", "\xe2", "\x80"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(24) {
			if rng.IntN(4) == 0 {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			} else {
				b.WriteByte('a')
			}
		}
		sameVerdict(t, b.String())
	}
}

func FuzzQuickCheck(f *testing.F) {
	for _, s := range []string{"", "1. Text.\n", "\u202a", "a\x00", "Статья 1. «Текст»\u2014", "\xc2\x9f", "\xed\xa0\x80"} {
		f.Add(s)
	}
	f.Fuzz(sameVerdict)
}

func BenchmarkCheckText(b *testing.B) {
	for _, name := range []string{"rules-of-procedure.txt", "rules-of-procedure.ru.txt"} {
		text, err := os.ReadFile(filepath.Join("..", "internal", "corpus", name))
		if err != nil {
			b.Fatal(err)
		}
		s := strings.Repeat(string(text)+"\n\n", max(1, 150_000/len(text)))
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			for b.Loop() {
				if err := CheckText(s, Limits{MaxBytes: 1 << 30}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

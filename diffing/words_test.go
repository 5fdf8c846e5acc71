package diffing_test

import (
	fixtures "chancery/internal/corpus"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"chancery/diffing"
	"chancery/drafts"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// render shows segments as [-deleted-] and {+inserted+}.
func render(segs []drafts.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		switch s.Op {
		case drafts.SegDelete:
			b.WriteString("[-" + s.Text + "-]")
		case drafts.SegInsert:
			b.WriteString("{+" + s.Text + "+}")
		default:
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// sides rebuilds the two texts of a word diff.
func sides(segs []drafts.Segment) (old, new string) {
	var o, n strings.Builder
	for _, s := range segs {
		switch s.Op {
		case drafts.SegEqual:
			o.WriteString(s.Text)
			n.WriteString(s.Text)
		case drafts.SegDelete:
			o.WriteString(s.Text)
		case drafts.SegInsert:
			n.WriteString(s.Text)
		}
	}
	return o.String(), n.String()
}

// checkSegments fails unless segs rebuild old and new exactly, are not
// empty, and no two neighbours share an operation.
func checkSegments(tb testing.TB, segs []drafts.Segment, old, new string) {
	tb.Helper()
	gotOld, gotNew := sides(segs)
	if gotOld != old {
		tb.Fatalf("equal+delete segments give %q, want %q", gotOld, old)
	}
	if gotNew != new {
		tb.Fatalf("equal+insert segments give %q, want %q", gotNew, new)
	}
	for i, s := range segs {
		if s.Text == "" {
			tb.Fatalf("segment %d is empty", i)
		}
		if i > 0 && segs[i-1].Op == s.Op {
			tb.Fatalf("segments %d and %d are both %s", i-1, i, s.Op)
		}
		switch s.Op {
		case drafts.SegEqual, drafts.SegDelete, drafts.SegInsert:
		default:
			tb.Fatalf("segment %d has op %q", i, s.Op)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"same", "The Member States agree.", "The Member States agree.", "The Member States agree."},
		{"empty", "", "", ""},
		{"from empty", "", "New text.", "{+New text.+}"},
		{"to empty", "Old text.", "", "[-Old text.-]"},
		{"one word", "All decisions shall be taken by consensus.", "All decisions must be taken by consensus.",
			"All decisions [-shall-]{+must+} be taken by consensus."},
		{"insert word", "The Senior Officials Committee shall prepare", "The Senior Officials Committee shall promptly prepare",
			"The Senior Officials Committee shall {+promptly +}prepare"},
		{"delete word", "reviewed every four years", "reviewed every years",
			"reviewed every [-four -]years"},
		{"spelling inside a word", "a full-fledged international organisation.", "a full-fledged international organization.",
			"a full-fledged international organi[-s-]{+z+}ation."},
		{"capital inside a word", "the Member States", "the member States",
			"the [-M-]{+m+}ember States"},
		{"plural", "the decision of the Summit", "the decisions of the Summit",
			"the decision{+s+} of the Summit"},
		{"different words stay whole", "The Chairmanship shall circulate", "The Chairmanship should circulate",
			"The Chairmanship [-shall-]{+should+} circulate"},
		{"numbers stay whole", "not later than 2023", "not later than 2024",
			"not later than [-2023-]{+2024+}"},
		{"punctuation is a token", "the Member States, the observers", "the Member States; the observers",
			"the Member States[-,-]{+;+} the observers"},
		{"phrase", "by a silence procedure of seventy-two hours", "by a written procedure of forty-eight hours",
			"by a [-silence-]{+written+} procedure of [-seventy-two-]{+forty-eight+} hours"},
		{"rewrite", "the big red dog barked loudly", "a small blue cat slept quietly",
			"[-the big red dog barked loudly-]{+a small blue cat slept quietly+}"},
		{"cyrillic words", "Государства-члены согласны с Дорожной картой.", "Государства-члены договорились о Дорожной карте.",
			"Государства-члены [-согласны с-]{+договорились о+} Дорожной [-картой-]{+карте+}."},
		{"cyrillic inside a word", "международной организации", "международной организацыи",
			"международной организац[-и-]{+ы+}и"},
		{"han characters", "会议决定成立秘书处", "会议同意成立秘书处",
			"会议[-决定-]{+同意+}成立秘书处"},
		{"line breaks", "first line\nsecond line", "first line\nthird line",
			"first line\n[-second-]{+third+} line"},
		{"unchanged word between insertions", "The Member States reaffirm", "The Member States again reaffirm strong",
			"The Member States {+again +}reaffirm{+ strong+}"},
		{"unchanged word between replacements", "shall promptly review the text", "should promptly revise the text",
			"[-shall-]{+should+} promptly [-review-]{+revise+} the text"},
		{"short word kept between long changes", "the Senior Officials Committee of the Conference", "the Special Working Group of the Summit",
			"the [-Senior Officials Committee-]{+Special Working Group+} of the [-Conference-]{+Summit+}"},
		{"hyphenated word", "of seventy-two hours", "of forty-eight hours",
			"of [-seventy-two-]{+forty-eight+} hours"},
		{"comma kept between changes", "red, blue", "green, yellow",
			"[-red-]{+green+}, [-blue-]{+yellow+}"},
		{"deleted full stop", "the text. It", "the text It",
			"the text[-.-] It"},
	}
	d := diffing.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs, coarse := d.Words(tt.old, tt.new)
			checkSegments(t, segs, tt.old, tt.new)
			if coarse {
				t.Errorf("coarse = true, want false")
			}
			if got, want := render(segs), tt.want; got != want {
				t.Errorf("Words(%q, %q)\n got %s\nwant %s", tt.old, tt.new, got, want)
			}
		})
	}
}

func TestWordsWholeWords(t *testing.T) {
	d := diffing.New()
	d.WholeWords = true
	segs, _ := d.Words("an international organisation.", "an international organization.")
	if got, want := render(segs), "an international [-organisation-]{+organization+}."; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestWordsZeroValue checks that a zero Differ works with the defaults.
func TestWordsZeroValue(t *testing.T) {
	var d diffing.Differ
	segs, coarse := d.Words("shall be taken", "must be taken")
	if got, want := render(segs), "[-shall-]{+must+} be taken"; got != want || coarse {
		t.Errorf("got %s (coarse %v), want %s", got, coarse, want)
	}
}

func TestWordsInvalidUTF8(t *testing.T) {
	old, new := "a\xffb c\xc3", "a\xfeb c\xc3\xa9 \x80"
	segs, _ := diffing.New().Words(old, new)
	checkSegments(t, segs, old, new)
}

// TestWordsMaxTokens checks that a diff over the size limit is one deletion
// and one insertion of the changed middle, and says so.
func TestWordsMaxTokens(t *testing.T) {
	d := diffing.New()
	d.MaxTokens = 10
	old := "Keep this. one two three four five six. Keep that."
	new := "Keep this. one 2 three 4 five 6. Keep that."
	segs, coarse := d.Words(old, new)
	checkSegments(t, segs, old, new)
	if !coarse {
		t.Errorf("coarse = false, want true")
	}
	if got, want := render(segs), "Keep this. one [-two three four five six-]{+2 three 4 five 6+}. Keep that."; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// Under the limit, the same texts are diffed word by word.
	d.MaxTokens = 0
	segs, coarse = d.Words(old, new)
	if coarse {
		t.Errorf("with the default limit: coarse = true, want false")
	}
	if got, want := render(segs), "Keep this. one [-two-]{+2+} three [-four-]{+4+} five [-six-]{+6+}. Keep that."; got != want {
		t.Errorf("with the default limit: got %s, want %s", got, want)
	}
}

// TestWordsTimeout checks that a diff that runs out of time is reported as
// coarse and still rebuilds both texts.
func TestWordsTimeout(t *testing.T) {
	old, new := scramble(2000, 1), scramble(2000, 2)
	d := diffing.New()
	d.DiffTimeout = time.Nanosecond
	segs, coarse := d.Words(old, new)
	checkSegments(t, segs, old, new)
	if !coarse {
		t.Errorf("coarse = false after a 1ns timeout, want true")
	}
	d.DiffTimeout = time.Minute
	segs, coarse = d.Words(old, new)
	checkSegments(t, segs, old, new)
	if coarse {
		t.Errorf("coarse = true with a minute, want false")
	}
}

// scramble returns n random words of a small vocabulary.
func scramble(n int, seed uint64) string {
	vocab := strings.Fields("the of and Member States shall Conference Asia peace security cooperation dialogue")
	r := rand.New(rand.NewPCG(seed, seed))
	words := make([]string, n)
	for i := range words {
		words[i] = vocab[r.IntN(len(vocab))]
	}
	return strings.Join(words, " ")
}

// corpus returns the texts of the test corpus by file name.
func corpus(tb testing.TB) map[string]string {
	tb.Helper()
	return fixtures.All()
}

// editWords makes n random word edits (replace, insert, delete) to s.
func editWords(r *rand.Rand, s string, n int) string {
	words := strings.SplitAfter(s, " ")
	vocab := []string{"shall ", "may ", "Member ", "organization ", "régional ", "Совещание ", "会议 ", "(new) ", "2024 ", ", "}
	for ; n > 0 && len(words) > 0; n-- {
		i := r.IntN(len(words))
		switch r.IntN(3) {
		case 0:
			words[i] = vocab[r.IntN(len(vocab))]
		case 1:
			words = append(words[:i], append([]string{vocab[r.IntN(len(vocab))]}, words[i:]...)...)
		default:
			words = append(words[:i], words[i+1:]...)
		}
	}
	return strings.Join(words, "")
}

// TestWordsCorpus diffs every corpus text against random word edits of it:
// the segments rebuild both texts, the diff is not coarse, and it changes
// no more than the edits did.
func TestWordsCorpus(t *testing.T) {
	d := diffing.New()
	r := rand.New(rand.NewPCG(7, 7))
	for name, text := range corpus(t) {
		t.Run(name, func(t *testing.T) {
			for k := 0; k < 20; k++ {
				edits := 1 + r.IntN(8)
				new := editWords(r, text, edits)
				segs, coarse := d.Words(text, new)
				checkSegments(t, segs, text, new)
				if coarse {
					t.Errorf("edit %d: coarse = true, want false", k)
				}
				changed := 0
				for _, s := range segs {
					if s.Op != drafts.SegEqual {
						changed += utf8.RuneCountInString(s.Text)
					}
				}
				// Each edit changes at most a word of ~20 characters on
				// each side; the semantic cleanup may widen a change to
				// the words around it, but not to the whole text.
				if limit := edits * 200; changed > limit {
					t.Errorf("edit %d: %d characters changed for %d word edits", k, changed, edits)
				}
			}
		})
	}
}

// TestWordsMarkOnlyChangedWords makes scattered word edits, at least one
// unchanged word apart, in sentences of the corpus, and checks that the
// diff marks no more words (runs of non-space characters) than the edits
// changed: a word that did not change is never marked.
func TestWordsMarkOnlyChangedWords(t *testing.T) {
	d := diffing.New()
	for seed := uint64(1); seed <= 20; seed++ {
		markOnlyChangedWords(t, d, rand.New(rand.NewPCG(seed, seed)))
	}
}

func markOnlyChangedWords(t *testing.T, d *diffing.Differ, r *rand.Rand) {
	t.Helper()
	vocab := strings.Fields("again strong shall may promptly régional Совещание государств 2024 Việt Қазақстан")
	texts := corpus(t)
	for _, name := range fixtures.Names() {
		text := texts[name]
		for k, sentence := range strings.Split(text, ". ") {
			words := strings.Fields(sentence)
			if len(words) < 6 || k > 40 {
				continue
			}
			old := strings.Join(words, " ")
			var out []string
			edits := 0
			for i := 0; i < len(words); i++ {
				if i%2 == 1 || r.IntN(3) != 0 {
					out = append(out, words[i])
					continue
				}
				edits++
				switch r.IntN(3) {
				case 0: // replace
					out = append(out, vocab[r.IntN(len(vocab))])
				case 1: // insert before
					out = append(out, vocab[r.IntN(len(vocab))], words[i])
				default: // delete
				}
			}
			new := strings.Join(out, " ")
			segs, _ := d.Words(old, new)
			checkSegments(t, segs, old, new)
			marked := markedWords(segs)
			real := changedWords(strings.Fields(old), strings.Fields(new))
			if marked > real {
				t.Errorf("%s: %d words marked changed, %d changed:\n%s", name, marked, real, render(segs))
			}
		}
	}
}

// markedWords counts the words (runs of non-space characters) of the old
// text touched by a deletion and those of the new text touched by an
// insertion.
func markedWords(segs []drafts.Segment) int {
	count := func(keep string) int {
		n, in, marked := 0, false, false
		for _, s := range segs {
			if s.Op != drafts.SegEqual && s.Op != keep {
				continue
			}
			for _, c := range s.Text {
				if c == ' ' || c == '\n' {
					if in && marked {
						n++
					}
					in, marked = false, false
					continue
				}
				in = true
				marked = marked || s.Op == keep
			}
		}
		if in && marked {
			n++
		}
		return n
	}
	return count(drafts.SegDelete) + count(drafts.SegInsert)
}

// changedWords is the fewest words deleted and inserted to turn a into b:
// len(a)+len(b) less twice their longest common subsequence.
func changedWords(a, b []string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] > cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return len(a) + len(b) - 2*prev[len(b)]
}

func TestWordsGolden(t *testing.T) {
	texts := corpus(t)
	base := texts["sample-draft-road-map.txt"]
	ru := texts["sample-draft-road-map.ru.txt"]
	if base == "" || ru == "" {
		t.Fatal("no sample draft in the corpus")
	}
	para := func(s string, n int) string { return strings.Split(s, "\n\n")[n] }
	cases := []struct{ name, old, new string }{
		{"en-1", para(base, 1), strings.NewReplacer("sovereign equality", "the sovereign equality of States", "organization", "organisation").Replace(para(base, 1))},
		{"en-7", para(base, 13), strings.NewReplacer("seventy-two", "ninety-six", "breaks silence in writing", "breaks silence").Replace(para(base, 13))},
		{"en-rewrite", para(base, 4), "3. The Special Working Group shall draft the Charter, taking into account the Almaty Act."},
		{"ru-1", para(ru, 1), strings.NewReplacer("суверенного равенства", "суверенного равенства государств", "организацию", "организацию (CICA)").Replace(para(ru, 1))},
	}
	var b strings.Builder
	d := diffing.New()
	for _, c := range cases {
		segs, coarse := d.Words(c.old, c.new)
		checkSegments(t, segs, c.old, c.new)
		if coarse {
			t.Errorf("%s: coarse", c.name)
		}
		b.WriteString("== " + c.name + "\n" + render(segs) + "\n")
	}
	golden(t, "words.golden", b.String())
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(tb testing.TB, name, got string) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		tb.Errorf("%s differs (run go test -update to accept):\n got:\n%s\nwant:\n%s", path, got, want)
	}
}

func FuzzWords(f *testing.F) {
	f.Add("The Member States agree.", "The member States shall agree;")
	f.Add("организации", "организацыи")
	f.Add("会议决定", "会议同意 x")
	f.Add("a\xffb", "a\xfe\xc3")
	f.Add("", "x")
	f.Add("line one\n\nline two", "line two\r\nline one")
	whole := diffing.New()
	whole.WholeWords = true
	differs := []*diffing.Differ{diffing.New(), whole}
	f.Fuzz(func(t *testing.T, old, new string) {
		for _, d := range differs {
			segs, coarse := d.Words(old, new)
			checkSegments(t, segs, old, new)
			if coarse && len(old)+len(new) < 4000 {
				t.Errorf("coarse diff of %d bytes", len(old)+len(new))
			}
		}
	})
}

// newRand returns a random source seeded from a name.
func newRand(name string) *rand.Rand {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(name); i++ {
		h = (h ^ uint64(name[i])) * 1099511628211
	}
	return rand.New(rand.NewPCG(h, 1))
}

// TestWordsManyRuns checks the cleanup of diffs of many runs, beyond what
// is given to go-diff's quadratic cleanup: words separated by single spaces,
// all replaced, are one change, as they are in a small diff.
func TestWordsManyRuns(t *testing.T) {
	d := diffing.New()
	d.DiffTimeout = 10 * time.Minute // this tests the cleanup, not the time limit
	for _, n := range []int{10, 300, 2500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var o, w []string
			for i := 0; i < n; i++ {
				o = append(o, fmt.Sprintf("old%d", i))
				w = append(w, fmt.Sprintf("new%d", i))
			}
			old := "Keep. " + strings.Join(o, " ") + " Keep."
			new := "Keep. " + strings.Join(w, " ") + " Keep."
			segs, coarse := d.Words(old, new)
			checkSegments(t, segs, old, new)
			if coarse {
				t.Fatal("coarse")
			}
			if got, want := len(segs), 4; got != want {
				t.Fatalf("%d segments, want %d (equal, delete, insert, equal): %.200s", got, want, render(segs))
			}
		})
	}
	// Alternate changes and equalities longer than them stay apart.
	var o, w strings.Builder
	for i := 0; i < 3000; i++ {
		fmt.Fprintf(&o, "same words here old%d ", i)
		fmt.Fprintf(&w, "same words here new%d ", i)
	}
	segs, coarse := d.Words(o.String(), w.String())
	checkSegments(t, segs, o.String(), w.String())
	if got, want := len(segs), 1+3*3000; got != want || coarse {
		t.Errorf("%d segments (coarse %v), want %d", got, coarse, want)
	}
}

// TestWordsManyDistinctTokens diffs texts of more distinct tokens than
// there are runes below the surrogates (U+D800), which the token encoding
// must skip.
func TestWordsManyDistinctTokens(t *testing.T) {
	words := make([]string, 60000)
	for i := range words {
		words[i] = fmt.Sprintf("w%d", i)
	}
	body := strings.Join(words, " ")
	old, new := "Alpha "+body+" Omega", "Beta "+body+" Psi"
	d := diffing.New()
	d.MaxTokens = 1 << 20 // 240,004 tokens
	// The time budget is the default's concern, not this test's: on a
	// loaded machine 2 s may pass before the diff is done.
	d.DiffTimeout = 10 * time.Minute
	segs, coarse := d.Words(old, new)
	checkSegments(t, segs, old, new)
	if coarse {
		t.Fatal("coarse")
	}
	if got, want := len(segs), 5; got != want {
		t.Fatalf("%d segments, want %d", got, want)
	}
	if got, want := render([]drafts.Segment{segs[0], segs[1], segs[3], segs[4]}), "[-Alpha-]{+Beta+}[-Omega-]{+Psi+}"; got != want {
		t.Errorf("changes %s, want %s", got, want)
	}
}

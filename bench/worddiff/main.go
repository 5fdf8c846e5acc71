// Command worddiff measures how faithfully word diffs mark changes: it
// makes scattered word edits (replace, insert, delete, each at least one
// unchanged word from the next) in the sentences of the test corpus, writes
// the old and new sentences one per line to two files, and counts, for
// Chancery's word diff and for `git diff --no-index --word-diff=porcelain`
// on the same files, the words (runs of non-space characters) marked
// changed: the old words touched by a deletion and the new words touched by
// an insertion. It prints each count divided by the words really changed
// (a replacement changes two words, an insertion or a deletion one).
// 1.00 is a diff that marks exactly what changed; above 1.00, unchanged
// words were marked.
//
//	go run ./bench/worddiff [-seed 1] [-rounds 5] [-git git]
//
// bench/worddiff/run.sh runs it.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/corpus"
)

// vocabulary of words put in by the edits: none of them is in the corpus
// sentences as written (checked), in Latin and Cyrillic scripts.
var vocabulary = strings.Fields(`again strongly promptly jointly duly regional universal
	Қазақстан Việt Türkiye Azərbaycan Тоҷикистон Кыргызстан Монгол
	вновь совместно незамедлительно`)

// pair is one sentence before and after its edits.
type pair struct {
	old, new []string
	real     int // words really changed
}

func main() {
	seed := flag.Uint64("seed", 1, "seed of the random edits")
	rounds := flag.Int("rounds", 5, "edited copies of each sentence")
	gitBin := flag.String("git", "git", "the git binary")
	flag.Parse()
	if err := run(*seed, *rounds, *gitBin); err != nil {
		fmt.Fprintln(os.Stderr, "worddiff:", err)
		os.Exit(1)
	}
}

func run(seed uint64, rounds int, gitBin string) error {
	r := rand.New(rand.NewPCG(seed, seed))
	var pairs []pair
	for _, name := range corpus.Names() {
		text, err := corpus.Text(name)
		if err != nil {
			return err
		}
		for _, s := range sentences(text) {
			for k := 0; k < rounds; k++ {
				if p, ok := edit(r, s); ok {
					pairs = append(pairs, p)
				}
			}
		}
	}
	dir, err := os.MkdirTemp("", "worddiff")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var oldF, newF bytes.Buffer
	real := 0
	for _, p := range pairs {
		oldF.WriteString(strings.Join(p.old, " ") + "\n")
		newF.WriteString(strings.Join(p.new, " ") + "\n")
		real += p.real
	}
	oldPath, newPath := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")
	if err := os.WriteFile(oldPath, oldF.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(newPath, newF.Bytes(), 0o644); err != nil {
		return err
	}

	// Chancery: each sentence diffed as a provision's text is.
	d := diffing.New()
	chancery, worse := 0, 0
	for _, p := range pairs {
		segs, _ := d.Words(strings.Join(p.old, " "), strings.Join(p.new, " "))
		n := markedWords(segs)
		chancery += n
		if n > p.real {
			worse++
			if worse <= 3 {
				fmt.Fprintf(os.Stderr, "marks %d words for %d changed:\n  %s\n", n, p.real, show(segs))
			}
		}
	}

	// git, on the two files.
	cmd := exec.Command(gitBin, "diff", "--no-index", "--no-color", "--word-diff=porcelain", "--unified=0", oldPath, newPath)
	out, err := cmd.Output()
	if err != nil && cmd.ProcessState.ExitCode() != 1 { // 1: the files differ
		return fmt.Errorf("git diff: %v", err)
	}
	git := gitMarked(out)

	fmt.Printf("sentences edited: %d (%d rounds of each corpus sentence of 8 words or more)\n", len(pairs), rounds)
	fmt.Printf("words really changed: %d\n", real)
	fmt.Printf("%-10s %8s %8s\n", "diff", "marked", "ratio")
	fmt.Printf("%-10s %8d %8.3f\n", "chancery", chancery, float64(chancery)/float64(real))
	fmt.Printf("%-10s %8d %8.3f\n", "git", git, float64(git)/float64(real))
	fmt.Printf("sentences where chancery marks an unchanged word: %d\n", worse)
	return nil
}

// sentences splits a text into sentences of at least 8 words, as lists of
// words.
func sentences(text string) [][]string {
	var out [][]string
	for _, para := range strings.Split(text, "\n") {
		for _, s := range strings.SplitAfter(para, ". ") {
			if w := strings.Fields(s); len(w) >= 8 {
				out = append(out, w)
			}
		}
	}
	return out
}

// edit makes 1 to 4 edits in s, each on a word at least one unchanged word
// away from the last edited one.
func edit(r *rand.Rand, s []string) (pair, bool) {
	for _, v := range vocabulary {
		for _, w := range s {
			if w == v {
				return pair{}, false
			}
		}
	}
	p := pair{old: s}
	want := 1 + r.IntN(4)
	gap := len(s) / want
	for i := 0; i < len(s); i++ {
		if want == 0 || r.IntN(max(gap, 2)) != 0 {
			p.new = append(p.new, s[i])
			continue
		}
		want--
		word := vocabulary[r.IntN(len(vocabulary))]
		switch r.IntN(3) {
		case 0: // replace
			p.new = append(p.new, word)
			p.real += 2
		case 1: // insert before
			p.new = append(p.new, word, s[i])
			p.real++
		default: // delete
			p.real++
		}
		// Keep the next word unchanged.
		if i+1 < len(s) {
			i++
			p.new = append(p.new, s[i])
		}
	}
	return p, p.real > 0
}

// markedWords counts the old words touched by a deletion and the new words
// touched by an insertion.
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

// gitMarked counts the words git's porcelain word diff marks: on each line
// of the files, the old words touched by a "-" run and the new words touched
// by a "+" run.
func gitMarked(out []byte) int {
	total := 0
	var oldLine, newLine []wordRun
	flush := func() {
		total += countRuns(oldLine) + countRuns(newLine)
		oldLine, newLine = nil, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	inHunk := false
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "@@"):
			flush()
			inHunk = true
		case !inHunk || l == "":
		case l[0] == '~':
			flush()
		case l[0] == ' ':
			oldLine = append(oldLine, wordRun{l[1:], false})
			newLine = append(newLine, wordRun{l[1:], false})
		case l[0] == '-':
			oldLine = append(oldLine, wordRun{l[1:], true})
		case l[0] == '+':
			newLine = append(newLine, wordRun{l[1:], true})
		}
	}
	flush()
	return total
}

// wordRun is a run of a line of git's porcelain word diff, and whether
// it is marked deleted or inserted.
type wordRun struct {
	text   string
	marked bool
}

// countRuns counts the words of a line touched by a marked run.
func countRuns(rs []wordRun) int {
	n, in, marked := 0, false, false
	for _, r := range rs {
		for _, c := range r.text {
			if c == ' ' || c == '\t' {
				if in && marked {
					n++
				}
				in, marked = false, false
				continue
			}
			in = true
			marked = marked || r.marked
		}
	}
	if in && marked {
		n++
	}
	return n
}

// show writes segments as [-deleted-]{+inserted+}.
func show(segs []drafts.Segment) string {
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

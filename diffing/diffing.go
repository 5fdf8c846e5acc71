// Package diffing implements drafts.Differ with github.com/sergi/go-diff:
// word-level tracked diffs of provision texts, provision diffs matched by
// stable id, alignment of an edited text to its base, and a three-way merge
// over words.
//
// Texts are split into tokens: words (runs of letters, digits and combining
// marks, in any script), runs of white space, and single punctuation or
// symbol characters; in scripts written without spaces (Han, Kana, Thai,
// Lao, Khmer, Myanmar) each character is a token. Each distinct token that
// is not white space is mapped to one rune (above Latin-1, skipping the
// surrogates) and go-diff's Myers diff runs over those runes: a minimal
// diff of the words and punctuation, in which a word that did not change is
// never marked changed. White space follows the words it stands between.
// go-diff's semantic cleanup is not used, since it swallows unchanged words
// between changes; instead two changes separated by white space alone (or
// inside one run of non-space characters) are shown as one, and a pure
// insertion or deletion is placed where it does not begin with a space. A
// replacement of one word by a close spelling of it ("organisation" →
// "organization") is shown character by character unless
// Differ.WholeWords is set; renderers for people show the whole word.
//
// go-diff gives up silently when its time runs out and returns a coarse
// diff; this package measures the time itself and reports such a diff as
// coarse, never as a word-level one, and it caps the size of a diff
// (Differ.MaxTokens). It never uses go-diff's Patch functions, which panic
// or go wrong on multi-byte text.
//
// A Differ made by New remembers its exact word diffs and merges, by the
// content of their texts, in a bounded memo: the service diffs the same
// proposals again on each new version, and most of their pairs of texts
// did not change.
package diffing

import (
	"time"

	"chancery/drafts"
)

// Defaults of a Differ, used by New and wherever a field is zero.
const (
	// DefaultDiffTimeout bounds the word diffing of one call.
	DefaultDiffTimeout = 2 * time.Second
	// DefaultMaxTokens bounds the tokens (old and new together) of the
	// changed middle of one word diff.
	DefaultMaxTokens = 200000
	// DefaultAlignThreshold is the least similarity (Jaccard index of the
	// two provisions' sets of words) for Align to match an edited provision
	// to a base provision whose text differs.
	DefaultAlignThreshold = 0.5
)

// Differ implements drafts.Differ. It is safe for concurrent use.
//
// A Differ made by New remembers the exact word diffs and merges it made,
// by the content of their texts, in a memo of at most DefaultMemoBytes
// (see memo): a pair diffed again, as the service does when it compiles
// the same proposals on each new version, costs a hash and a copy. Copies
// of that Differ share its memo. The zero value is usable and gives the
// same results as New(), but remembers nothing: every diff is made anew.
type Differ struct {
	// DiffTimeout bounds the time spent in word diffs by one call of Words,
	// Provisions or Merge3 (Provisions shares it among all its provisions).
	// A diff that runs out of time is reported as coarse. Zero or less
	// means DefaultDiffTimeout.
	DiffTimeout time.Duration

	// MaxTokens bounds the size of one word diff: when the changed middle
	// of the two texts (what remains once their common leading and trailing
	// tokens are set aside) has more tokens than this, it is shown as one
	// deletion and one insertion and the diff is coarse. Zero or less means
	// DefaultMaxTokens.
	MaxTokens int

	// WholeWords, when true, never shows a change inside a word. By
	// default a replacement of a single word by a close spelling of it
	// (e.g. "organisation" → "organization", "Member" → "member") is shown
	// character by character.
	WholeWords bool

	// AlignThreshold is the least similarity, between 0 and 1, for Align to
	// match provisions whose texts differ. Zero or less means
	// DefaultAlignThreshold.
	AlignThreshold float64

	// memo, when not nil, remembers exact word diffs and merges.
	memo *memo
}

var _ drafts.Differ = (*Differ)(nil)

// New returns a Differ with the default settings: DiffTimeout
// DefaultDiffTimeout (2s), MaxTokens DefaultMaxTokens (200,000), character
// changes shown inside a changed word, AlignThreshold DefaultAlignThreshold
// (0.5), and a memo of word diffs and merges of at most DefaultMemoBytes
// (4 MB).
func New() *Differ {
	return &Differ{
		DiffTimeout:    DefaultDiffTimeout,
		MaxTokens:      DefaultMaxTokens,
		AlignThreshold: DefaultAlignThreshold,
		memo:           newMemo(DefaultMemoBytes),
	}
}

func (d *Differ) timeout() time.Duration {
	if d.DiffTimeout <= 0 {
		return DefaultDiffTimeout
	}
	return d.DiffTimeout
}

func (d *Differ) maxTokens() int {
	if d.MaxTokens <= 0 {
		return DefaultMaxTokens
	}
	return d.MaxTokens
}

func (d *Differ) alignThreshold() float64 {
	if d.AlignThreshold <= 0 {
		return DefaultAlignThreshold
	}
	return d.AlignThreshold
}

// budget is the time left to the word diffs of one call.
type budget struct {
	deadline time.Time
}

func (d *Differ) newBudget() *budget {
	return &budget{deadline: time.Now().Add(d.timeout())}
}

// left returns the time left, zero or less when it has run out.
func (b *budget) left() time.Duration {
	return time.Until(b.deadline)
}

package diffing

import (
	"crypto/sha256"
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"chancery/drafts"
)

// DefaultMemoBytes bounds the memory of the memo of a Differ made by New:
// the text of the segments and merges it keeps, a segment's header for
// each segment and twice an entry's key and value in its map for each
// entry. After a merge the service's 230 proposals on a text of 150
// provisions keep about 1 KB each, so 4 MB holds a few such trails.
const DefaultMemoBytes = 4 << 20

// A memo remembers exact word diffs and merges by the content of their
// texts, so that a pair diffed again (the same proposals compiled on the
// next version) costs a hash and a copy. It is safe for concurrent use.
//
// Its entries live in two generations: new entries, and entries found in
// the older generation, go into the current one; when the current one
// would pass half the bound it becomes the older one and the older one is
// dropped. Each generation counts at most half the bound, so the memo holds
// at most its bound; an entry used once per generation stays.
//
// A key is the SHA-256 of the kind of result and the texts, each prefixed
// with its length: two different inputs giving one key would be a SHA-256
// collision. Only exact results are kept: a coarse one depends on the time
// and tokens left to its call. An exact one depends on the texts and on
// WholeWords alone (DiffTimeout and MaxTokens decide only whether a diff is
// coarse), so WholeWords is the one setting in the key.
type memo struct {
	half int // bytes a generation may count

	mu                 sync.Mutex
	cur, old           map[memoKey]memoEntry
	curBytes, oldBytes int
	hits               int
}

type memoKey [sha256.Size]byte

// Kinds of results, the first byte hashed in a key.
const (
	kindWords      byte = 'w' // a word diff
	kindWholeWords byte = 'W' // a word diff with WholeWords
	kindMerge      byte = 'm' // a three-way merge
)

// memoEntry is a kept result: a word diff's segments, whose texts share one
// string of their own, or a merge's outcome. It is never changed once kept.
type memoEntry struct {
	segs   []drafts.Segment
	merged string
	ok     bool
	size   int
}

// Sizes counted for an entry: its key and value in the map, twice since a
// map's table may be half empty, and each segment's header.
const (
	entryBytes   = 2 * int(unsafe.Sizeof(memoKey{})+unsafe.Sizeof(memoEntry{}))
	segmentBytes = int(unsafe.Sizeof(drafts.Segment{}))
)

func newMemo(bound int) *memo {
	return &memo{half: bound / 2}
}

// key returns the key of a result of kind on texts. The texts go to the
// hash as they are, not copied into a buffer first: a buffer kept for the
// next key would be memory the memo holds without counting it.
func (m *memo) key(kind byte, texts ...string) memoKey {
	h := sha256.New()
	var n [1 + binary.MaxVarintLen64]byte
	n[0] = kind
	h.Write(n[:1])
	for _, t := range texts {
		h.Write(binary.AppendUvarint(n[:0], uint64(len(t))))
		h.Write(unsafe.Slice(unsafe.StringData(t), len(t))) // read only
	}
	var k memoKey
	h.Sum(k[:0])
	return k
}

// get returns the entry kept under k.
func (m *memo) get(k memoKey) (memoEntry, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.cur[k]
	if !ok {
		if e, ok = m.old[k]; ok {
			m.add(k, e)
		}
	}
	if ok {
		m.hits++
	}
	return e, ok
}

// put keeps e under k, unless it alone would fill a generation.
func (m *memo) put(k memoKey, e memoEntry) {
	if e.size > m.half {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.cur[k]; !ok {
		m.add(k, e)
	}
}

// add puts e in the current generation, starting a new one first if it
// would pass half the bound. An entry moved up from the older generation
// stays counted there too: its memory is freed with that generation only
// if the current one has dropped it as well. m.mu is held.
func (m *memo) add(k memoKey, e memoEntry) {
	if m.cur == nil || m.curBytes+e.size > m.half {
		m.old, m.oldBytes = m.cur, m.curBytes
		m.cur, m.curBytes = make(map[memoKey]memoEntry), 0
	}
	m.cur[k] = e
	m.curBytes += e.size
}

// stats returns the bytes the memo counts, its entries and the lookups it
// answered.
func (m *memo) stats() (bytes, entries, hits int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.curBytes + m.oldBytes, len(m.cur) + len(m.old), m.hits
}

// segmentsEntry returns an entry holding a copy of segs whose texts share
// one new string: it keeps neither the caller's slice, which the caller may
// change, nor the texts diffed, of which the segments may be substrings.
func segmentsEntry(segs []drafts.Segment) memoEntry {
	n := 0
	for _, s := range segs {
		n += len(s.Text)
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range segs {
		b.WriteString(s.Text)
	}
	all := b.String()
	kept := make([]drafts.Segment, len(segs))
	for i, s := range segs {
		kept[i] = drafts.Segment{Op: s.Op, Text: all[:len(s.Text)]}
		all = all[len(s.Text):]
	}
	return memoEntry{segs: kept, size: entryBytes + len(segs)*segmentBytes + n}
}

// mergeEntry returns an entry holding a merge's outcome, a string of its
// own (Merge3 builds it).
func mergeEntry(merged string, ok bool) memoEntry {
	return memoEntry{merged: merged, ok: ok, size: entryBytes + len(merged)}
}

// wordsKind returns the kind of a word diff with w's settings.
func (w *wordDiffer) wordsKind() byte {
	if w.d.WholeWords {
		return kindWholeWords
	}
	return kindWords
}

// memoWords is words, remembered in the Differ's memo when it has one. The
// segments returned are the caller's own.
func (w *wordDiffer) memoWords(old, new string) ([]drafts.Segment, bool) {
	m := w.d.memo
	if m == nil {
		return w.words(old, new)
	}
	k := m.key(w.wordsKind(), old, new)
	if e, ok := m.get(k); ok {
		return slices.Clone(e.segs), false
	}
	segs, coarse := w.words(old, new)
	if !coarse {
		m.put(k, segmentsEntry(segs))
	}
	return segs, coarse
}

package diffing

// NewWithMemo returns a Differ as New makes, with a memo of at most bound
// bytes.
func NewWithMemo(bound int) *Differ {
	d := New()
	d.memo = newMemo(bound)
	return d
}

// MemoStats returns the bytes d's memo counts, its entries and the lookups
// it answered.
func MemoStats(d *Differ) (bytes, entries, hits int) {
	return d.memo.stats()
}

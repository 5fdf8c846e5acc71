package drafts

// Segment operations of a word-level diff.
const (
	SegEqual  = "equal"
	SegInsert = "insert"
	SegDelete = "delete"
)

// Segment is one run of a word-level tracked diff. Delegation and Proposal
// attribute an insertion or deletion to the proposal that made it, where
// that is known.
type Segment struct {
	Op         string `json:"op"`
	Text       string `json:"text"`
	Delegation string `json:"delegation,omitempty"`
	Proposal   string `json:"proposal,omitempty"`
}

// Change kinds of a provision diff.
const (
	ChangeUnchanged  = "unchanged"
	ChangeModified   = "modified"
	ChangeInserted   = "inserted"
	ChangeDeleted    = "deleted"
	ChangeMoved      = "moved"
	ChangeRenumbered = "renumbered"
)

// Change is what happened to one provision between two texts. Kind is the
// main change; Moved, Renumbered and Modified say which of them apply, since
// a provision can be moved, renumbered and edited at once. Changes of a Diff
// come in the new text's order, a deleted provision where it stood in the old
// one.
type Change struct {
	Kind          string `json:"kind"`
	Provision     string `json:"provision"`
	ProvisionKind string `json:"provision_kind"`
	OldNumber     string `json:"old_number,omitempty"`
	Number        string `json:"number,omitempty"`
	OldText       string `json:"old_text,omitempty"`
	Text          string `json:"text,omitempty"`
	// After is the id of the provision this one follows in the new text
	// ("" for the first), for inserted and moved provisions.
	After      string    `json:"after,omitempty"`
	Modified   bool      `json:"modified,omitempty"`
	Moved      bool      `json:"moved,omitempty"`
	Renumbered bool      `json:"renumbered,omitempty"`
	Segments   []Segment `json:"segments,omitempty"`
	// Delegations that made this change, where known.
	Delegations []string `json:"delegations,omitempty"`
	Proposals   []string `json:"proposals,omitempty"`
}

// Diff is a tracked diff between two provision lists.
type Diff struct {
	Changes []Change `json:"changes"`
	// Coarse is true when a word diff hit its time or size limit and some
	// segments are whole-text replacements rather than word-level changes.
	Coarse bool `json:"coarse,omitempty"`
	// Refs name the proposals a proposal's diff is credited to (the
	// proposal itself, with its number): renderers title its changes
	// with their names (ProposalRef.Name). Empty for a version diff.
	Refs []ProposalRef `json:"refs,omitempty"`
}

// Collision is an overlapping change found by a merge: the provision, its
// text in the common base and in the head, and every competing proposal's text.
type Collision struct {
	Provision string          `json:"provision"`
	Number    string          `json:"number,omitempty"`
	BaseText  string          `json:"base_text"`
	HeadText  string          `json:"head_text"`
	Proposals []CollisionSide `json:"proposals"`
}

// CollisionSide is one competing proposal's text in a collision.
type CollisionSide struct {
	ID         string `json:"id"`
	Delegation string `json:"delegation"`
	Text       string `json:"text"`
	Deleted    bool   `json:"deleted,omitempty"`
}

// Differ computes word-level diffs, provision diffs, alignments and
// three-way merges. Implemented by package diffing.
type Differ interface {
	// Words diffs two strings word by word. coarse is true when the diff hit
	// its time or size limit and is not word-level.
	Words(old, new string) (segs []Segment, coarse bool)

	// Provisions diffs two provision lists matched by provision ID: every
	// provision of new in order, with deleted ones of old where they stood.
	Provisions(old, new []Provision) *Diff

	// Align matches the provisions of an edited text (ids unset) to those of
	// its base: for each edited provision, the index of the base provision
	// it continues, or -1 for a new one. Equal provisions are matched first,
	// then the most similar, keeping order where it can.
	Align(base, edited []Provision) []int

	// Merge3 merges two edits (ours, theirs) of one base text word by word.
	// ok is false when they change overlapping words; merged is then "".
	Merge3(base, ours, theirs string) (merged string, ok bool)
}

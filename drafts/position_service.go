package drafts

import "context"

// PositionService records the positions of delegations on a document's
// provisions and sums up the state of play (see services.go for what every
// method may return). A position visible to members only does not exist
// for an observer: lists leave it out and the methods that name it answer
// ENOTFOUND.
type PositionService interface {
	// RecordPosition records the caller's delegation's position on
	// in.Provision of the head ("" for the whole text). ENOTFOUND;
	// EINVALID, naming the field, for the kind, the words (a reservation,
	// a statement and cannot-join need them), the visibility or a
	// provision the head does not have; EFORBIDDEN for a user of no member
	// delegation; ECONFLICT if the delegation has an open position of that
	// kind on that provision already (confirm or withdraw it), if it
	// cannot join consensus while a silence procedure is open (it breaks
	// silence instead), or the document is adopted or withdrawn.
	RecordPosition(ctx context.Context, doc string, in PositionInput) (*Position, error)
	// ConfirmPosition confirms an open position on the head's text, as it
	// now reads, with new words when text is not "". ENOTFOUND; EFORBIDDEN
	// unless the caller's delegation recorded it; EINVALID for the words;
	// ECONFLICT if it is withdrawn, its provision is no longer in the
	// text, or the document is adopted or withdrawn.
	ConfirmPosition(ctx context.Context, doc, id, text string) (*Position, error)
	// WithdrawPosition withdraws an open position. ENOTFOUND; EFORBIDDEN
	// unless the caller's delegation recorded it; ECONFLICT if it is
	// withdrawn already, or the document is adopted or withdrawn.
	WithdrawPosition(ctx context.Context, doc, id string) (*Position, error)
	// ListPositions returns one page of the positions open in version n (0
	// for the head), in the order they were recorded, each with where it
	// stands against that version's text. ENOTFOUND for a missing version.
	ListPositions(ctx context.Context, doc string, n int, opt ListOptions) (*Page[*Position], error)
	// PositionNotes returns the footnotes that record, with the adopted
	// version n, the reservations and interpretative statements of
	// delegations open in it (PositionPrintNotes), as the caller may see
	// them, in the document's language; none for a version that is not
	// the adopted one. Print v.WithPrintNotes(notes). ENOTFOUND for a
	// missing version.
	PositionNotes(ctx context.Context, doc string, n int) (PrintNotes, error)
	// StateOfPlay returns the state of play of the head (BuildStateOfPlay)
	// as the caller may see it.
	StateOfPlay(ctx context.Context, doc string) (*StateOfPlay, error)
	// StateOfPlayPDF prints the state of play with its chart; EINTERNAL
	// without a renderer.
	StateOfPlayPDF(ctx context.Context, doc string) (*PDF, error)
	// StateOfPlayHTML writes the state of play as an HTML fragment, with
	// its chart.
	StateOfPlayHTML(ctx context.Context, doc string) ([]byte, error)
	// StateOfPlaySVG draws the state of play's chart as an SVG image.
	StateOfPlaySVG(ctx context.Context, doc string) ([]byte, error)
}

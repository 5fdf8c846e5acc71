package drafts

// DecodedRecord makes a new record of one kind that getMutable keeps
// decoded, and copies one as getMutable does.
type DecodedRecord struct {
	New   func() any
	Clone func(any) any
}

// DecodedRecords are the kinds of record getMutable and readListed keep
// decoded, so a test can check that their copies are whole and their own.
var DecodedRecords = map[string]DecodedRecord{
	"token":      {func() any { return new(Token) }, func(v any) any { return v.(*Token).clone() }},
	"document":   {func() any { return new(storedDocument) }, func(v any) any { return v.(*storedDocument).clone() }},
	"statuses":   {func() any { return new(provisionStatuses) }, func(v any) any { return v.(*provisionStatuses).clone() }},
	"version":    {func() any { return new(Version) }, func(v any) any { return v.(*Version).clone() }},
	"proposal":   {func() any { return new(Proposal) }, func(v any) any { return v.(*Proposal).clone() }},
	"user":       {func() any { return new(User) }, func(v any) any { return v.(*User).clone() }},
	"delegation": {func() any { return new(Delegation) }, func(v any) any { return v.(*Delegation).clone() }},
}

package drafts

// MergeInput is a chair's merge request.
type MergeInput struct {
	Base        int
	Proposals   []string
	Resolutions map[string]string
	Message     string
	// Translations give, by provision id, the text in the original
	// language of each provision that a merged proposal written in a
	// language version replaces or inserts (its id as the operation has
	// it): the chair's, or the secretariat's working translation.
	Translations map[string]string
	// Preview checks the merge and returns the version it would make,
	// without storing anything or changing any proposal.
	Preview bool
}

// MergeResult is the new version and what happened to each proposal.
type MergeResult struct {
	Version  *Version          `json:"version"`
	Accepted []string          `json:"accepted"`
	Modified []string          `json:"accepted_modified"`
	Obsolete map[string]string `json:"obsolete"`
	// Diff, for a preview only, is the tracked diff from the head to the
	// version the merge would make, attributed as the version's own diff
	// will be (VersionDiff): each change to the delegation whose proposal
	// made it, a compromise to the chair.
	Diff *Diff `json:"diff,omitempty"`
}

// Attribution says who changed a provision in a version: a merged
// proposal and its delegation, or, for a compromise the chair set when
// merging (Version.Resolutions), the chair: Proposal "" and Delegation
// ChairName(body). A compromise is never credited to the delegations
// whose proposals it replaced.
type Attribution struct {
	Provision  string `json:"provision"`
	Proposal   string `json:"proposal"`
	Delegation string `json:"delegation"`
}

// ChairName names the chair of a body as the author of changes: "Chair
// (SWG)". A tracked diff credits to it, in place of a delegation, the text
// of a chair's revised version and of a compromise the chair set when
// merging (MergeInput.Resolutions).
func ChairName(body string) string {
	if body == "" {
		return "Chair"
	}
	return "Chair (" + body + ")"
}

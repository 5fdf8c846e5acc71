package drafts

import (
	"fmt"
	"sort"
	"strings"
)

// A Word file that several delegations marked up with Track Changes is how
// a secretariat often receives a text. Created as a new document, its
// text with the changes rejected is version 1 and each delegation's
// changes become a proposal of that delegation.

// What becomes of the changes of an author who stands for no delegation.
const (
	AuthorAccept = "accept" // part of version 1
	AuthorReject = "reject" // left out
)

// WordImport is a Word file with the tracked changes of several authors,
// read with the views PlanWordImport gives, to become a new document:
// File.Original is version 1, and each view of File.Views, named by a
// delegation's code, the proposal of that delegation.
type WordImport struct {
	File *WordFile
	// Authors are the authors of each delegation's changes, by code.
	Authors map[string][]string
}

// PlanWordImport matches the authors of a Word file's tracked changes to
// delegations: by mapping (an author's name → a delegation's code, or
// AuthorAccept, or AuthorReject), else by a delegation's code or name
// or its Russian name (case, spacing and a leading "Delegation of" or
// "Делегация" ignored). The changes of
// the other authors are accepted or rejected as unmatched says, or, when
// unmatched is "", make the plan fail. It returns the views to read the
// file with: the accepted authors, and the authors of each delegation.
// EINVALID naming the authors that match no delegation, a mapping to an
// unknown delegation or to an observer, or an unknown unmatched.
func PlanWordImport(authors []string, dels []*Delegation, mapping map[string]string, unmatched string) (WordViews, error) {
	v := WordViews{Groups: map[string][]string{}}
	if unmatched != "" && unmatched != AuthorAccept && unmatched != AuthorReject {
		return v, authorsError("unmatched", fmt.Sprintf("%q or %q, for the changes of authors that match no delegation", AuthorAccept, AuthorReject))
	}
	byKey := map[string]*Delegation{}
	for _, d := range dels {
		byKey[authorKey(d.ID)] = d
		byKey[authorKey(d.Name)] = d
		if d.NameRu != "" {
			byKey[authorKey(d.NameRu)] = d
		}
	}
	var missing []string
	for _, a := range authors {
		choice, mapped := mappedChoice(mapping, a)
		if !mapped {
			if d := byKey[authorKey(a)]; d != nil {
				choice = d.ID
			} else {
				choice = unmatched
			}
		}
		switch choice {
		case AuthorAccept:
			v.Accept = append(v.Accept, a)
		case AuthorReject:
		case "":
			missing = append(missing, fmt.Sprintf("%q", a))
		default:
			d := byKey[authorKey(choice)]
			if d == nil {
				return v, authorsError("authors", fmt.Sprintf("the changes of %q are mapped to %q, which is no delegation", a, choice))
			}
			if d.Status != StatusMember {
				return v, authorsError("authors", fmt.Sprintf("the changes of %q are mapped to %s, an observer: only members make proposals", a, d.ID))
			}
			v.Groups[d.ID] = append(v.Groups[d.ID], a)
		}
	}
	if len(missing) > 0 {
		return v, authorsError("authors", fmt.Sprintf("the tracked changes of %s match no delegation by code or name: map each author to a delegation's code (authors={\"%s\": \"KZ\"}), or say what becomes of their changes (unmatched=accept or unmatched=reject)",
			strings.Join(missing, ", "), strings.Trim(missing[0], `"`)))
	}
	return v, nil
}

// mappedChoice returns what mapping says of an author, matched as names
// are (case and spacing ignored).
func mappedChoice(mapping map[string]string, author string) (string, bool) {
	if c, ok := mapping[author]; ok {
		return strings.TrimSpace(c), true
	}
	for k, c := range mapping {
		if authorKey(k) == authorKey(author) {
			return strings.TrimSpace(c), true
		}
	}
	return "", false
}

// authorKey is a name or code as authors are matched to delegations:
// lower case, single spaces, without a leading "Delegation of (the)".
func authorKey(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	for _, p := range []string{"delegation of the ", "delegation of ", "делегация "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

// ImportJustification is the justification of a proposal made of the
// tracked changes of authors in the Word file a document was created
// from, in the document's language (Russian or English).
func ImportJustification(lang string, authors []string) string {
	if isRussian(lang) {
		return fmt.Sprintf("Правка %s в файле Word, из которого создан документ.", quoteNames(authors, "«", "»"))
	}
	return fmt.Sprintf("Tracked changes by %s in the Word file the document was created from.", quoteNames(authors, `"`, `"`))
}

// quoteNames joins names, each between open and close.
func quoteNames(names []string, open, close string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = open + n + close
	}
	return strings.Join(q, ", ")
}

func authorsError(field, msg string) error {
	return &Error{Code: EINVALID, Message: "Word file: " + msg, Fields: []FieldError{{Field: field, Message: msg}}}
}

// Delegations returns the codes of the delegations whose changes the
// import makes proposals of, in the order their authors' changes first
// appear in the file.
func (in WordImport) Delegations() []string {
	first := map[string]int{}
	for code, authors := range in.Authors {
		first[code] = len(in.File.Authors)
		for _, a := range authors {
			for i, b := range in.File.Authors {
				if a == b && i < first[code] {
					first[code] = i
				}
			}
		}
	}
	codes := make([]string, 0, len(first))
	for c := range first {
		codes = append(codes, c)
	}
	sort.Slice(codes, func(i, j int) bool {
		if first[codes[i]] != first[codes[j]] {
			return first[codes[i]] < first[codes[j]]
		}
		return codes[i] < codes[j]
	})
	return codes
}

package harness

import (
	"strconv"
	"strings"

	"chancery/drafts"
)

// Delegations are the delegations the benchmark fixtures attribute
// changes to, in turn.
var Delegations = []string{"KZ", "RU", "CN", "IN", "TR", "MN"}

// Renumber numbers the numbered paragraphs 1., 2., ... in order.
func Renumber(ps []drafts.Provision) {
	n := 0
	for i := range ps {
		if ps[i].Kind == drafts.KindParagraph && ps[i].Number != "" {
			n++
			ps[i].Number = strconv.Itoa(n) + "."
		}
	}
}

// Inserted is the paragraph the fixtures insert before the i-th
// provision (i a multiple of 29); Renumber gives it its number.
func Inserted(i int) drafts.Provision {
	return drafts.Provision{ID: "n" + strconv.Itoa(i), Kind: drafts.KindParagraph, Number: "1.",
		Text: "The Member States shall exchange information on the implementation of this paragraph annually.", Gap: "\n\n"}
}

// AmendedAt is the byte offset of " shall " in the text of the i-th
// provision p when the fixtures amend it (a paragraph, i a multiple of
// 7), or -1.
func AmendedAt(p drafts.Provision, i int) int {
	if p.Kind != drafts.KindParagraph || i%7 != 0 {
		return -1
	}
	return strings.Index(p.Text, " shall ")
}

// Amended is the text with " shall " at at made " should, as a rule, "
// and a sentence added.
func Amended(text string, at int) string {
	return text[:at] + " should, as a rule, " + text[at+7:] + AmendedTail
}

// AmendedTail is the sentence Amended adds.
const AmendedTail = " This applies mutatis mutandis."

// RoadMap is the document of the road map fixtures.
func RoadMap() *drafts.Document {
	return &drafts.Document{ID: "d1", Symbol: "CICA/SWG/2024/R.1", Title: "Draft Road Map for the Transformation of the Conference",
		Kind: "road-map", Body: "SWG", Language: "en", Visibility: drafts.VisibilityMembers}
}

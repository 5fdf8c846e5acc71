package render

import (
	"strings"
	"unicode/utf8"

	"chancery/drafts"
)

// excerptRunes is how much of an unnumbered provision's text names it.
const excerptRunes = 40

// excerpt returns the start of s, at most n runes, with "…" if cut.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, count := 0, 0
	for j := range s {
		if count == n {
			i = j
			break
		}
		count++
	}
	return strings.TrimRight(s[:i], " ") + "…"
}

// numbered reports whether a provision's marker is a number such as "3."
// or "(a)" (not "#" nor empty).
func numbered(number string) bool {
	return number != "" && !strings.HasPrefix(number, "#")
}

// shortNumber is a marker without its final period: "3." → "3".
func shortNumber(number string) string {
	if len(number) > 1 {
		return strings.TrimSuffix(number, ".")
	}
	return number
}

// provisionName names a provision in a sentence, in English:
// `provision 7`, `item (a)`, `heading "Cluster II…"`, `paragraph "The…"`.
func provisionName(kind, number, text string) string {
	switch {
	case numbered(number) && kind == drafts.KindItem:
		return "item " + number
	case drafts.IsNumberedHeading(number):
		return shortNumber(number)
	case numbered(number):
		return "provision " + shortNumber(number)
	case kind == drafts.KindHeading:
		return `heading "` + excerpt(text, excerptRunes) + `"`
	default:
		return `paragraph "` + excerpt(text, excerptRunes) + `"`
	}
}

// provisionRef refers to a provision after a preposition: `3`, `(a)`,
// `heading "Cluster II…"`; the empty id is "the start".
func provisionRef(kind, number, text string) string {
	if numbered(number) {
		return shortNumber(number)
	}
	return provisionName(kind, number, text)
}

// diffRef names the provision with id in the new text of d, for
// "moved after ..." lines.
func diffRef(d *drafts.Diff, id string) string {
	if id == "" {
		return "the start"
	}
	for _, c := range d.Changes {
		if c.Provision == id && c.Kind != drafts.ChangeDeleted {
			return provisionRef(c.ProvisionKind, c.Number, c.Text)
		}
	}
	return "provision " + id
}

// changeDelegations returns the delegations of a change: its own list, or
// else those named on its segments, in order of appearance.
func changeDelegations(c *drafts.Change) []string {
	if len(c.Delegations) > 0 {
		return c.Delegations
	}
	var out []string
	for _, s := range c.Segments {
		if s.Delegation != "" && !containsString(out, s.Delegation) {
			out = append(out, s.Delegation)
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// segmentTag is the attribution shown after a changed segment: its own
// delegation, or the change's delegations.
func segmentTag(s drafts.Segment, c *drafts.Change) string {
	if s.Delegation != "" {
		return s.Delegation
	}
	return strings.Join(c.Delegations, ", ")
}

// segmentRun is a run of segments: an equal one, or consecutive inserted
// and deleted ones with the same attribution.
type segmentRun struct {
	segs    []drafts.Segment
	changed bool
	tag     string
}

// segmentRuns groups segments for attribution: one tag after each run of
// changes by the same delegations.
func segmentRuns(segs []drafts.Segment, tag func(drafts.Segment) string) []segmentRun {
	var runs []segmentRun
	for i := 0; i < len(segs); {
		s := segs[i]
		if s.Op == drafts.SegEqual {
			runs = append(runs, segmentRun{segs: segs[i : i+1]})
			i++
			continue
		}
		t := tag(s)
		j := i + 1
		for j < len(segs) && segs[j].Op != drafts.SegEqual && tag(segs[j]) == t {
			j++
		}
		runs = append(runs, segmentRun{segs: segs[i:j], changed: true, tag: t})
		i = j
	}
	return runs
}

// modifiedSegments returns the segments of a change's text: its own, or
// for a change without them, the old text deleted and the new inserted.
func modifiedSegments(c *drafts.Change) []drafts.Segment {
	if len(c.Segments) > 0 {
		return c.Segments
	}
	if c.OldText == c.Text || c.OldText == "" {
		return []drafts.Segment{{Op: drafts.SegEqual, Text: c.Text}}
	}
	return []drafts.Segment{
		{Op: drafts.SegDelete, Text: c.OldText},
		{Op: drafts.SegInsert, Text: c.Text},
	}
}

// oldNumber is the number a provision had in the old text.
func oldNumber(c *drafts.Change) string {
	if c.OldNumber != "" {
		return c.OldNumber
	}
	return c.Number
}

package drafts

import (
	"fmt"
	"strings"
)

// AlignTranslation aligns t, the whole text of a version in another
// language, to the version's provisions orig, by number and order: the
// n-th provision of each must be of the same kind with the same number
// (NumberKey: "Rule 3." and "Правило 3." are one number). It returns the
// translations by provision id, all current. Where the texts do not align
// (a provision more or less, a number that differs) it returns EINVALID
// with one field per provision that does not match: "provisions.<id>" for
// a provision of the original (with the line of the translation where it
// should be), "text" with the line for a provision of the translation
// that the original lacks.
func AlignTranslation(orig []Provision, t *Text) (map[string]Translation, error) {
	tr := t.Provisions
	ko, kt := numberKeys(orig), numberKeys(tr)
	lines := provisionLines(t)
	if fields := alignmentFaults(orig, tr, ko, kt, lines); len(fields) > 0 {
		const most = 50
		msg := fmt.Sprintf("the translation does not align with the original: %d provision(s) do not match, each named in errors; nothing was stored", len(fields))
		if len(fields) > most {
			fields = append(fields[:most], FieldError{Field: "text", Message: fmt.Sprintf("and %d more", len(fields)-most)})
		}
		return nil, &Error{Code: EINVALID, Message: msg, Fields: fields}
	}
	out := make(map[string]Translation, len(orig))
	for i, p := range orig {
		out[p.ID] = Translation{Number: tr[i].Number, Text: tr[i].Text, State: TranslationCurrent}
	}
	return out, nil
}

func numberKeys(ps []Provision) []string {
	keys := make([]string, len(ps))
	for i, p := range ps {
		keys[i] = NumberKey(p.Kind, p.Number)
	}
	return keys
}

// provisionLines returns the line of t on which each provision starts,
// and, last, the line after the text.
func provisionLines(t *Text) []int {
	lines := make([]int, len(t.Provisions)+1)
	line := 1 + strings.Count(t.Lead, "\n")
	for i, p := range t.Provisions {
		lines[i] = line
		line += strings.Count(p.Markup(), "\n") + strings.Count(p.Gap, "\n")
	}
	lines[len(t.Provisions)] = line
	return lines
}

// alignmentFaults lists the provisions of orig and tr that do not pair
// up: the longest run of matching numbers in order pairs the others
// (common to both texts at the start and end first, then the middle
// matched as a longest common subsequence), and what is left between
// two pairs is a number that differs, a provision the translation lacks,
// or one the original lacks.
func alignmentFaults(orig, tr []Provision, ko, kt []string, lines []int) []FieldError {
	pre := 0
	for pre < len(ko) && pre < len(kt) && ko[pre] == kt[pre] {
		pre++
	}
	if pre == len(ko) && pre == len(kt) {
		return nil
	}
	suf := 0
	for suf < len(ko)-pre && suf < len(kt)-pre && ko[len(ko)-1-suf] == kt[len(kt)-1-suf] {
		suf++
	}
	pairs := commonPairs(ko[pre:len(ko)-suf], kt[pre:len(kt)-suf])
	namer := func(i int) string { return ProvisionNameIn(orig, i) }
	var fields []FieldError
	i, j := pre, pre
	for _, pr := range append(pairs, [2]int{len(ko) - suf - pre, len(kt) - suf - pre}) {
		oi, tj := pr[0]+pre, pr[1]+pre
		// Between two pairs: a provision of one kind in both is a number
		// that differs; one the other text has fewer of is missing there.
		for i < oi || j < tj {
			switch {
			case i < oi && j < tj && (orig[i].Kind == tr[j].Kind || oi-i == tj-j):
				fields = append(fields, FieldError{Field: "provisions." + orig[i].ID, Line: lines[j],
					Message: fmt.Sprintf("%s: the translation has %s here (line %d)", namer(i), ProvisionName(tr[j]), lines[j])})
				i, j = i+1, j+1
			case i < oi && oi-i >= tj-j:
				fields = append(fields, FieldError{Field: "provisions." + orig[i].ID, Line: lines[j],
					Message: fmt.Sprintf("%s: the translation has no provision for it (before line %d)", namer(i), lines[j])})
				i++
			default:
				fields = append(fields, FieldError{Field: "text", Line: lines[j],
					Message: fmt.Sprintf("line %d: %s of the translation has no provision in the original", lines[j], ProvisionName(tr[j]))})
				j++
			}
		}
		i, j = oi+1, tj+1
	}
	return fields
}

// commonPairs returns the index pairs of a longest common subsequence of
// a and b. Beyond a few million cells it pairs them in order instead: a
// text that far from its original is named provision by provision anyway.
func commonPairs(a, b []string) [][2]int {
	if len(a)*len(b) > 4_000_000 {
		var pairs [][2]int
		for k := 0; k < min(len(a), len(b)); k++ {
			if a[k] == b[k] {
				pairs = append(pairs, [2]int{k, k})
			}
		}
		return pairs
	}
	w := len(b) + 1
	lcs := make([]int32, (len(a)+1)*w)
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i*w+j] = lcs[(i+1)*w+j+1] + 1
			} else {
				lcs[i*w+j] = max(lcs[(i+1)*w+j], lcs[i*w+j+1])
			}
		}
	}
	var pairs [][2]int
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			pairs = append(pairs, [2]int{i, j})
			i, j = i+1, j+1
		case lcs[(i+1)*w+j] >= lcs[i*w+j+1]:
			i++
		default:
			j++
		}
	}
	return pairs
}

// ProvisionNameIn names the i-th provision of ps for people, a
// sub-paragraph with its paragraph: "paragraph 6 bis", "sub-paragraph (d)
// of paragraph 4" (see ProvisionName).
func ProvisionNameIn(ps []Provision, i int) string {
	name := ProvisionName(ps[i])
	if ps[i].Kind != KindItem {
		return name
	}
	for k := i - 1; k >= 0 && ps[k].Kind != KindHeading; k-- {
		if ps[k].Kind == KindParagraph && ps[k].Number != "" {
			return name + " of " + ProvisionName(ps[k])
		}
	}
	return name
}

// CarryOver returns the language version of a new version (to) from that
// of the version it was made from (from, whose translations prev holds by
// provision id), for language lang:
//
//   - a provision the new version did not change keeps its translation and
//     its state (a renumbered one takes the new number, written in lang);
//   - a changed one keeps its translation, stale, with the original's text
//     it translated as Source (the earliest, if it was stale already;
//     back to current if the original's text is that Source again);
//   - a new one, or one never translated, is missing, numbered in lang
//     after its neighbours;
//   - given, the texts the new version itself gives provisions in lang
//     (Version.Translated), are current.
func CarryOver(lang string, prev map[string]Translation, from, to []Provision, given map[string]string) map[string]Translation {
	old := make(map[string]Provision, len(from))
	for _, p := range from {
		old[p.ID] = p
	}
	out := make(map[string]Translation, len(to))
	lastOf := map[string]string{} // kind → the last number written in lang
	for _, p := range to {
		t, had := prev[p.ID]
		o, existed := old[p.ID]
		like := t.Number
		if !had || t.Number == "" || !existed || o.Number == "" {
			like = lastOf[p.Kind]
		}
		number := TranslateNumber(p.Kind, p.Number, lang, like)
		switch text, ok := given[p.ID]; {
		case ok:
			t = givenTranslation(p, number, text)
		case !had || !existed || t.State == "" || t.State == TranslationMissing:
			t = Translation{Number: number, State: TranslationMissing}
		case o.Text == p.Text && o.Kind == p.Kind:
			t.Number = number
		case t.State == TranslationStale && t.Source == p.Text:
			t.Number, t.State, t.Source = number, TranslationCurrent, ""
		default:
			if t.State != TranslationStale {
				t.Source = o.Text
			}
			t.Number, t.State = number, TranslationStale
		}
		if t.Number != "" {
			lastOf[p.Kind] = t.Number
		}
		out[p.ID] = t
	}
	return out
}

// givenTranslation is the current translation of p that a text gives it:
// the text as the provision's text, or, when it starts with a marker of
// the provision's number, with the number it writes.
func givenTranslation(p Provision, number, text string) Translation {
	t := Translation{Number: number, Text: text, State: TranslationCurrent}
	if q := classify(text); q.Number != "" && q.Kind == p.Kind && NumberKey(q.Kind, q.Number) == NumberKey(p.Kind, p.Number) {
		t.Number, t.Text = q.Number, q.Text
	}
	return t
}

// ProvisionTranslation is the current translation of provision p that a
// translator sends: text, the provision's text in the language, numbered
// number there; or, when text starts with a marker of the provision's
// number in that language ("6-бис. …"), the text after it, with that
// number. EINVALID naming the field "text" for an empty text or one that
// is not one provision.
func ProvisionTranslation(p Provision, number, text string, lim Limits) (Translation, error) {
	if ps, err := ParseProvisions(text, lim); err == nil && len(ps) == 1 && ps[0].Number != "" &&
		NumberKey(ps[0].Kind, ps[0].Number) == NumberKey(p.Kind, p.Number) {
		return Translation{Number: ps[0].Number, Text: ps[0].Text, State: TranslationCurrent}, nil
	}
	if err := CheckProvisionText(number, text, lim); err != nil {
		msg := ErrorMessage(err)
		return Translation{}, &Error{Code: EINVALID, Message: "text: " + msg, Fields: []FieldError{{Field: "text", Message: msg}}}
	}
	return Translation{Number: number, Text: text, State: TranslationCurrent}, nil
}

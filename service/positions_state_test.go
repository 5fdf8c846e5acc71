package service_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"chancery/drafts"
)

// svgNode is an element of a parsed SVG: its name, attributes, text and
// children.
type svgNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Text     string     `xml:",chardata"`
	Children []svgNode  `xml:",any"`
}

func (n *svgNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name && (a.Name.Space == "" || name == "lang") {
			return a.Value
		}
	}
	return ""
}

// walk calls f on n and every element under it, in document order.
func (n *svgNode) walk(f func(*svgNode)) {
	f(n)
	for i := range n.Children {
		n.Children[i].walk(f)
	}
}

// parseSVG parses an SVG image strictly (well-formed XML, one root) and
// checks what makes it a valid, accessible image: the SVG namespace, a
// viewBox, role img labelled by its title and description, both there
// and not empty.
func parseSVG(t *testing.T, data []byte) *svgNode {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var root svgNode
	if err := dec.Decode(&root); err != nil {
		t.Fatalf("the SVG is not well-formed XML: %v", err)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if cd, ok := tok.(xml.CharData); err != nil || !ok || strings.TrimSpace(string(cd)) != "" {
			t.Fatalf("after the root element: %v, %v", tok, err)
		}
	}
	if root.XMLName.Space != "http://www.w3.org/2000/svg" || root.XMLName.Local != "svg" {
		t.Fatalf("root element %v, want svg in the SVG namespace", root.XMLName)
	}
	if vb := strings.Fields(root.attr("viewBox")); len(vb) != 4 || root.attr("role") != "img" {
		t.Fatalf("viewBox %q, role %q", root.attr("viewBox"), root.attr("role"))
	}
	ids := map[string]*svgNode{}
	root.walk(func(n *svgNode) {
		if id := n.attr("id"); id != "" {
			if ids[id] != nil {
				t.Errorf("id %q twice", id)
			}
			ids[id] = n
		}
	})
	labels := strings.Fields(root.attr("aria-labelledby"))
	if len(labels) != 2 || ids[labels[0]] == nil || ids[labels[1]] == nil ||
		ids[labels[0]].XMLName.Local != "title" || ids[labels[1]].XMLName.Local != "desc" ||
		strings.TrimSpace(ids[labels[0]].Text) == "" || strings.TrimSpace(ids[labels[1]].Text) == "" {
		t.Fatalf("the SVG is not labelled by a title and a description: %q", root.attr("aria-labelledby"))
	}
	// Every fill that names a pattern names one the image defines.
	root.walk(func(n *svgNode) {
		if m := regexp.MustCompile(`^url\(#(.+)\)$`).FindStringSubmatch(n.attr("fill")); m != nil && ids[m[1]] == nil {
			t.Errorf("fill %q names no pattern of the image", n.attr("fill"))
		}
	})
	return &root
}

// tallyJSON is a tally as the JSON names it.
type tallyJSON struct {
	Provisions  int     `json:"provisions"`
	Agreed      int     `json:"agreed"`
	AgreedAdRef int     `json:"agreed_ad_ref"`
	Bracketed   int     `json:"bracketed"`
	Pending     int     `json:"pending"`
	AgreedShare float64 `json:"agreed_share"`
}

// stateJSON is what the test reads of the state of play's JSON.
type stateJSON struct {
	Overall  tallyJSON `json:"overall"`
	Sections []struct {
		ID    string    `json:"id"`
		Title string    `json:"title"`
		Tally tallyJSON `json:"tally"`
	} `json:"sections"`
	History []struct {
		Version int       `json:"version"`
		Tally   tallyJSON `json:"tally"`
	} `json:"history"`
}

// barCounts reads a bar's counts: its data- attributes, and the words
// written beside it ("61% · 18 agreed · 2 ad ref · 2 bracketed · 11
// pending"), which must say the same.
func barCounts(t *testing.T, g *svgNode) tallyJSON {
	t.Helper()
	num := func(name string) int {
		n, err := strconv.Atoi(g.attr(name))
		if err != nil {
			t.Fatalf("bar %q: %s = %q", g.attr("data-section"), name, g.attr(name))
		}
		return n
	}
	got := tallyJSON{Provisions: num("data-provisions"), Agreed: num("data-agreed"), AgreedAdRef: num("data-agreed-ad-ref"),
		Bracketed: num("data-bracketed"), Pending: num("data-pending")}
	if got.Provisions > 0 {
		got.AgreedShare = float64(got.Agreed+got.AgreedAdRef) / float64(got.Provisions)
	}
	var words string
	segments := 0
	for _, c := range g.Children {
		switch c.XMLName.Local {
		case "text":
			words = c.Text
		case "rect":
			if n, err := strconv.Atoi(c.attr("data-count")); err == nil {
				segments += n
			}
		}
	}
	want := fmt.Sprintf("%d%% · %d agreed · %d ad ref · %d bracketed · %d pending",
		int(got.AgreedShare*100+0.5), got.Agreed, got.AgreedAdRef, got.Bracketed, got.Pending)
	if g.attr("class") != "version" && words != want {
		t.Errorf("bar %q says %q, its attributes %q", g.attr("data-section"), words, want)
	}
	if g.attr("class") != "version" && segments != got.Provisions {
		t.Errorf("bar %q: its parts count %d provisions of %d", g.attr("data-section"), segments, got.Provisions)
	}
	return got
}

// TestStateOfPlayChartMatchesJSON: the chart of a state of play is a
// valid SVG image with a text alternative, and every number it shows (a
// bar per section, a column per version) is the JSON's.
func TestStateOfPlayChartMatchesJSON(t *testing.T) {
	f := newForum(t, MustOpenLocal(t), drafts.VisibilityMembers)
	for n, st := range map[string]string{"1.": drafts.ProvisionAgreed, "3.": drafts.ProvisionAgreed, "5.": drafts.ProvisionAgreedAdRef, "7.": drafts.ProvisionBracketed} {
		f.status(t, para(t, f.v, n), st)
	}
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, f.v.Text()+"\n21. A new paragraph.\n", "More"); err != nil {
		t.Fatal(err)
	}
	for n, st := range map[string]string{"6.": drafts.ProvisionAgreed, "8.": drafts.ProvisionAgreedAdRef, "12.": drafts.ProvisionBracketed} {
		f.status(t, para(t, f.v, n), st)
	}
	f.record(t, f.kz, para(t, f.v, "6."), drafts.PositionReservation, "Ours.")
	st, err := f.svc.StateOfPlay(f.chair, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var js stateJSON
	if err := json.Unmarshal(raw, &js); err != nil {
		t.Fatal(err)
	}
	if len(js.History) != 2 || js.Overall.Provisions != 34 || js.Overall.Agreed != 3 || js.History[0].Tally.Agreed != 2 {
		t.Fatalf("the fixture's JSON is not what the test set up: %s", raw)
	}
	svg, err := f.svc.StateOfPlaySVG(f.chair, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	root := parseSVG(t, svg)
	var rows, versions []*svgNode
	root.walk(func(n *svgNode) {
		switch n.attr("class") {
		case "overall", "section":
			rows = append(rows, n)
		case "version":
			versions = append(versions, n)
		}
	})
	if len(rows) != len(js.Sections)+1 || len(versions) != len(js.History) {
		t.Fatalf("the chart has %d bars and %d columns; the JSON %d sections and %d versions", len(rows), len(versions), len(js.Sections), len(js.History))
	}
	if got := barCounts(t, rows[0]); got != js.Overall || rows[0].attr("class") != "overall" {
		t.Errorf("whole text: chart %+v, JSON %+v", got, js.Overall)
	}
	for i, sec := range js.Sections {
		if got := barCounts(t, rows[i+1]); got != sec.Tally || rows[i+1].attr("data-section") != sec.ID {
			t.Errorf("section %q: chart %+v, JSON %+v", sec.Title, got, sec.Tally)
		}
	}
	for i, h := range js.History {
		if got := barCounts(t, versions[i]); got != h.Tally || versions[i].attr("data-version") != strconv.Itoa(h.Version) {
			t.Errorf("version %d: chart %+v, JSON %+v", h.Version, got, h.Tally)
		}
	}
	// The description says every number too.
	var desc string
	root.walk(func(n *svgNode) {
		if n.XMLName.Local == "desc" {
			desc = n.Text
		}
	})
	for _, sec := range js.Sections {
		if want := fmt.Sprintf("%d provisions, %d%% agreed: %d agreed, %d agreed ad ref, %d bracketed, %d pending", sec.Tally.Provisions,
			int(sec.Tally.AgreedShare*100+0.5), sec.Tally.Agreed, sec.Tally.AgreedAdRef, sec.Tally.Bracketed, sec.Tally.Pending); !strings.Contains(desc, sec.Title+": "+want) {
			t.Errorf("the description does not say %q for %q", want, sec.Title)
		}
	}
}

// Package gendoc generates pairs of texts in Chancery's markup for the diff
// benchmarks: a base text of numbered paragraphs, (a) items and # headings,
// about 500 bytes a provision, and an edited copy of it in which a tenth of
// the provisions have a few words replaced, inserted or deleted.
package gendoc

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// vocabulary of the generated texts, from the forum's press releases.
const vocabulary = `the of and in on to for by Member States Asia its with shall draft cooperation
Council security meeting at as General this that Confidence organization Summit Senior Officials
Measures Committee Building work international implementation Secretariat peace dimension be Foreign
Conference priority measures coordinating confidence building Affairs transformation their role not
issues countries United Nations Road Map Cluster which organizations new document development decision
areas area also activities Working Special Republic Ministers Ministerial Group year will
strengthening states process other importance held economic documents decisions an adopted Interaction
Asian within under through relations regional member meetings initiative have has forum chairmanship
between are approved among all affairs Terrorism State Relations International Director Chairmanship
Assembly years two support strengthen status stability specific silence research report proposed
principles financial eight efforts consultations considered consensus been Think Tank Sixth Forum
External Economic Counter Charter Catalogue Almaty use updated towards than terrorism such structured
significant should reviewed recommended promoting projects plan observer need necessary national
management making key into implementing human gradual global future further framework four founding
field expert exchange every enhancing effective discussion dialogue current create continue common
commitment basis adoption Youth Training Strategy Principles Organization Guiding Guidelines Department
Declaration would world voluntary vision updates universities transportation trade time threats
territory taken systems supported submitted structure statement spirit special sovereign signed
session secure safety result related reforms reached public prosperity proposals promote progress
procedures procedure practical political policy platform personnel partnership particular outcome
oriented objectives next network multilateralism military may main level joint investment internal
interference interaction institutions information important general full foster fledged first
establish equality environmental environment endorsed elements elaborated each disaster dimensions
deadline corridors core coordinator contractual combating collaboration clusters close challenges
central capacity broad body before basic based annual amendments aimed agreed agenda after
administrative addition action across achievements academic`

// words returns the vocabulary as a slice.
func words() []string { return strings.Fields(vocabulary) }

// Pair returns a base text of n provisions (about 500 bytes each) and an
// edited copy of it in which n/10 provisions, chosen at random, have one to
// three word edits each (a word replaced, inserted or deleted). The same n
// and seed give the same texts.
func Pair(n int, seed uint64) (old, edited string) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	vocab := words()
	ps := make([][]string, 0, n) // provisions as marker + words
	para, cluster, item := 0, 0, -1
	for len(ps) < n {
		var marker string
		var count int
		switch {
		case len(ps)%25 == 0:
			cluster++
			marker, count = "#", 3+r.IntN(5)
		case item >= 0 && item < 4:
			marker, count = fmt.Sprintf("(%c)", 'a'+item), 15+r.IntN(30)
			item++
		default:
			para++
			marker, count = fmt.Sprintf("%d.", para), 50+r.IntN(70)
			item = -1
			if r.IntN(6) == 0 {
				item = 0 // items follow
			}
		}
		ws := make([]string, 0, count+2)
		ws = append(ws, marker)
		if marker == "#" {
			ws = append(ws, "Cluster", fmt.Sprintf("%d.", cluster))
		}
		for k := 0; k < count; k++ {
			w := vocab[r.IntN(len(vocab))]
			if k == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			if k > 0 && k < count-1 && r.IntN(12) == 0 {
				w += ","
			}
			ws = append(ws, w)
		}
		if marker != "#" {
			switch {
			case item == 0:
				ws[len(ws)-1] += ":"
			case item > 0:
				ws[len(ws)-1] += ";"
			default:
				ws[len(ws)-1] += "."
			}
		}
		ps = append(ps, ws)
	}
	old = join(ps)

	// Edit a tenth of the provisions, word by word, never the marker.
	for _, i := range r.Perm(n)[:n/10] {
		ws := append([]string(nil), ps[i]...)
		before := strings.Join(ws, " ")
		for e := 1 + r.IntN(3); e > 0 || strings.Join(ws, " ") == before; e-- {
			k := 1 + r.IntN(len(ws)-1)
			switch r.IntN(3) {
			case 0:
				ws[k] = vocab[r.IntN(len(vocab))]
			case 1:
				ws = append(ws[:k], append([]string{vocab[r.IntN(len(vocab))]}, ws[k:]...)...)
			default:
				if len(ws) > 3 {
					ws = append(ws[:k], ws[k+1:]...)
				}
			}
		}
		ps[i] = ws
	}
	return old, join(ps)
}

func join(ps [][]string) string {
	var b strings.Builder
	for i, ws := range ps {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(strings.Join(ws, " "))
	}
	b.WriteString("\n")
	return b.String()
}

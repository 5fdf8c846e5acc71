package docx

import (
	"sort"
	"strings"

	"chancery/drafts"
)

// link finds, for each paragraph of the edited view, the paragraph of the
// original view it continues: the one it shares the most unchanged text
// with (text moved by a tracked move counts as unchanged), then the one
// whose paragraph mark it kept. Each original paragraph is continued at
// most once.
func link(paras []*xpara, orig, edit *view) {
	origOf, editOf := groupOf(len(paras), orig), groupOf(len(paras), edit)
	weights := linkWeights(paras, origOf, editOf, moveSources(paras, origOf), edit.accept)
	used := map[int]bool{}
	for _, p := range heaviestFirst(weights) {
		e, o := edit.groups[p.e], orig.groups[p.o]
		if e.origin >= 0 || used[p.o] || e.skip || o.skip {
			continue
		}
		e.origin = p.o
		used[p.o] = true
	}
	for i, g := range orig.groups {
		g.origin = i
	}
}

// groupOf returns, for each of n xparas, the group of v it is part of.
func groupOf(n int, v *view) []int {
	of := make([]int, n)
	for gi, g := range v.groups {
		for _, i := range g.paras {
			of[i] = gi
		}
	}
	return of
}

// moveSources returns, for each tracked move, the original group most of
// its moved-away text came from.
func moveSources(paras []*xpara, origOf []int) map[string]int {
	fromWeight := map[string]map[int]int{}
	for i, p := range paras {
		for _, pc := range p.pieces {
			if strings.HasPrefix(pc.move, "from:") && !pc.ins {
				name := strings.TrimPrefix(pc.move, "from:")
				if fromWeight[name] == nil {
					fromWeight[name] = map[int]int{}
				}
				fromWeight[name][origOf[i]] += len(pc.text)
			}
		}
	}
	sources := map[string]int{}
	for name, m := range fromWeight {
		best, bw := -1, 0
		for g, w := range m {
			if w > bw || (w == bw && g < best) {
				best, bw = g, w
			}
		}
		sources[name] = best
	}
	return sources
}

// linkWeights weighs each pair of an edited group (of the view that
// accepts acc) and an original group: twice the unchanged (or moved) text
// they share, and one for each paragraph mark the edited group kept from
// the original.
func linkWeights(paras []*xpara, origOf, editOf []int, moveSource map[string]int, acc accepts) map[[2]int]int {
	weights := map[[2]int]int{}
	for i, p := range paras {
		for _, pc := range p.pieces {
			switch {
			case !pc.ins && pc.present(acc):
				weights[[2]int{editOf[i], origOf[i]}] += 2 * len(strings.TrimSpace(pc.text))
			case strings.HasPrefix(pc.move, "to:") && pc.present(acc):
				if src, ok := moveSource[strings.TrimPrefix(pc.move, "to:")]; ok && src >= 0 {
					weights[[2]int{editOf[i], src}] += 2 * len(strings.TrimSpace(pc.text))
				}
			}
		}
		if !p.markIns && !(p.markDel && acc(p.markAuthor)) {
			weights[[2]int{editOf[i], origOf[i]}]++
		}
	}
	return weights
}

// linkPair is an edited group e, an original group o, and their weight w.
type linkPair struct{ e, o, w int }

// heaviestFirst returns the pairs of positive weight, heaviest first, then
// in the order of the edited and the original groups.
func heaviestFirst(weights map[[2]int]int) []linkPair {
	var pairs []linkPair
	for k, w := range weights {
		if w > 0 {
			pairs = append(pairs, linkPair{k[0], k[1], w})
		}
	}
	sort.Slice(pairs, func(a, b int) bool {
		if pairs[a].w != pairs[b].w {
			return pairs[a].w > pairs[b].w
		}
		if pairs[a].e != pairs[b].e {
			return pairs[a].e < pairs[b].e
		}
		return pairs[a].o < pairs[b].o
	})
	return pairs
}

// finish returns the provisions of both views: original paragraphs with
// the ids of their bookmarks, edited ones with the index of the original
// paragraph they continue and their comments.
func finish(paras []*xpara, orig, edit *view, comments map[string]string) (o, e []drafts.WordParagraph) {
	index := map[int]int{} // original group → index among provisions
	for gi, g := range orig.groups {
		if g.skip {
			continue
		}
		p := drafts.WordParagraph{Markup: g.markup, Origin: len(o)}
		index[gi] = len(o)
		// The bookmark of the paragraph whose mark ends the group: those
		// before it were inserted and carry their own.
		if bms := paras[g.paras[len(g.paras)-1]].bookmarks; len(bms) > 0 {
			id := strings.TrimPrefix(bms[0], drafts.WordBookmarkPrefix)
			p.ID = strings.ReplaceAll(id, "_", "-")
		}
		o = append(o, p)
	}
	e = []drafts.WordParagraph{}
	for _, g := range edit.groups {
		if g.skip {
			continue
		}
		p := drafts.WordParagraph{Markup: g.markup, Origin: -1}
		if k, ok := index[g.origin]; ok && g.origin >= 0 {
			p.Origin = k
		}
		for _, i := range g.paras {
			for _, id := range paras[i].comments {
				if c := strings.TrimSpace(comments[id]); c != "" {
					p.Comments = append(p.Comments, c)
				}
			}
		}
		e = append(e, p)
	}
	return o, e
}

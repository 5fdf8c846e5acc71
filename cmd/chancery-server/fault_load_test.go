package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"
)

// ledger is what the writers of the fault tests asked and were answered:
// the changes acknowledged (by action and ref, as their events name them)
// and, by action, how many were tried without a refusal (acknowledged, or
// answered with a failure that may have stored them).
type ledger struct {
	mu       sync.Mutex
	acks     map[string]int // "action ref"
	tried    map[string]int // action
	statuses map[int]int
	// proposals made, by delegate; cosponsored: "delegate proposal" pairs
	// acknowledged (a second co-sponsorship changes nothing).
	proposals   [][]string
	cosponsored map[string]bool
	// positions: each delegate's open position, if any; focus: how many
	// times the chair moved the focus.
	positions map[int]string
	focus     int
}

func newLedger() *ledger {
	return &ledger{acks: map[string]int{}, tried: map[string]int{}, statuses: map[int]int{}, cosponsored: map[string]bool{}, positions: map[int]string{}}
}

// note records an answer of status to a change of action on ref.
func (l *ledger) note(status int, action, ref string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.statuses[status]++
	if status < 300 || status >= 500 || status == -1 {
		l.tried[action]++
	}
	if status >= 200 && status < 300 {
		l.acks[action+" "+ref]++
	}
}

// recent returns one of the last proposals of delegate w (another
// delegate's when other), "" if there is none yet.
func (l *ledger) recent(w int, other bool) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if other {
		w = (w + 1 + rand.IntN(len(l.proposals)-1)) % len(l.proposals)
	}
	ps := l.proposals[w]
	if len(ps) == 0 {
		return ""
	}
	return ps[len(ps)-1-rand.IntN(min(len(ps), 5))]
}

// load makes changes of every kind until stop closes: four delegates
// propose, comment, co-sponsor, edit, withdraw, record and withdraw
// positions and answer adoption rounds; the chair sets statuses, rejects,
// merges, publishes versions and moves the focus on one document, and
// opens and closes adoption rounds on the other.
func load(a *faultClient, f *forum, l *ledger, stop <-chan struct{}) {
	l.mu.Lock()
	for len(l.proposals) < len(f.delegates) {
		l.proposals = append(l.proposals, nil)
	}
	l.mu.Unlock()
	var wg sync.WaitGroup
	loop := func(step func(i int) int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if step(i) == -1 {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
	for w := range f.delegates {
		loop(func(i int) int { return delegateStep(a, f, l, w, i) })
	}
	loop(func(i int) int { return chairStep(a, f, l, i) })
	loop(func(i int) int { return roundStep(a, f, l, i) })
	wg.Wait()
}

// delegateStep makes one change as delegate w, and returns the status.
func delegateStep(a *faultClient, f *forum, l *ledger, w, i int) int {
	tok := f.delegates[w]
	docPath := "/v1/documents/" + f.doc
	prov := f.provisions[(w*7+i)%len(f.provisions)]
	replace := func(text string) map[string]any {
		return map[string]any{"base": 1, "justification": "load",
			"operations": []map[string]string{{"op": "replace", "provision": prov, "text": text}}}
	}
	if i%9 == 8 {
		return positionStep(a, f, l, w, prov)
	}
	switch i % 7 {
	case 0, 1:
		var p struct{ ID string }
		st := a.do("POST", docPath+"/proposals", tok, replace(fmt.Sprintf("Words of delegate %d, round %d.", w, i)), &p)
		l.note(st, "proposal.create", p.ID)
		if st == 201 {
			l.mu.Lock()
			l.proposals[w] = append(l.proposals[w], p.ID)
			l.mu.Unlock()
		}
		return st
	case 2:
		return proposalChange(a, l, tok, docPath, l.recent(w, true), "/comments", "proposal.comment", map[string]string{"text": "A remark."})
	case 3:
		id := l.recent(w, true)
		pair := fmt.Sprint(w, " ", id)
		st := a.do("POST", docPath+"/proposals/"+id+"/cosponsor", tok, nil, nil)
		l.mu.Lock()
		first := !l.cosponsored[pair]
		if st == 200 {
			l.cosponsored[pair] = true
		}
		l.mu.Unlock()
		if first {
			l.note(st, "proposal.cosponsor", id)
		}
		return st
	case 4:
		id := l.recent(w, false)
		if i%21 == 4 {
			return proposalChange(a, l, tok, docPath, id, "/withdraw", "proposal.withdraw", nil)
		}
		st := a.do("PUT", docPath+"/proposals/"+id, tok, replace(fmt.Sprintf("Words of delegate %d, edited in round %d.", w, i)), nil)
		l.note(st, "proposal.edit", id)
		return st
	default:
		action, path, body := "adoption.consent", "/adoption/consent", any(nil)
		if w%2 == 1 {
			action, path, body = "adoption.objection", "/adoption/objection", map[string]string{"reason": "Not yet."}
		}
		var r struct{ Version int }
		st := a.do("POST", "/v1/documents/"+f.rounds+path, tok, body, &r)
		l.note(st, action, strconv.Itoa(r.Version))
		return st
	}
}

// proposalChange posts a change to proposal id.
func proposalChange(a *faultClient, l *ledger, tok, docPath, id, path, action string, body any) int {
	if id == "" {
		return 0
	}
	st := a.do("POST", docPath+"/proposals/"+id+path, tok, body, nil)
	l.note(st, action, id)
	return st
}

// chairStep makes one change as the chair of the proposals' document.
func chairStep(a *faultClient, f *forum, l *ledger, i int) int {
	docPath := "/v1/documents/" + f.doc
	var d struct{ Head int }
	if st := a.do("GET", docPath, f.chair, nil, &d); st != 200 {
		return st
	}
	head := strconv.Itoa(d.Head)
	if i%7 == 6 {
		return focusStep(a, f, l)
	}
	switch i % 5 {
	case 0, 3:
		prov := f.provisions[i%len(f.provisions)]
		st := a.do("PUT", docPath+"/versions/"+head+"/provisions/"+prov+"/status", f.chair,
			map[string]string{"status": []string{"bracketed", "agreed", "pending"}[i%3]}, nil)
		l.note(st, "provision.status", head+"/"+prov)
		return st
	case 1:
		return proposalChange(a, l, f.chair, docPath, l.recent(i%len(f.delegates), false), "/reject", "proposal.reject", map[string]string{"reason": "No."})
	case 2:
		var ids []string
		for w := range f.delegates[:3] {
			if id := l.recent((w+i)%len(f.delegates), false); id != "" {
				ids = append(ids, id)
			}
		}
		var m struct{ Number int } // the new version
		st := a.do("POST", docPath+"/merges", f.chair, map[string]any{"base": d.Head, "proposals": ids}, &m)
		l.note(st, "merge", strconv.Itoa(m.Number))
		return st
	default:
		var v struct{ Number int }
		st := a.do("POST", docPath+"/versions", f.chair, map[string]any{"base": d.Head, "text": faultText(i), "message": "revised"}, &v)
		l.note(st, "version.create", strconv.Itoa(v.Number))
		return st
	}
}

// roundStep opens an adoption round on the rounds' document, or closes
// the open one once a delegation objects (so that it fails and the next
// can open).
func roundStep(a *faultClient, f *forum, l *ledger, i int) int {
	docPath := "/v1/documents/" + f.rounds
	var r struct {
		State      string
		Version    int
		Objections []struct{}
	}
	st := a.do("GET", docPath+"/adoption", f.chair, nil, &r)
	switch {
	case st == 404 || st == 200 && r.State != "open":
		var opened struct{ Version int }
		st = a.do("POST", docPath+"/adoption", f.chair, map[string]any{"procedure": "consensus"}, &opened)
		l.note(st, "adoption.open", strconv.Itoa(opened.Version))
	case st == 200 && len(r.Objections) > 0:
		var closed struct{ State string }
		st = a.do("POST", docPath+"/adoption/close", f.chair, nil, &closed)
		action := "adoption.failed" // a delegation objected
		if closed.State == "adopted" {
			action = "adoption.adopted"
		}
		l.note(st, action, strconv.Itoa(r.Version))
	default:
		time.Sleep(10 * time.Millisecond)
	}
	return st
}

// positionStep records a position of delegate w's delegation on prov, or
// withdraws the one it has open.
func positionStep(a *faultClient, f *forum, l *ledger, w int, prov string) int {
	docPath := "/v1/documents/" + f.doc + "/positions"
	l.mu.Lock()
	open := l.positions[w]
	l.mu.Unlock()
	if open != "" {
		st := a.do("DELETE", docPath+"/"+open, f.delegates[w], nil, nil)
		l.note(st, "position.withdraw", open)
		if st < 500 && st != -1 {
			l.mu.Lock()
			delete(l.positions, w)
			l.mu.Unlock()
		}
		return st
	}
	var p struct{ ID string }
	st := a.do("POST", docPath, f.delegates[w], map[string]string{"provision": prov, "kind": "support"}, &p)
	l.note(st, "position.record", p.ID)
	if st == 201 {
		l.mu.Lock()
		l.positions[w] = p.ID
		l.mu.Unlock()
	}
	return st
}

// focusStep moves the focus to the next provision (never the one it is
// on: each acknowledged move is a change).
func focusStep(a *faultClient, f *forum, l *ledger) int {
	l.mu.Lock()
	l.focus++
	prov := f.provisions[l.focus%len(f.provisions)]
	l.mu.Unlock()
	st := a.do("PUT", "/v1/documents/"+f.doc+"/focus", f.chair, map[string]string{"provision": prov}, nil)
	l.note(st, "focus.set", prov)
	return st
}

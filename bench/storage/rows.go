package main

import (
	"context"
	"fmt"
)

func (b *bench) getVersion() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.small+"/versions/1", "KZ", nil, 200, nil) })
}

func (b *bench) getDocument() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.small, "KZ", nil, 200, nil) })
}

func (b *bench) postProposal() (float64, float64) {
	return b.measure(*reps, func(i int) { b.propose(b.small, b.smallProv[i%len(b.smallProv)], "KZ") })
}

func (b *bench) listProposals() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.big+"/proposals?limit=100", "KZ", nil, 200, nil) })
}

// listProposalsNewReplica is listProposals, each time the first request
// of a replica just started.
func (b *bench) listProposalsNewReplica() (float64, float64) {
	return b.onNewReplicas("/v1/documents/" + b.big + "/proposals?limit=100")
}

// compilationNewReplica is compilation, each time the first request of a
// replica just started: every proposal and the versions they were made on
// read, and every proposal's changes computed.
func (b *bench) compilationNewReplica() (float64, float64) {
	return b.onNewReplicas("/v1/documents/" + b.big + "/compilation")
}

// onNewReplicas measures a GET of path, each time the first request of a
// replica just started.
func (b *bench) onNewReplicas(path string) (float64, float64) {
	main := b.base
	defer func() { b.base = main }()
	bases := make([]string, *reps)
	for i := range bases {
		var stop func()
		bases[i], stop = b.replica()
		defer stop()
	}
	return b.measure(*reps, func(i int) {
		b.base = bases[i]
		b.do("GET", path, "KZ", nil, 200, nil)
	})
}

func (b *bench) listDocuments() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents?limit=50", "KZ", nil, 200, nil) })
}

func (b *bench) compilation() (float64, float64) {
	return b.measure(*reps, func(int) { b.do("GET", "/v1/documents/"+b.big+"/compilation", "KZ", nil, 200, nil) })
}

// merge merges 28 proposals on distinct provisions of a fresh document
// each time (the head moves, so each repetition needs its own).
func (b *bench) merge() (float64, float64) {
	reps := 3
	var docs []string
	var props [][]string
	for r := 0; r < reps; r++ {
		doc, prov := b.document(fmt.Sprintf("merge%d", r), 40)
		var ps []string
		for i := 0; i < 28; i++ {
			ps = append(ps, b.propose(doc, prov[i], []string{"KZ", "IN"}[i%2]))
		}
		docs, props = append(docs, doc), append(props, ps)
	}
	return b.measure(reps, func(i int) {
		b.do("POST", "/v1/documents/"+docs[i]+"/merges", "chair", map[string]any{"base": 1, "proposals": props[i]}, 201, nil)
	})
}

// idle counts what one pass of the silence sweep costs: serve runs it once
// a second on every replica, so this is the idle replica's ops per second.
func (b *bench) idle() (float64, float64) {
	ctx := context.Background()
	check(b.svc.SettleDue(ctx)) // a process's first sweep may do more
	return b.measure(5, func(int) { check(b.svc.SettleDue(ctx)) })
}

// Package drafts is Chancery's domain: the texts governments negotiate
// and the rules they follow, with no storage, network or framework.
//
// It holds the types (Document, Version, Provision, Proposal,
// AdoptionRound, Event, Delegation, User...) and their Validate methods;
// the pure rules of a text: its markup (ParseText, Text.Print), numbering
// and Renumber, operations (ApplyOperations), the rebase of proposals onto
// a newer version (Rebase) and the compilation of open proposals
// (CompileProposals); the error type with its codes (Error, E); the
// interfaces of what the domain needs from outside (ObjectStore, Differ,
// Renderer, Word, Authorizer); and the services every caller uses, one
// interface per aggregate, each method saying what it returns and refuses
// (DocumentService, ProposalService, ... joined in Service).
//
// It imports only the standard library. Package service implements the
// services; storage, diffing, render, docx and policy implement the
// interfaces the domain needs; api, web and cmd/chancery-server hold a Service.
package drafts

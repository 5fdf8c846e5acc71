package api

import (
	"net/http"

	"chancery/drafts"
)

// apiRoutes lists every /v1 route with the action the policy decides on.
// A route without a rule cannot be registered: the action is part of it.
func (s *Server) apiRoutes() []route {
	const (
		get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
		doc                 = "/v1/documents/:doc"
		prop                = doc + "/proposals/:p"
	)
	return []route{
		{method: get, path: "/v1/me", action: drafts.ActMeRead, handler: s.me},

		{method: post, path: "/v1/delegations", action: drafts.ActDelegationCreate, handler: s.createDelegation},
		{method: get, path: "/v1/delegations", action: drafts.ActDelegationList, handler: s.listDelegations},
		{method: post, path: "/v1/users", action: drafts.ActUserCreate, handler: s.createUser},
		{method: get, path: "/v1/users", action: drafts.ActUserList, handler: s.listUsers},
		{method: post, path: "/v1/users/:id/tokens", action: drafts.ActTokenCreate, handler: s.issueToken},
		{method: del, path: "/v1/tokens/:id", action: drafts.ActTokenRevoke, handler: s.revokeToken},

		{method: post, path: "/v1/documents", action: drafts.ActDocumentCreate, handler: s.createDocument},
		{method: get, path: "/v1/documents", action: drafts.ActDocumentList, handler: s.listDocuments},
		{method: get, path: doc, action: drafts.ActDocumentRead, handler: s.getDocument},
		{method: get, path: doc + "/versions", action: drafts.ActDocumentRead, handler: s.listVersions},
		{method: post, path: doc + "/versions", action: drafts.ActVersionCreate, handler: s.createVersion},
		{method: get, path: doc + "/versions/:n", action: drafts.ActDocumentRead, handler: s.getVersion},
		{method: get, path: doc + "/versions/:n/diff", action: drafts.ActDocumentRead, handler: s.versionDiff},
		{method: get, path: doc + "/versions/:n/pdf", action: drafts.ActDocumentRead, handler: s.versionPDF},
		{method: put, path: doc + "/versions/:n/provisions/:id/status", action: drafts.ActStatusSet, handler: s.setStatus},
		// Renumbering publishes a version: the chair's permission to publish one.
		{method: post, path: doc + "/renumbering", action: drafts.ActVersionCreate, handler: s.renumber},

		{method: post, path: doc + "/proposals", action: drafts.ActProposalCreate, handler: s.createProposal},
		{method: get, path: doc + "/proposals", action: drafts.ActDocumentRead, handler: s.listProposals},
		{method: get, path: prop, action: drafts.ActDocumentRead, handler: s.getProposal},
		{method: get, path: prop + "/diff", action: drafts.ActDocumentRead, handler: s.proposalDiff},
		// Editing needs the same permission as withdrawing: the proposal's own delegation.
		{method: put, path: prop, action: drafts.ActProposalWithdraw, handler: s.editProposal},
		{method: post, path: prop + "/withdraw", action: drafts.ActProposalWithdraw, handler: s.withdrawProposal},
		{method: post, path: prop + "/cosponsor", action: drafts.ActProposalCosponsor, handler: s.cosponsorProposal},
		{method: post, path: prop + "/comments", action: drafts.ActProposalComment, handler: s.commentProposal},
		{method: post, path: prop + "/reject", action: drafts.ActProposalReject, handler: s.rejectProposal},
		{method: get, path: doc + "/compilation", action: drafts.ActDocumentRead, handler: s.compilation},
		{method: post, path: doc + "/merges", action: drafts.ActMerge, handler: s.merge},

		{method: post, path: doc + "/adoption", action: drafts.ActAdoptionOpen, handler: s.openAdoption},
		{method: get, path: doc + "/adoption", action: drafts.ActDocumentRead, handler: s.getAdoption},
		{method: post, path: doc + "/adoption/consent", action: drafts.ActAdoptionConsent, handler: s.consent},
		{method: post, path: doc + "/adoption/objection", action: drafts.ActAdoptionObject, handler: s.object},
		{method: post, path: doc + "/adoption/close", action: drafts.ActAdoptionClose, handler: s.closeAdoption},
		{method: get, path: doc + "/events", action: drafts.ActDocumentRead, handler: s.listEvents},
		{method: get, path: doc + "/events/verify", action: drafts.ActEventsVerify, handler: s.verifyEvents},

		// Live (issue 24).
		{method: get, path: doc + "/events/stream", action: drafts.ActDocumentRead, handler: s.eventStream},
		{method: get, path: doc + "/focus", action: drafts.ActDocumentRead, handler: s.getFocus},
		{method: put, path: doc + "/focus", action: drafts.ActFocusSet, handler: s.setFocus},
		{method: post, path: "/v1/webhooks", action: drafts.ActWebhookManage, handler: s.createWebhook},
		{method: get, path: "/v1/webhooks", action: drafts.ActWebhookManage, handler: s.listWebhooks},
		{method: del, path: "/v1/webhooks/:id", action: drafts.ActWebhookManage, handler: s.deleteWebhook},
		{method: get, path: "/v1/webhooks/:id/deliveries", action: drafts.ActWebhookManage, handler: s.listDeliveries},
		// Positions of delegations and the state of play (issue 22).
		// Confirming needs the permission to withdraw: the position's own
		// delegation.
		{method: post, path: doc + "/positions", action: drafts.ActPositionCreate, handler: s.recordPosition},
		{method: get, path: doc + "/positions", action: drafts.ActDocumentRead, handler: s.listPositions},
		{method: post, path: doc + "/positions/:id/confirm", action: drafts.ActPositionWithdraw, handler: s.confirmPosition},
		{method: del, path: doc + "/positions/:id", action: drafts.ActPositionWithdraw, handler: s.withdrawPosition},
		{method: get, path: doc + "/state", action: drafts.ActDocumentRead, handler: s.stateOfPlay},
		{method: put, path: doc + "/languages/:lang", action: drafts.ActTranslationSet, handler: s.addLanguage},
		{method: put, path: doc + "/versions/:n/provisions/:id/translations/:lang", action: drafts.ActTranslationSet, handler: s.setTranslation},
	}
}

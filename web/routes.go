package web

import (
	"github.com/labstack/echo/v4"
)

// routes registers every page. The URLs mirror the API's, without /v1.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/", s.home)
	e.GET("/lang", s.setLanguage)
	e.GET("/signin", s.signinPage)
	e.POST("/signin", s.signin, s.checkCSRF)
	e.GET("/signin/link", s.linkPage)
	e.POST("/signin/link", s.redeemLink, s.checkCSRF)
	e.POST("/signout", s.signout, s.checkCSRF)

	g := e.Group("", s.signedIn, s.checkCSRF, s.readingOnce)
	g.GET("/documents", s.documents)
	g.POST("/documents", s.createDocument)
	g.POST("/documents/:doc/versions", s.createVersion)
	g.POST("/documents/:doc/renumbering", s.renumber)
	g.GET("/documents/:doc/proposals/:p/edit", s.editForm)
	g.POST("/documents/:doc/proposals/:p", s.editProposal)
	g.GET("/documents/:doc", s.document)
	g.GET("/documents/:doc/versions", s.versions)
	g.GET("/documents/:doc/versions/:n", s.version)
	g.GET("/documents/:doc/versions/:n/diff", s.versionDiff)
	g.GET("/documents/:doc/versions/:n/pdf", s.versionPDF)
	g.GET("/documents/:doc/versions/:n/statuses", s.statusPage)
	g.POST("/documents/:doc/versions/:n/statuses", s.setStatuses)
	g.GET("/documents/:doc/compilation", s.compilation)
	g.GET("/documents/:doc/compilation/pdf", s.compilationPDF)
	g.GET("/documents/:doc/proposals/new", s.proposeForm)
	g.POST("/documents/:doc/proposals", s.propose)
	g.GET("/documents/:doc/proposals/:p", s.proposal)
	g.POST("/documents/:doc/proposals/:p/withdraw", s.withdraw)
	g.POST("/documents/:doc/proposals/:p/cosponsor", s.cosponsor)
	g.POST("/documents/:doc/proposals/:p/comments", s.comment)
	g.POST("/documents/:doc/proposals/:p/reject", s.reject)
	g.GET("/documents/:doc/merges/new", s.mergeDesk)
	g.POST("/documents/:doc/merges", s.merge)
	g.GET("/documents/:doc/adoption", s.adoption)
	g.POST("/documents/:doc/adoption", s.openAdoption)
	g.POST("/documents/:doc/adoption/consent", s.consent)
	g.POST("/documents/:doc/adoption/objection", s.object)
	g.POST("/documents/:doc/adoption/close", s.closeAdoption)
	g.GET("/documents/:doc/events", s.events)

	// Live (issue 24).
	g.GET("/documents/:doc/events/stream", s.eventStream)
	g.GET("/documents/:doc/screen", s.screen)
	g.POST("/documents/:doc/focus", s.setFocus)

	g.GET("/secretariat", s.secretariat)
	g.POST("/secretariat/delegations", s.createDelegation)
	g.POST("/secretariat/users", s.createUser)
	g.POST("/secretariat/users/:id/tokens", s.issueToken)
	g.POST("/secretariat/users/:id/signin-links", s.issueLink)
	g.POST("/secretariat/tokens/revoke", s.revokeToken)
}

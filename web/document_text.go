package web

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The text on the document page is made of its provisions, each a part of
// its own named by what it shows (template document-provision-shared),
// not by the version or the document as read: after a merge, only the
// provisions the merge changed are made again. (Made again whole, the
// text of 300 provisions took 11–19 ms of the first reader's request,
// which the whole room waited for.)

// provisionData is what a provision's part shows.
type provisionData struct {
	Provision *drafts.Provision
	Depth     int
	// Positions are the positions on the provision as the reader sees
	// them (ByProvision holds this provision's only), nil when the
	// document has none to show.
	Positions *positionsView
}

// documentProvisions makes the text of the document page p, whose data
// is dd, from the parts of its provisions.
func (s *Server) documentProvisions(c echo.Context, p *Page, dd *documentData) (err error) {
	depths := provisionDepths(dd.Head.Provisions)
	dd.Provisions, err = s.sharedList(c, "document", "document-provision-shared", len(dd.Head.Provisions), func(i int) (*Page, string) {
		return provisionPage(p, dd, &dd.Head.Provisions[i], depths)
	})
	return err
}

// provisionPage is the page provision prov's part is made with, holding
// only what its key names: the document by its id; the provision, its
// depth, its positions as the reader sees them with what the reader may
// do with them, and the names of their delegations. It returns the page
// and the data of the part's key ("" when it cannot be named: not
// shared).
func provisionPage(p *Page, dd *documentData, prov *drafts.Provision, depths map[string]int) (*Page, string) {
	x := &provisionData{Provision: prov, Depth: depths[prov.ID]}
	pp := itemPage(p, x)
	key := struct {
		Provision *drafts.Provision
		Depth     int
		Positions []*drafts.Position
		Names     []string
		Record    bool
		Mine      string
		Shown     bool
	}{Provision: prov, Depth: x.Depth}
	if v := dd.Positions; v != nil {
		ps := v.ByProvision[prov.ID]
		x.Positions = &positionsView{ByProvision: map[string][]*drafts.Position{prov.ID: ps}, Record: v.Record, Mine: v.Mine}
		key.Positions, key.Record, key.Shown = ps, v.Record, true
		for _, pos := range ps {
			key.Names = append(key.Names, pos.Delegation, p.DelegationName(pos.Delegation))
			if pos.Delegation == v.Mine {
				key.Mine = v.Mine
			}
		}
	}
	data, err := json.Marshal(key)
	if err != nil {
		return pp, ""
	}
	// The key is kept with the part: a digest, not the provision's text.
	sum := sha256.Sum256(data)
	return pp, hex.EncodeToString(sum[:16])
}

// documentProposals makes the rows of the list of open proposals of the
// document page p, whose data is dd: each made once for the proposal as
// read (its ETag) and the names it shows.
func (s *Server) documentProposals(c echo.Context, p *Page, dd *documentData) (err error) {
	dd.ProposalRows, err = s.sharedList(c, "document", "document-proposal-shared", len(dd.Proposals), func(i int) (*Page, string) {
		pr := dd.Proposals[i]
		pp := itemPage(p, pr)
		if pr.ETag == "" {
			return pp, ""
		}
		data, err := json.Marshal([]string{pr.ID, pr.ETag, p.ProposalName(pr), p.Del(pr.Delegation), p.Dels(pr.Cosponsors)})
		if err != nil {
			return pp, ""
		}
		return pp, string(data)
	})
	return err
}

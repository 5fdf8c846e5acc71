package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chancery/drafts"
)

// The in-place editor: a new proposal (GET /documents/{doc}/proposals/new,
// POST .../proposals) or the edit of one (GET .../proposals/{p}/edit,
// POST .../proposals/{p}). The text is shown as on the document page;
// the delegate opens provisions where they stand and changes them, and
// every change goes into one proposal. Without JavaScript each step
// (open, discard, preview) is a form post that keeps the form as a saved
// form and comes back to the editor (post/redirect/get); with
// workspace.js the same steps happen in the page (editor_parts.go).

// startMarker is the "after" choice meaning the start of the text.
const startMarker = "^start"

type proposeData struct {
	Head    *drafts.Version
	Rows    []editRow
	Moves   []moveOption
	Start   string // text inserted at the start, if any
	Preview *diffView
	// PreviewError is why the preview could not be made.
	PreviewError error
	Changes      int
	Edit         *drafts.Proposal // the proposal being edited, if any
	Action       string           // where the form posts
	// Oral lists the member delegations on whose behalf the chair may
	// record a proposal made orally (a new proposal, by the chair only).
	Oral []deskOption
}

// editRow is one provision in the editor.
type editRow struct {
	P       drafts.Provision
	Depth   int
	Label   string // "6", or the start of an unnumbered provision's text
	Bis     string // an example number for an insertion after it
	Open    bool
	Changed bool
	Text    string
	Del     bool
	Ins     string
	Move    string
	Others  []otherProposal
	Moves   []moveOption // filled only for an open row
}

// otherProposal is an open proposal to the same provision.
type otherProposal struct {
	Name, URL string
	Yours     bool
}

type moveOption struct{ ID, Label string }

// editorInput is what the editor shows: the state st of the changes to
// base (of the proposal edit, if any), and a preview made already.
type editorInput struct {
	base    *drafts.Version
	edit    *drafts.Proposal
	st      *editorState
	preview *diffView
}

// editorPage renders the editor.
func (s *Server) editorPage(c echo.Context, p *Page, d *drafts.Document, in editorInput, status int) error {
	base, edit, st := in.base, in.edit, in.st
	pd := &proposeData{Head: base, Edit: edit, Action: fmt.Sprintf("/documents/%s/proposals", d.ID)}
	if edit != nil {
		pd.Action += "/" + edit.ID
	}
	others, err := s.competing(c, d, edit)
	if err != nil {
		return err
	}
	pd.Moves = moveOptions(p.L, base)
	var nest drafts.Nesting
	for _, pr := range base.Provisions {
		r := editRow{P: pr, Depth: nest.Depth(pr.Kind, pr.Number), Label: provisionLabel(pr), Open: st.Open[pr.ID] || st.changed(pr),
			Changed: st.changed(pr), Del: st.Del[pr.ID], Ins: st.Ins[pr.ID], Move: st.Move[pr.ID], Others: otherNames(p, d, others[pr.ID])}
		r.Bis = bisOf(pr)
		r.Text = pr.Text
		if t, ok := st.Text[pr.ID]; ok {
			r.Text = t
		}
		if r.Open {
			r.Moves = pd.Moves
		}
		pd.Rows = append(pd.Rows, r)
	}
	pd.Start = st.Ins[startMarker]
	if in.preview != nil {
		pd.Preview = in.preview
	}
	pd.Changes = len(st.operations(base))
	if edit == nil && p.Links.Record {
		pd.Oral = p.memberOptions()
	}
	p.Form["justification"] = st.Justification
	p.Form["on_behalf_of"] = st.OnBehalfOf
	p.Form["base"] = strconv.Itoa(base.Number)
	if p.Saved != nil {
		p.Form["form"] = p.Saved.ID
	}
	if c.QueryParam("preview") != "" && pd.Changes > 0 {
		pd.Preview, pd.PreviewError = s.previewOf(c, d, base, st)
	}
	if p.Form["whole"] == "" {
		p.Form["whole"] = base.Text()
	}
	p.Data = pd
	return s.render(c, status, "propose", p)
}

// previewOf is the tracked diff the state would make.
func (s *Server) previewOf(c echo.Context, d *drafts.Document, base *drafts.Version, st *editorState) (*diffView, error) {
	diff, err := s.Service.PreviewProposal(ctx(c), d.ID, st.input(base))
	if err != nil {
		return nil, err
	}
	return &diffView{Diff: diff, Numbers: numbers(base)}, nil
}

// provisionLabel names a provision in the editor: its number, or the
// start of its text.
func provisionLabel(p drafts.Provision) string {
	if p.Number != "" && !strings.HasPrefix(p.Number, "#") {
		return strings.TrimSuffix(p.Number, ".")
	}
	return excerpt(p.Text, 30)
}

// bisOf is an example number for a provision inserted after p: "6 bis."
func bisOf(p drafts.Provision) string {
	if n := strings.TrimSuffix(p.Number, "."); n != "" && !strings.HasPrefix(n, "#") && !strings.Contains(n, " ") {
		return n + " bis."
	}
	return ""
}

func moveOptions(l Lang, v *drafts.Version) []moveOption {
	out := []moveOption{{ID: startMarker, Label: l.T("the start of the text")}}
	for _, p := range v.Provisions {
		out = append(out, moveOption{ID: p.ID, Label: excerpt(drafts.Markup(p.Number, p.Text), 50)})
	}
	return out
}

// competing returns, by provision, the open proposals that touch it
// (but the one being edited).
func (s *Server) competing(c echo.Context, d *drafts.Document, except *drafts.Proposal) (map[string][]*drafts.Proposal, error) {
	open, err := listAll(func(opt drafts.ListOptions) (*drafts.Page[*drafts.Proposal], error) {
		return s.Service.ListProposals(ctx(c), d.ID, drafts.ProposalFilter{Status: drafts.ProposalOpen}, opt)
	})
	if err != nil {
		return nil, err
	}
	out := map[string][]*drafts.Proposal{}
	for _, pr := range open {
		if except != nil && pr.ID == except.ID {
			continue
		}
		for _, id := range pr.Touches() {
			out[id] = append(out[id], pr)
		}
	}
	return out, nil
}

func otherNames(p *Page, d *drafts.Document, prs []*drafts.Proposal) []otherProposal {
	var out []otherProposal
	for _, pr := range prs {
		out = append(out, otherProposal{Name: p.ProposalName(pr), URL: fmt.Sprintf("/documents/%s/proposals/%s", d.ID, proposalRef(pr)),
			Yours: p.User != nil && pr.Delegation == p.User.Delegation})
	}
	return out
}

// proposePage starts a page of the editor: refused but to delegates of
// member delegations and to the chair, who records proposals made orally.
func (s *Server) proposePage(c echo.Context) (*Page, *drafts.Document, error) {
	p, d, err := s.formsPage(c, "Propose an amendment", func(l docLinks) bool { return l.Propose || l.Record },
		"only delegates of member delegations may propose amendments, and the chair record those made orally")
	if err == nil && !p.Links.Propose {
		p.Title = p.L.T("Record an oral proposal")
	}
	return p, d, err
}

func (s *Server) proposeForm(c echo.Context) error {
	p, d, err := s.proposePage(c)
	if err != nil {
		return err
	}
	base := d.Head
	st := newEditorState()
	if p.Saved != nil {
		st = readEditor(p.Saved.Fields)
		if b, err := strconv.Atoi(url.Values(p.Saved.Fields).Get("base")); err == nil && b > 0 && b <= d.Head {
			base = b
		}
	}
	head, err := s.Service.GetVersion(ctx(c), d.ID, base)
	if err != nil {
		return err
	}
	if id := c.QueryParam("provision"); id != "" && p.Saved == nil {
		if _, i := head.Provision(id); i >= 0 {
			st.Open[id] = true
		}
	}
	return s.editorPage(c, p, d, editorInput{base: head, st: st}, http.StatusOK)
}

// editForm opens the editor on an existing proposal's changes.
func (s *Server) editForm(c echo.Context) error {
	p, d, err := s.docPage(c, "Edit")
	if err != nil {
		return err
	}
	pr, err := s.Service.GetProposal(ctx(c), d.ID, c.Param("p"))
	if err != nil {
		return err
	}
	// The form is its own delegation's only, as submitting it is.
	if !s.may(c, drafts.ActProposalWithdraw, pr.Resource(d)) {
		return &drafts.Error{Code: drafts.EFORBIDDEN, Message: "only the delegation that made this proposal may edit or withdraw it", Permission: drafts.ActProposalWithdraw}
	}
	if err := pr.CheckOpen(); err != nil {
		return err
	}
	base, err := s.Service.GetVersion(ctx(c), d.ID, pr.Base)
	if err != nil {
		return err
	}
	st := editorOf(pr)
	if p.Saved != nil {
		st = readEditor(p.Saved.Fields)
	}
	return s.editorPage(c, p, d, editorInput{base: base, edit: pr, st: st}, http.StatusOK)
}

func (s *Server) propose(c echo.Context) error {
	return s.proposeOrEdit(c, "")
}

func (s *Server) editProposal(c echo.Context) error {
	return s.proposeOrEdit(c, c.Param("p"))
}

// proposeOrEdit takes a step of the editor: open or discard a
// provision, preview, or submit the proposal (new, or the new content of
// proposal id).
func (s *Server) proposeOrEdit(c echo.Context, id string) error {
	p, d, err := s.docPage(c, "Propose an amendment")
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return drafts.Errorf(drafts.EMALFORMED, "could not read the form")
	}
	var edit *drafts.Proposal
	n := d.Head
	if id != "" {
		if edit, err = s.Service.GetProposal(ctx(c), d.ID, id); err != nil {
			return err
		}
		n = edit.Base
	}
	if b, err := strconv.Atoi(form.Get("base")); err == nil && b > 0 && b <= d.Head {
		n = b
	}
	base, err := s.Service.GetVersion(ctx(c), d.ID, n)
	if err != nil {
		return err
	}
	if form.Get("mode") == "whole" {
		return s.wholeText(c, p, d, base, edit, form)
	}
	st := readEditor(form)
	action := form.Get("action")
	if action != "submit" {
		return s.editorStep(c, d, base, edit, st, form.Get("form"), action)
	}
	pr, err := s.sendProposal(c, d, edit, st.input(base))
	if err != nil {
		p.Error = err
		if saved, serr := s.saveEditor(c, d, edit, st, base, form.Get("form")); serr == nil {
			p.Saved = saved
		}
		return s.editorPage(c, p, d, editorInput{base: base, edit: edit, st: st}, httpStatus(err))
	}
	if fid := form.Get("form"); fid != "" {
		if err := s.Service.DeleteForm(ctx(c), fid); err != nil {
			s.Log.Warn("deleting a saved form", "err", err)
		}
	}
	return s.submitted(c, p, d, pr, edit != nil)
}

// sendProposal submits in as a new proposal, or as the new content of
// edit.
func (s *Server) sendProposal(c echo.Context, d *drafts.Document, edit *drafts.Proposal, in drafts.ProposalInput) (*drafts.Proposal, error) {
	if edit == nil {
		return s.Service.CreateProposal(ctx(c), d.ID, in)
	}
	return s.Service.EditProposal(ctx(c), d.ID, edit.ID, in, "")
}

// submitted goes to a proposal just submitted or saved, saying so.
func (s *Server) submitted(c echo.Context, p *Page, d *drafts.Document, pr *drafts.Proposal, edited bool) error {
	notice := msg("%s submitted.")
	if edited {
		notice = msg("%s saved.")
	}
	return s.done(c, fmt.Sprintf("/documents/%s/proposals/%s", d.ID, proposalRef(pr)), notice, p.ProposalName(pr))
}

// wholeText previews or submits a whole edited text (the editor's other
// form), which the service aligns to its base.
func (s *Server) wholeText(c echo.Context, p *Page, d *drafts.Document, base *drafts.Version, edit *drafts.Proposal, form url.Values) error {
	in := drafts.ProposalInput{Base: base.Number, Justification: form.Get("justification"), Text: form.Get("whole")}
	if edit == nil {
		in = oral(in, strings.TrimSpace(form.Get("on_behalf_of")))
	}
	p.Form["whole"] = in.Text
	st := newEditorState()
	st.Justification, st.OnBehalfOf = in.Justification, in.OnBehalfOf
	if form.Get("action") == "preview" {
		diff, err := s.Service.PreviewProposal(ctx(c), d.ID, in)
		if err != nil {
			p.Error = err
			return s.editorPage(c, p, d, editorInput{base: base, edit: edit, st: st}, httpStatus(err))
		}
		p.Form["wholeopen"] = "1"
		return s.editorPage(c, p, d, editorInput{base: base, edit: edit, st: st, preview: &diffView{Diff: diff, Numbers: numbers(base)}}, http.StatusOK)
	}
	pr, err := s.sendProposal(c, d, edit, in)
	if err != nil {
		p.Error = err
		p.Form["wholeopen"] = "1"
		return s.editorPage(c, p, d, editorInput{base: base, edit: edit, st: st}, httpStatus(err))
	}
	return s.submitted(c, p, d, pr, edit != nil)
}

// editorStep keeps the editor's form and comes back to it: a provision
// opened ("open:<id>") or its change discarded ("close:<id>"), or the
// preview.
func (s *Server) editorStep(c echo.Context, d *drafts.Document, base *drafts.Version, edit *drafts.Proposal, st *editorState, formID, action string) error {
	anchor, query := "", url.Values{}
	switch {
	case strings.HasPrefix(action, "open:"):
		id := strings.TrimPrefix(action, "open:")
		st.Open[id] = true
		anchor = "#e-" + id
	case strings.HasPrefix(action, "close:"):
		id := strings.TrimPrefix(action, "close:")
		st.discard(id)
		anchor = "#e-" + id
	case action == "preview":
		query.Set("preview", "1")
		anchor = "#preview"
	}
	saved, err := s.saveEditor(c, d, edit, st, base, formID)
	if err != nil {
		return err
	}
	query.Set("form", saved.ID)
	return c.Redirect(http.StatusSeeOther, saved.Path+"?"+query.Encode()+anchor)
}

// saveEditor keeps the editor's state as the user's saved form formID
// (a new one if "" or gone).
func (s *Server) saveEditor(c echo.Context, d *drafts.Document, edit *drafts.Proposal, st *editorState, base *drafts.Version, formID string) (*drafts.SavedForm, error) {
	path := fmt.Sprintf("/documents/%s/proposals/new", d.ID)
	if edit != nil {
		path = fmt.Sprintf("/documents/%s/proposals/%s/edit", d.ID, edit.ID)
	}
	fields := st.fields()
	fields.Set("base", strconv.Itoa(base.Number))
	return s.keepForm(c, formID, path, fields)
}

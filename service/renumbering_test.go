package service_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"chancery/drafts"
	"chancery/internal/corpus"
	"chancery/render"
)

// onlyRenumbered fails unless every change of d is a renumbering or no
// change at all, and returns the renumberings as "old → new".
func onlyRenumbered(t *testing.T, d *drafts.Diff) []string {
	t.Helper()
	var out []string
	for _, c := range d.Changes {
		switch {
		case c.Kind == drafts.ChangeUnchanged:
		case c.Kind == drafts.ChangeRenumbered && !c.Modified && !c.Moved && len(c.Segments) == 0 && c.OldText == "":
			out = append(out, c.OldNumber+" → "+c.Number)
		default:
			t.Errorf("not a renumbering: %+v", c)
		}
	}
	return out
}

// TestNewRule2: a chair's version inserts a new Rule 2 into the rules of
// procedure. The diff shows the new rule inserted and the following rules
// renumbered, with no word changed; a proposal made to the old Rule 3
// stands under Rule 4 in the compilation of the new head.
func TestNewRule2(t *testing.T) {
	text := corpus.Must(t, "rules-of-procedure.txt")
	f := MustFixture(t, MustOpenLocal(t), text)
	rule3 := f.v.Provisions[8]
	if rule3.Number != "Rule 3." || rule3.Text != "Consensus" {
		t.Fatalf("provision 8 is %q %q", rule3.Number, rule3.Text)
	}
	prop, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Justification: "Say how.",
		Operations: []drafts.Operation{{Op: "replace", Provision: rule3.ID, Text: "Consensus and voting"}}})
	if err != nil {
		t.Fatal(err)
	}

	revised := text
	for n := 6; n >= 2; n-- {
		from, to := "Rule "+itoa(n), "Rule "+itoa(n+1)
		revised = strings.Replace(revised, "\n"+from+".", "\n"+to+".", 1)
		revised = strings.Replace(revised, "\n"+from+"\n", "\n"+to+"\n", 1)
		revised = strings.Replace(revised, "\n"+from+" —", "\n"+to+" —", 1)
	}
	revised = strings.Replace(revised, "Rule 3. Special sessions", "Rule 2. Extraordinary sessions\n\nThe Chair may convene an extraordinary session in an emergency.\n\nRule 3. Special sessions", 1)
	v2, err := f.svc.CreateVersion(f.chair, f.doc, 1, revised, "A rule on extraordinary sessions")
	if err != nil {
		t.Fatal(err)
	}
	d, _, _, err := f.svc.VersionDiff(f.kz, f.doc, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	var inserted, renumbered []string
	for _, c := range d.Changes {
		switch {
		case c.Kind == drafts.ChangeUnchanged:
		case c.Kind == drafts.ChangeInserted:
			inserted = append(inserted, drafts.Markup(c.Number, c.Text))
		case c.Kind == drafts.ChangeRenumbered && !c.Modified && !c.Moved && len(c.Segments) == 0:
			renumbered = append(renumbered, c.OldNumber+" → "+c.Number)
		default:
			t.Errorf("unexpected change: %+v", c)
		}
	}
	if got, want := strings.Join(inserted, " | "), "Rule 2. Extraordinary sessions | The Chair may convene an extraordinary session in an emergency."; got != want {
		t.Errorf("inserted %q, want %q", got, want)
	}
	if got, want := strings.Join(renumbered, ", "), "Rule 2. → Rule 3., Rule 3. → Rule 4., Rule 4. → Rule 5., Rule 5 → Rule 6, Rule 6 → Rule 7"; got != want {
		t.Errorf("renumbered %q, want %q", got, want)
	}
	if p, i := v2.Provision(rule3.ID); i < 0 || p.Number != "Rule 4." {
		t.Fatalf("the old Rule 3 in version 2: %+v", p)
	}

	comp, _, err := f.svc.Compile(f.kz, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range comp.Entries {
		for _, cp := range e.Proposals {
			if len(cp.Proposals) > 0 && cp.Proposals[0] == prop.ID {
				found = true
				if e.Provision.Number != "Rule 4." || e.Provision.ID != rule3.ID {
					t.Errorf("the proposal stands under %q %q, want Rule 4.", e.Provision.Number, e.Provision.Text)
				}
				if cp.Text != "Consensus and voting" {
					t.Errorf("compiled text %q", cp.Text)
				}
			}
		}
	}
	if !found {
		t.Fatalf("the proposal is not in the compilation: %+v", comp.Entries)
	}

	// The compilation's PDF prints the proposal under "Rule 4. Consensus".
	f.svc.Renderer = render.New(render.WithDeterministic(true))
	pdf, err := f.svc.CompilationPDF(f.kz, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	printed := pdfText(t, pdf.Data)
	at := strings.Index(printed, "Rule 4. Consensus")
	prop4 := strings.Index(printed, "Consensus and voting")
	next := strings.Index(printed, "Rule 5. Silence procedure")
	if at < 0 || !(at < prop4 && prop4 < next) {
		t.Fatalf("the proposal is not under Rule 4 in the compilation PDF (at %d, %d, %d):\n%s", at, prop4, next, printed)
	}
}

// pdfText returns the text of a PDF, laid out, by pdftotext: the test fails
// without it under CI=true and is skipped elsewhere.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is not installed (apt-get install -y poppler-utils)")
		}
		t.Skip("pdftotext is not installed")
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("RENDER_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, t.Name()+".pdf"), data, 0o644)
	}
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// TestRenumberVersion: a bis paragraph inserted by a merged proposal, then
// the chair's renumbering: the diff between the two versions is
// renumbering only, statuses stay, and a second renumbering has nothing
// to do.
func TestRenumberVersion(t *testing.T) {
	f := MustFixture(t, MustOpenLocal(t), "# Draft\n\n1. One.\n\n2. Two.\n\n(a) item;\n\n3. Three.\n")
	two := f.v.Provisions[2]
	p, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Justification: "More.",
		Operations: []drafts.Operation{{Op: "insert", After: f.v.Provisions[3].ID, Text: "2 bis. Two and a half."}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{p.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.SetProvisionStatus(f.chair, f.doc, 2, two.ID, drafts.ProvisionAgreed, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RenumberVersion(f.kz, f.doc, drafts.RenumberInput{Base: 2}); drafts.ErrorCode(err) != drafts.EFORBIDDEN {
		t.Fatalf("a delegate renumbering: %v", err)
	}
	if _, err := f.svc.RenumberVersion(f.chair, f.doc, drafts.RenumberInput{Base: 1}); drafts.ErrorCode(err) != drafts.ECONFLICT {
		t.Fatalf("renumbering an old base: %v", err)
	}
	three := f.v.Provisions[4]
	open, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 2, Justification: "Plainer.",
		Operations: []drafts.Operation{{Op: "replace", Provision: three.ID, Text: "Three, plainly."}}})
	if err != nil {
		t.Fatal(err)
	}
	v3, err := f.svc.RenumberVersion(f.chair, f.doc, drafts.RenumberInput{Base: 2, Message: "Renumbered before adoption"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := v3.Text(), "# Draft\n\n1. One.\n\n2. Two.\n\n(a) item;\n\n3. Two and a half.\n\n4. Three.\n"; got != want {
		t.Fatalf("text %q, want %q", got, want)
	}
	if v3.Message != "Renumbered before adoption" || v3.Parent != 2 {
		t.Fatalf("version %+v", v3)
	}
	d, _, _, err := f.svc.VersionDiff(f.kz, f.doc, 3, 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(onlyRenumbered(t, d), ", "), "2 bis. → 3., 3. → 4."; got != want {
		t.Fatalf("renumbered %q, want %q", got, want)
	}
	if p, _ := v3.Provision(two.ID); p.Status != drafts.ProvisionAgreed {
		t.Fatalf("status of paragraph 2 after renumbering: %q", p.Status)
	}
	// The compilation of the renumbered head lists the open proposal under
	// the new number 4., with its own words only.
	comp, _, err := f.svc.Compile(f.kz, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, e := range comp.Entries {
		for _, cp := range e.Proposals {
			listed = append(listed, e.Provision.Number+" "+cp.Op+" "+cp.Text+" "+strings.Join(cp.Proposals, ","))
		}
	}
	if got, want := strings.Join(listed, " | "), "4. replace Three, plainly. "+open.ID; got != want {
		t.Fatalf("compilation %q, want %q", got, want)
	}
	_, err = f.svc.RenumberVersion(f.chair, f.doc, drafts.RenumberInput{Base: 3})
	if drafts.ErrorCode(err) != drafts.ECONFLICT || !strings.Contains(drafts.ErrorMessage(err), "nothing to renumber") {
		t.Fatalf("renumbering a clean text: %v", err)
	}
	if _, err := f.svc.RenumberVersion(f.chair, f.doc, drafts.RenumberInput{Base: 3, Message: strings.Repeat("x", 2001)}); drafts.ErrorCode(err) != drafts.EINVALID {
		t.Fatalf("a long message: %v", err)
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

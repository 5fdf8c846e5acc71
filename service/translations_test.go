package service_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"chancery/diffing"
	"chancery/drafts"
	"chancery/internal/corpus"
	"chancery/render"
	"chancery/service"
)

var secretariat = drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "sec", Name: "Translation unit", Role: drafts.RoleSecretariat})

// roadMapWithRussian is the corpus road map with its Russian version.
func roadMapWithRussian(t *testing.T, store drafts.ObjectStore) *fixture {
	t.Helper()
	f := MustFixture(t, store, corpus.Must(t, "sample-draft-road-map.txt"))
	f.svc.Renderer = render.New(render.WithDeterministic(true))
	ru, err := f.svc.AddLanguage(secretariat, f.doc, "ru", corpus.Must(t, "sample-draft-road-map.ru.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ru.Provisions {
		if p.Translation != drafts.TranslationCurrent {
			t.Fatalf("after adding Russian, %s is %s", p.Number, p.Translation)
		}
	}
	return f
}

// byNumber returns the provision numbered number (in its language).
func byNumber(t *testing.T, v *drafts.Version, number string) drafts.Provision {
	t.Helper()
	for _, p := range v.Provisions {
		if p.Number == number {
			return p
		}
	}
	t.Fatalf("version %d (%s) has no provision %q", v.Number, v.Language, number)
	return drafts.Provision{}
}

// paragraph6 is the chair's revision of the road map: paragraph 6
// amended, 6 bis inserted after it.
func paragraph6(text string) string {
	return strings.Replace(text, "6. All decisions shall continue to be taken by consensus.",
		"6. All decisions shall continue to be taken by consensus of the Member States.\n\n6 bis. Decisions on procedural matters may be taken by the Chair after consultations.", 1)
}

// TestLanguagesKeptInStep follows the Russian version of the road map
// through a chair's revision and a renumbering: untouched provisions stay
// current, paragraph 6 goes stale with the original's change beside it, 6
// bis is missing and becomes 7 in both languages; adoption is refused
// until both are translated, each translation a revision of the head with
// its event; the Russian diff shows the Russian changes.
func TestLanguagesKeptInStep(t *testing.T) {
	f := roadMapWithRussian(t, MustOpenLocal(t))
	ctx := f.chair
	if _, err := f.svc.CreateVersion(ctx, f.doc, 1, paragraph6(f.v.Text()), "Paragraph 6"); err != nil {
		t.Fatal(err)
	}
	ru2, err := f.svc.GetVersionIn(f.kz, f.doc, 2, "ru")
	if err != nil {
		t.Fatal(err)
	}
	p6, bis := byNumber(t, ru2, "6."), byNumber(t, ru2, "6-бис.")
	if p6.Translation != drafts.TranslationStale || !strings.HasPrefix(p6.Text, "Все решения") || p6.Original == nil {
		t.Fatalf("paragraph 6 in Russian: %+v", p6)
	}
	if got := inserted(p6.Original.Change); got != "of the Member States" {
		t.Errorf("the original's change beside paragraph 6 inserts %q", got)
	}
	if bis.Translation != drafts.TranslationMissing || bis.Text != "" || bis.Original.Text != "Decisions on procedural matters may be taken by the Chair after consultations." {
		t.Fatalf("6 bis in Russian: %+v", bis)
	}
	if p := byNumber(t, ru2, "7."); p.Translation != drafts.TranslationCurrent || !strings.HasPrefix(p.Text, "Решение может быть принято") {
		t.Errorf("paragraph 7 in Russian: %+v", p)
	}
	d, err := f.svc.GetDocument(f.kz, f.doc)
	if err != nil {
		t.Fatal(err)
	}
	n := len(ru2.Provisions)
	want := []drafts.LanguageState{{Language: "en", Original: true, Current: n}, {Language: "ru", Current: n - 2, Stale: 1, Missing: 1}}
	if !slices.Equal(d.LanguageStates, want) {
		t.Errorf("languages = %+v, want %+v", d.LanguageStates, want)
	}

	// Renumbering renumbers every language.
	if _, err := f.svc.RenumberVersion(ctx, f.doc, drafts.RenumberInput{Base: 2}); err != nil {
		t.Fatal(err)
	}
	ru3, err := f.svc.GetVersionIn(f.kz, f.doc, 3, "ru")
	if err != nil {
		t.Fatal(err)
	}
	if p := byNumber(t, ru3, "7."); p.ID != bis.ID || p.Translation != drafts.TranslationMissing {
		t.Errorf("Russian 7. after renumbering: %+v, want the missing 6 bis", p)
	}
	if p := byNumber(t, ru3, "8."); !strings.HasPrefix(p.Text, "Решение может быть принято") || p.Translation != drafts.TranslationCurrent {
		t.Errorf("Russian 8. after renumbering: %+v", p)
	}
	if p := byNumber(t, ru3, "21."); p.Translation != drafts.TranslationCurrent {
		t.Errorf("Russian 21. after renumbering: %+v", p)
	}

	// Adoption waits for both.
	_, err = f.svc.OpenAdoption(ctx, f.doc, drafts.AdoptionInput{Procedure: drafts.ProcedureConsensus})
	e := drafts.AsError(err)
	if e == nil || e.Code != drafts.ELANGUAGES || len(e.Fields) != 2 || e.Fields[0].Field != "provisions."+p6.ID || e.Fields[1].Field != "provisions."+bis.ID ||
		!strings.Contains(e.Message, "ru paragraph 6 (stale), ru paragraph 7 (missing)") {
		t.Fatalf("OpenAdoption: %v %+v, want languages_out_of_step naming paragraphs 6 and 7", err, e)
	}

	// The older version's translations are a record; the head's take revisions.
	if _, _, err := f.svc.SetTranslation(secretariat, f.doc, 2, p6.ID, "ru", "Все решения.", ""); !drafts.IsCode(err, drafts.ECONFLICT) {
		t.Fatalf("a translation of version 2: %v, want ECONFLICT", err)
	}
	if _, _, err := f.svc.SetTranslation(f.kz, f.doc, 3, p6.ID, "ru", "Все решения.", ""); !drafts.IsCode(err, drafts.EFORBIDDEN) {
		t.Fatalf("a delegate's translation: %v, want EFORBIDDEN", err)
	}
	got, etag, err := f.svc.SetTranslation(secretariat, f.doc, 3, p6.ID, "ru", "Все решения по-прежнему принимаются на основе консенсуса государств-членов.", "")
	if err != nil || got.Translation != drafts.TranslationCurrent || got.Number != "6." {
		t.Fatalf("SetTranslation: %+v, %v", got, err)
	}
	if _, _, err := f.svc.SetTranslation(f.chair, f.doc, 3, bis.ID, "ru", "Решения по процедурным вопросам могут приниматься Председателем после консультаций.", "stale-etag"); !drafts.IsCode(err, drafts.EPRECONDITION) {
		t.Fatalf("a stale If-Match: %v", err)
	}
	got, _, err = f.svc.SetTranslation(f.chair, f.doc, 3, bis.ID, "ru", "7. Решения по процедурным вопросам могут приниматься Председателем после консультаций.", etag)
	if err != nil || got.Number != "7." || !strings.HasPrefix(got.Text, "Решения по процедурным") {
		t.Fatalf("SetTranslation with its number: %+v, %v", got, err)
	}
	if _, err := f.svc.OpenAdoption(ctx, f.doc, drafts.AdoptionInput{Procedure: drafts.ProcedureConsensus}); err != nil {
		t.Fatalf("OpenAdoption with every language current: %v", err)
	}

	// The Russian diff from 1 to 3: paragraph 6 changed, 7 inserted, the rest renumbered.
	diff, _, _, err := f.svc.VersionDiffIn(f.kz, f.doc, 3, 1, "ru")
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, c := range diff.Changes {
		if c.Kind == drafts.ChangeModified || c.Kind == drafts.ChangeInserted {
			changed = append(changed, c.Kind+" "+c.Number+" "+inserted(c.Segments)+" | "+c.Text)
		}
	}
	if len(changed) != 2 || !strings.HasPrefix(changed[0], "modified 6. государств-членов | ") || !strings.HasPrefix(changed[1], "inserted 7.  | Решения по процедурным") {
		t.Errorf("Russian changes from 1 to 3: %q", changed)
	}

	// Every translation is in the audit trail, and the trail holds.
	ver, err := f.svc.VerifyEvents(f.kz, f.doc)
	if err != nil || !ver.OK || len(ver.Unrecorded) != 0 {
		t.Fatalf("verify: %+v %v", ver, err)
	}
	events, err := f.svc.ListEvents(f.kz, f.doc, drafts.ListOptions{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range events.Items {
		if strings.HasPrefix(e.Action, "translation.") {
			actions = append(actions, e.Action+" "+e.Ref)
		}
	}
	if want := []string{"translation.text ru/1", "translation.provision ru/3/" + p6.ID, "translation.provision ru/3/" + bis.ID}; !slices.Equal(actions, want) {
		t.Errorf("translation events %q, want %q", actions, want)
	}
}

// inserted joins the inserted words of a word diff.
func inserted(segs []drafts.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Op == drafts.SegInsert {
			b.WriteString(s.Text)
		}
	}
	return strings.TrimSpace(b.String())
}

// TestAddLanguageRefusesMisalignedText: the Russian road map as it was
// before it was completed (no item (d), no paragraph 5, stopping after
// Cluster II) is refused, each provision that does not match named, and
// nothing is stored: no language version, no event.
func TestAddLanguageRefusesMisalignedText(t *testing.T) {
	store := MustOpenLocal(t)
	f := MustFixture(t, store, corpus.Must(t, "sample-draft-road-map.txt"))
	before, _, err := store.List(t.Context(), "", "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	full := strings.Split(corpus.Must(t, "sample-draft-road-map.ru.txt"), "\n\n")
	var partial []string
	for _, block := range full {
		if strings.HasPrefix(block, "(d) ") || strings.HasPrefix(block, "5. ") {
			continue
		}
		if strings.HasPrefix(block, "# Блок III") {
			break
		}
		partial = append(partial, block)
	}
	_, err = f.svc.AddLanguage(secretariat, f.doc, "ru", strings.Join(partial, "\n\n")+"\n")
	e := drafts.AsError(err)
	if e == nil || e.Code != drafts.EINVALID {
		t.Fatalf("AddLanguage: %v, want EINVALID", err)
	}
	var msgs []string
	for _, fe := range e.Fields {
		msgs = append(msgs, fe.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"sub-paragraph (d) of paragraph 4: the translation has no provision for it", "paragraph 5: the translation has no provision for it",
		"paragraph 9: the translation has no provision for it", "paragraph 20: the translation has no provision for it", "“Cluster VIII. Implementation”"} {
		if !strings.Contains(all, want) {
			t.Errorf("errors lack %q:\n%s", want, all)
		}
	}
	after, _, err := store.List(t.Context(), "", "", 10000)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Errorf("%d objects stored before, %d after a refused translation", len(before), len(after))
	}
	d, err := f.svc.GetDocument(f.kz, f.doc)
	if err != nil || len(d.LanguageVersions) != 0 || len(d.LanguageStates) != 1 {
		t.Fatalf("document after a refused translation: %+v, %v", d, err)
	}
	if _, err := f.svc.GetVersionIn(f.kz, f.doc, 1, "ru"); !drafts.IsCode(err, drafts.ENOTFOUND) {
		t.Errorf("reading Russian: %v, want ENOTFOUND", err)
	}
}

// TestTranslationRacesANewVersion: translations of paragraph 1 sent while
// the chair publishes new versions are either refused (the version they
// were sent for is superseded) or carried into every later version.
func TestTranslationRacesANewVersion(t *testing.T) {
	f := roadMapWithRussian(t, MustOpenLocal(t))
	p1 := f.v.Provisions[1]
	text := f.v.Text()
	var wg sync.WaitGroup
	var mu sync.Mutex
	landed := map[int]string{} // version → the translation it took
	for i := 1; i <= 6; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			text = strings.Replace(text, "20. ", fmt.Sprintf("20. (%d) ", i), 1)
			if _, err := f.svc.CreateVersion(f.chair, f.doc, i, text, ""); err != nil {
				t.Errorf("version %d: %v", i+1, err)
			}
		}()
		go func() {
			defer wg.Done()
			tr := fmt.Sprintf("Перевод %d.", i)
			for n := i; n <= i+1; n++ {
				if _, _, err := f.svc.SetTranslation(secretariat, f.doc, n, p1.ID, "ru", tr, ""); err == nil {
					mu.Lock()
					landed[n] = tr
					mu.Unlock()
					return
				} else if !drafts.IsCode(err, drafts.ECONFLICT) && !drafts.IsCode(err, drafts.ENOTFOUND) {
					t.Errorf("translation: %v", err)
				}
			}
		}()
		wg.Wait()
	}
	// Each version holds the translation last landed on it or before it.
	last := "Государства-члены"
	for n := 1; n <= 7; n++ {
		if tr, ok := landed[n]; ok {
			last = tr
		}
		v, err := f.svc.GetVersionIn(f.kz, f.doc, n, "ru")
		if err != nil {
			t.Fatal(err)
		}
		if p := v.Provisions[1]; !strings.HasPrefix(p.Text, last) || p.Translation != drafts.TranslationCurrent {
			t.Errorf("version %d: paragraph 1 in Russian is %q (%s), want %q", n, p.Text, p.Translation, last)
		}
	}
	if len(landed) == 0 {
		t.Error("no translation landed")
	}
}

// TestProposalInRussian: a delegation's proposal written in Russian
// applies to the Russian text, is compiled under its provision in
// Russian with the original beside it, and merges only with the chair's
// English text, the Russian words becoming the current translation.
func TestProposalInRussian(t *testing.T) {
	f := roadMapWithRussian(t, MustOpenLocal(t))
	p6 := f.v.Provisions[byIndex(t, f.v, "6.")]
	prop, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Language: "ru", Justification: "Яснее.",
		Operations: []drafts.Operation{{Op: "replace", Provision: p6.ID, Text: "Все решения принимаются на основе консенсуса государств-членов."},
			{Op: "insert", After: p6.ID, Text: "6-бис. Решения по процедурным вопросам принимает Председатель."}}})
	if err != nil {
		t.Fatal(err)
	}
	if prop.Language != "ru" || prop.Operations[1].ID == "" {
		t.Fatalf("proposal: %+v", prop)
	}
	if _, err := f.svc.CreateProposal(f.kz, f.doc, drafts.ProposalInput{Base: 1, Language: "fr", Operations: prop.Operations[:1]}); !drafts.IsCode(err, drafts.EINVALID) {
		t.Errorf("a proposal in a language the document lacks: %v", err)
	}
	diff, err := f.svc.ProposalDiff(f.kz, f.doc, prop.ID, "base")
	if err != nil {
		t.Fatal(err)
	}
	if c := diff.Changes[byIndex(t, f.v, "6.")]; c.Kind != drafts.ChangeModified || inserted(c.Segments) != "государств-членов" {
		t.Errorf("the proposal's diff on paragraph 6: %+v", c)
	}
	comp, _, err := f.svc.Compile(f.kz, f.doc, 0)
	if err != nil {
		t.Fatal(err)
	}
	entry := comp.Entries[byIndex(t, f.v, "6.")]
	if entry.Provision.ID != p6.ID || len(entry.Proposals) != 2 || entry.Proposals[0].Language != "ru" {
		t.Fatalf("compilation in English, paragraph 6: %+v", entry)
	}
	compRu, _, err := f.svc.CompileIn(f.kz, f.doc, 0, "ru")
	if err != nil {
		t.Fatal(err)
	}
	entry = compRu.Entries[byIndex(t, f.v, "6.")]
	if !strings.HasPrefix(entry.Provision.Text, "Все решения") || entry.Provision.Original == nil || entry.Provision.Original.Text != p6.Text ||
		entry.Proposals[0].Language != "" || inserted(entry.Proposals[0].Segments) != "государств-членов" {
		t.Fatalf("compilation in Russian, paragraph 6: %+v", entry)
	}

	_, err = f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{prop.ID}})
	e := drafts.AsError(err)
	if e == nil || e.Code != drafts.EINVALID || len(e.Fields) != 2 || e.Fields[0].Field != "translations."+p6.ID || e.Fields[1].Field != "translations."+prop.Operations[1].ID {
		t.Fatalf("a merge without the English texts: %v %+v", err, e)
	}
	res, err := f.svc.Merge(f.chair, f.doc, drafts.MergeInput{Base: 1, Proposals: []string{prop.ID}, Translations: map[string]string{
		p6.ID:                 "All decisions shall be taken by consensus of the Member States.",
		prop.Operations[1].ID: "Decisions on procedural matters shall be taken by the Chair.",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if p := byNumber(t, res.Version, "6 bis."); p.Text != "Decisions on procedural matters shall be taken by the Chair." {
		t.Errorf("the merged 6 bis: %+v", p)
	}
	ru, err := f.svc.GetVersionIn(f.kz, f.doc, 2, "ru")
	if err != nil {
		t.Fatal(err)
	}
	if p := byNumber(t, ru, "6."); p.Text != "Все решения принимаются на основе консенсуса государств-членов." || p.Translation != drafts.TranslationCurrent {
		t.Errorf("Russian 6 after the merge: %+v", p)
	}
	if p := byNumber(t, ru, "6-бис."); p.Translation != drafts.TranslationCurrent {
		t.Errorf("Russian 6 bis after the merge: %+v", p)
	}
}

// byIndex returns the index of the provision numbered number.
func byIndex(t *testing.T, v *drafts.Version, number string) int {
	t.Helper()
	for i, p := range v.Provisions {
		if p.Number == number {
			return i
		}
	}
	t.Fatalf("no provision %q", number)
	return -1
}

// TestTranslationWork: the secretariat's list names the Russian version
// of a head with stale and missing provisions; chairs see it, delegates
// may not list it.
func TestTranslationWork(t *testing.T) {
	f := roadMapWithRussian(t, MustOpenLocal(t))
	if work, err := f.svc.TranslationWork(secretariat); err != nil || len(work) != 0 {
		t.Fatalf("work with every language current: %+v, %v", work, err)
	}
	if _, err := f.svc.CreateVersion(f.chair, f.doc, 1, paragraph6(f.v.Text()), ""); err != nil {
		t.Fatal(err)
	}
	work, err := f.svc.TranslationWork(secretariat)
	if err != nil || len(work) != 1 {
		t.Fatalf("work: %+v, %v", work, err)
	}
	w := work[0]
	if w.Document.ID != f.doc || w.Version != 2 || w.State.Stale != 1 || w.State.Missing != 1 || len(w.Provisions) != 2 || w.Provisions[1].Number != "6-бис." {
		t.Errorf("work: %+v", w)
	}
	soc := drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "soc", Role: drafts.RoleChair, Body: "SOC"})
	if work, err := f.svc.TranslationWork(soc); err != nil || len(work) != 1 {
		t.Errorf("a chair's list: %d, %v", len(work), err)
	}
	if _, err := f.svc.TranslationWork(f.kz); !drafts.IsCode(err, drafts.EFORBIDDEN) {
		t.Errorf("a delegate's list: %v, want EFORBIDDEN", err)
	}
}

// TestReadingTwoLanguagesCostsOneReadMore counts storage operations with
// no cache (the version itself read from storage too): reading a
// 300-provision version in English and Russian side by side costs one
// read more than reading it in English.
func TestReadingTwoLanguagesCostsOneReadMore(t *testing.T) {
	counting := newCountingStore(MustOpenLocal(t))
	f, ru := manyProvisions(t, counting, 300)
	counting.take()
	if _, err := f.svc.GetVersion(f.kz, f.doc, 1); err != nil {
		t.Fatal(err)
	}
	one := counting.take()
	vs, err := f.svc.GetVersionInLanguages(f.kz, f.doc, 1, []string{"en", "ru"})
	if err != nil || len(vs[1].Provisions) != 300 || vs[1].Provisions[299].Text != ru[299] || !strings.HasPrefix(vs[0].Provisions[299].Text, "The Member States") {
		t.Fatalf("GetVersionInLanguages: %v", err)
	}
	two := counting.take()
	if total(two) > total(one)+1 {
		t.Errorf("one language: %v; English and Russian side by side: %v, more than one more", one, two)
	}
	t.Logf("storage operations: English %v, English and Russian %v", one, two)
}

// manyProvisions makes a document of n numbered paragraphs with a
// Russian version, on a service with no cache, and returns the Russian
// texts.
func manyProvisions(tb testing.TB, store drafts.ObjectStore, n int) (*fixture, []string) {
	tb.Helper()
	var en, ru strings.Builder
	texts := make([]string, n)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&en, "%d. The Member States shall report on measure %d every year.\n\n", i, i)
		texts[i-1] = fmt.Sprintf("Государства-члены ежегодно докладывают о мере %d.", i)
		fmt.Fprintf(&ru, "%d. %s\n\n", i, texts[i-1])
	}
	f := &fixture{
		svc:   service.New(store, diffing.New(), MustPolicy(tb)),
		chair: drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "chair", Role: drafts.RoleChair, Body: "SWG"}),
		kz:    drafts.NewContextWithUser(context.Background(), &drafts.User{ID: "kz", Role: drafts.RoleDelegate, Delegation: "KZ", DelegationStatus: drafts.StatusMember}),
	}
	f.svc.CacheBytes = -1 // every read counted
	d, v, err := f.svc.CreateDocument(f.chair, &drafts.Document{Symbol: nextSymbol(), Title: "T", Kind: "other", Body: "SWG", Language: "en", Visibility: "members"}, en.String())
	if err != nil {
		tb.Fatal(err)
	}
	f.doc, f.v = d.ID, v
	if _, err := f.svc.AddLanguage(secretariat, f.doc, "ru", ru.String()); err != nil {
		tb.Fatal(err)
	}
	return f, texts
}

// BenchmarkReadVersion reads a 300-provision version in English, in
// Russian, and in both side by side, with no cache, and reports the
// storage operations per read.
func BenchmarkReadVersion(b *testing.B) {
	for _, langs := range []string{"en", "ru", "en,ru"} {
		b.Run(langs, func(b *testing.B) {
			counting := newCountingStore(MustOpenLocal(b))
			f, _ := manyProvisions(b, counting, 300)
			counting.take()
			for b.Loop() {
				var err error
				if langs == "en" {
					_, err = f.svc.GetVersion(f.kz, f.doc, 1)
				} else {
					_, err = f.svc.GetVersionInLanguages(f.kz, f.doc, 1, strings.Split(langs, ","))
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(total(counting.take()))/float64(b.N), "storage-ops/read")
		})
	}
}

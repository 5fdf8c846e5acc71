package main

import (
	"context"
	"fmt"
	"io"

	"chancery/drafts"
	"chancery/internal/corpus"
)

// demoText is the demo document's text: the sample draft road map of
// internal/corpus, which the README and docs/text-format.md show.
const demoText = "sample-draft-road-map.txt"

// demoDelegations are the forum's member states and some observers, from
// public sources (CICA's membership; check before production use), with
// their Russian names for Russian pages and documents.
var demoDelegations = []drafts.Delegation{
	{ID: "AF", Name: "Afghanistan", Status: drafts.StatusMember, NameRu: "Афганистан"},
	{ID: "AZ", Name: "Azerbaijan", Status: drafts.StatusMember, NameRu: "Азербайджан"},
	{ID: "BH", Name: "Bahrain", Status: drafts.StatusMember, NameRu: "Бахрейн"},
	{ID: "BD", Name: "Bangladesh", Status: drafts.StatusMember, NameRu: "Бангладеш"},
	{ID: "KH", Name: "Cambodia", Status: drafts.StatusMember, NameRu: "Камбоджа"},
	{ID: "CN", Name: "China", Status: drafts.StatusMember, NameRu: "Китай"},
	{ID: "EG", Name: "Egypt", Status: drafts.StatusMember, NameRu: "Египет"},
	{ID: "IN", Name: "India", Status: drafts.StatusMember, NameRu: "Индия"},
	{ID: "IR", Name: "Iran", Status: drafts.StatusMember, NameRu: "Иран"},
	{ID: "IQ", Name: "Iraq", Status: drafts.StatusMember, NameRu: "Ирак"},
	{ID: "IL", Name: "Israel", Status: drafts.StatusMember, NameRu: "Израиль"},
	{ID: "JO", Name: "Jordan", Status: drafts.StatusMember, NameRu: "Иордания"},
	{ID: "KZ", Name: "Kazakhstan", Status: drafts.StatusMember, NameRu: "Казахстан"},
	{ID: "KW", Name: "Kuwait", Status: drafts.StatusMember, NameRu: "Кувейт"},
	{ID: "KG", Name: "Kyrgyzstan", Status: drafts.StatusMember, NameRu: "Кыргызстан"},
	{ID: "MN", Name: "Mongolia", Status: drafts.StatusMember, NameRu: "Монголия"},
	{ID: "PK", Name: "Pakistan", Status: drafts.StatusMember, NameRu: "Пакистан"},
	{ID: "PS", Name: "Palestine", Status: drafts.StatusMember, NameRu: "Палестина"},
	{ID: "QA", Name: "Qatar", Status: drafts.StatusMember, NameRu: "Катар"},
	{ID: "KR", Name: "Republic of Korea", Status: drafts.StatusMember, NameRu: "Республика Корея"},
	{ID: "RU", Name: "Russian Federation", Status: drafts.StatusMember, NameRu: "Российская Федерация"},
	{ID: "LK", Name: "Sri Lanka", Status: drafts.StatusMember, NameRu: "Шри-Ланка"},
	{ID: "TJ", Name: "Tajikistan", Status: drafts.StatusMember, NameRu: "Таджикистан"},
	{ID: "TH", Name: "Thailand", Status: drafts.StatusMember, NameRu: "Таиланд"},
	{ID: "TR", Name: "Türkiye", Status: drafts.StatusMember, NameRu: "Турция"},
	{ID: "AE", Name: "United Arab Emirates", Status: drafts.StatusMember, NameRu: "Объединённые Арабские Эмираты"},
	{ID: "UZ", Name: "Uzbekistan", Status: drafts.StatusMember, NameRu: "Узбекистан"},
	{ID: "VN", Name: "Viet Nam", Status: drafts.StatusMember, NameRu: "Вьетнам"},
	{ID: "JP", Name: "Japan", Status: drafts.StatusObserver, NameRu: "Япония"},
	{ID: "ID", Name: "Indonesia", Status: drafts.StatusObserver, NameRu: "Индонезия"},
	{ID: "MY", Name: "Malaysia", Status: drafts.StatusObserver, NameRu: "Малайзия"},
	{ID: "TM", Name: "Turkmenistan", Status: drafts.StatusObserver, NameRu: "Туркменистан"},
	{ID: "US", Name: "United States of America", Status: drafts.StatusObserver, NameRu: "Соединённые Штаты Америки"},
	{ID: "UN", Name: "United Nations", Status: drafts.StatusObserver, NameRu: "Организация Объединённых Наций"},
	{ID: "OSCE", Name: "Organization for Security and Co-operation in Europe", Status: drafts.StatusObserver, NameRu: "Организация по безопасности и сотрудничеству в Европе"},
}

// loadDemo adds the demo directory and a sample document, once, and prints
// the demo users' tokens. On a store that has them already it does nothing.
func loadDemo(ctx context.Context, svc drafts.Service, out io.Writer) error {
	// The loader is a trusted caller: it acts as the system (the
	// secretariat's powers), and the service checks it like any other.
	ctx = drafts.NewSystemContext(ctx)
	if _, err := svc.GetDelegation(ctx, "KZ"); err == nil {
		fmt.Fprintln(out, "Demo data is loaded already; its tokens were printed when it was first loaded.")
		return nil
	}
	for i := range demoDelegations {
		d := demoDelegations[i]
		if err := svc.CreateDelegation(ctx, &d); err != nil && !drafts.IsCode(err, drafts.ECONFLICT) {
			return err
		}
	}
	users := []drafts.User{
		{Name: "Chair of the Special Working Group", Role: drafts.RoleChair, Body: "SWG"},
		{Name: "Delegate of Kazakhstan", Role: drafts.RoleDelegate, Delegation: "KZ"},
		{Name: "Delegate of India", Role: drafts.RoleDelegate, Delegation: "IN"},
		{Name: "Observer of Japan", Role: drafts.RoleObserver, Delegation: "JP"},
	}
	tokens := make([]string, len(users))
	for i := range users {
		t, err := svc.CreateUser(ctx, &users[i])
		if err != nil {
			return err
		}
		tokens[i] = t
	}
	text, err := corpus.Text(demoText)
	if err != nil {
		return err
	}
	chair := users[0]
	cctx := drafts.NewContextWithUser(ctx, &chair)
	doc, _, err := svc.CreateDocument(cctx, &drafts.Document{
		Symbol: "CICA/SWG/2026/R.1", Title: "Draft Road Map for the Transformation of the Conference",
		Kind: "road-map", Body: "SWG", Language: "en", Visibility: drafts.VisibilityObservers,
	}, text)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Demo data loaded. Document %s (%s) has id %s. Tokens, shown once:\n", doc.Symbol, doc.Title, doc.ID)
	names := []string{"CHAIR", "KZ", "IN", "OBSERVER"}
	for i, u := range users {
		fmt.Fprintf(out, "  export %s=%s   # %s\n", names[i], tokens[i], u.Name)
	}
	fmt.Fprintf(out, "  export DOC=%s\n", doc.ID)
	return nil
}

package drafts_test

import (
	"reflect"
	"strings"
	"testing"

	"chancery/drafts"
)

// TestPlanWordImport: authors match delegations by code, name or Russian
// name (case, spacing and "Delegation of" / "Делегация" aside), or by the
// mapping; the others are named unless unmatched says what to do.
func TestPlanWordImport(t *testing.T) {
	dels := []*drafts.Delegation{
		{ID: "KZ", Name: "Kazakhstan", NameRu: "Казахстан", Status: drafts.StatusMember},
		{ID: "IN", Name: "India", NameRu: "Индия", Status: drafts.StatusMember},
		{ID: "JP", Name: "Japan", NameRu: "Япония", Status: drafts.StatusObserver},
	}
	tests := []struct {
		name      string
		authors   []string
		mapping   map[string]string
		unmatched string
		groups    map[string][]string
		accept    []string
		err       string
	}{
		{"codes and names", []string{"kz", "Delegation of  India"}, nil, "", map[string][]string{"KZ": {"kz"}, "IN": {"Delegation of  India"}}, nil, ""},
		{"Russian names", []string{"КАЗАХСТАН", "Делегация Индия"}, nil, "", map[string][]string{"KZ": {"КАЗАХСТАН"}, "IN": {"Делегация Индия"}}, nil, ""},
		{"two authors of one delegation", []string{"Kazakhstan", "Айгуль Сейткали"}, map[string]string{"айгуль  сейткали": "KZ"}, "", map[string][]string{"KZ": {"Kazakhstan", "Айгуль Сейткали"}}, nil, ""},
		{"the mapping first", []string{"India"}, map[string]string{"India": "reject"}, "", map[string][]string{}, nil, ""},
		{"unmatched accepted", []string{"Editor", "India"}, nil, "accept", map[string][]string{"IN": {"India"}}, []string{"Editor"}, ""},
		{"unmatched rejected", []string{"Editor"}, nil, "reject", map[string][]string{}, nil, ""},
		{"unmatched named", []string{"Editor", "Редактор", "India"}, nil, "", nil, nil, `"Editor", "Редактор" match no delegation`},
		{"an observer", []string{"A"}, map[string]string{"A": "Япония"}, "", nil, nil, "JP, an observer"},
		{"no such delegation", []string{"A"}, map[string]string{"A": "XX"}, "", nil, nil, `mapped to "XX", which is no delegation`},
		{"a bad unmatched", []string{"A"}, nil, "keep", nil, nil, `"accept" or "reject"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := drafts.PlanWordImport(tt.authors, dels, tt.mapping, tt.unmatched)
			if tt.err != "" {
				if !drafts.IsCode(err, drafts.EINVALID) || !strings.Contains(drafts.ErrorMessage(err), tt.err) {
					t.Fatalf("error %v, want EINVALID saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(v.Groups, tt.groups) || !reflect.DeepEqual(v.Accept, tt.accept) {
				t.Errorf("groups %v accept %v, want %v %v", v.Groups, v.Accept, tt.groups, tt.accept)
			}
		})
	}
}

func TestImportJustification(t *testing.T) {
	if got, want := drafts.ImportJustification("ru", []string{"Казахстан", "А. Сейткали"}), "Правка «Казахстан», «А. Сейткали» в файле Word, из которого создан документ."; got != want {
		t.Errorf("Russian: %q, want %q", got, want)
	}
	if got, want := drafts.ImportJustification("en", []string{"India"}), `Tracked changes by "India" in the Word file the document was created from.`; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
}

package render_test

import (
	"bytes"
	"strings"
	"testing"
)

// TestCompilationPDFRussianNames: in a Russian document the compilation
// names proposals in Russian, with the delegations' Russian names, the
// sub-amendment under the proposal it amends and the oral proposal
// marked as recorded by the chair.
func TestCompilationPDFRussianNames(t *testing.T) {
	f := MustRoadMap(t)
	r := MustRenderer(t)
	var buf bytes.Buffer
	if err := r.CompilationPDF(&buf, FixtureDoc("ru"), f.V1, f.Compilation); err != nil {
		t.Fatal(err)
	}
	path := WritePDF(t, "compilation-ru.pdf", buf.Bytes())
	CheckPDF(t, path)
	flat := strings.Join(Words(PDFText(t, path, 0, 0)), " ")
	for _, want := range []string{
		"Поправка — Предложение 7 (Казахстан); Предложение 8 (Кыргызстан); соавторы: Таджикистан",
		"Подпоправка — Предложение 9 (Индия), поправка к предложению 7",
		"Предложение 3 (Российская Федерация), внесено устно, записано председателем",
		"Исключение — Предложение 2 (Китай)",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("the Russian compilation lacks %q", want)
		}
	}
	// The sub-amendment comes after the proposal it amends, before the
	// next proposal on the provision.
	amend, sub, del := strings.Index(flat, "Предложение 7 (Казахстан)"), strings.Index(flat, "Подпоправка"), strings.Index(flat, "Исключение")
	if !(amend < sub && sub < del) {
		t.Errorf("order: proposal 7 at %d, its sub-amendment at %d, the next proposal at %d", amend, sub, del)
	}
}

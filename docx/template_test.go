package docx_test

import (
	"strings"
	"testing"

	"chancery/docx"
)

// TestTemplates: a file made from a template, as Word on Windows, on a
// Mac (both forms) and from a server records it in
// word/_rels/settings.xml.rels, is read; the template's file name is
// recorded, its folders (the sender's computer and account) are not.
func TestTemplates(t *testing.T) {
	good := sampleDocx(t)
	settings := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:attachedTemplate r:id="rId1"/></w:settings>`
	tests := []struct{ target, want string }{
		{`file:///C:\Users\aida.bekova\AppData\Roaming\Microsoft\Templates\Normal.dotm`, "Normal.dotm"},
		{`file:///\\mfa-srv01\Templates\CICA%20Note%20Verbale.dotx`, "CICA Note Verbale.dotx"},
		{`file:///Users/aida/Library/Group%20Containers/UBF8T346G9.Office/User%20Content.localized/Templates.localized/Normal.dotm`, "Normal.dotm"},
		{`Macintosh HD:Users:aida:Library:Application Support:Microsoft:Office:User Templates:Шаблон МИД.dotx`, "Шаблон МИД.dotx"},
		{`https://mfa.sharepoint.example/sites/cica/Templates/Draft.dotx`, "Draft.dotx"},
	}
	for _, tt := range tests {
		data := rewrite(t, good, map[string]string{"word/settings.xml": settings}, map[string]string{"word/_rels/settings.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" Target="` + tt.target + `" TargetMode="External"/></Relationships>`})
		f, err := docx.New().ReadWord(data)
		if err != nil {
			t.Errorf("%s: %v", tt.target, err)
			continue
		}
		if f.Template != tt.want {
			t.Errorf("%s: template %q, want %q", tt.target, f.Template, tt.want)
		}
		if strings.Contains(f.Template, "aida") {
			t.Errorf("the template's name keeps the sender's folders: %q", f.Template)
		}
	}
}

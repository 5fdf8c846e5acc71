package docx_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// acceptRejectMacro is a LibreOffice Basic module: Run opens a file,
// accepts (or rejects) every tracked change with LibreOffice's own
// commands (Edit > Track Changes > Accept All / Reject All) and saves
// the result as text and as .docx.
const acceptRejectMacro = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Run(inPath As String, outBase As String)
  Apply(inPath, outBase, &quot;accept&quot;)
  Apply(inPath, outBase, &quot;reject&quot;)
End Sub

Sub Apply(inPath As String, outBase As String, mode As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(inPath), &quot;_blank&quot;, 0, args())
  disp = createUnoService(&quot;com.sun.star.frame.DispatchHelper&quot;)
  frame = doc.getCurrentController().getFrame()
  If mode = &quot;accept&quot; Then
    disp.executeDispatch(frame, &quot;.uno:AcceptAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  Else
    disp.executeDispatch(frame, &quot;.uno:RejectAllTrackedChanges&quot;, &quot;&quot;, 0, Array())
  End If
  Dim txt(1) As New com.sun.star.beans.PropertyValue
  txt(0).Name = &quot;FilterName&quot;
  txt(0).Value = &quot;Text (encoded)&quot;
  txt(1).Name = &quot;FilterOptions&quot;
  txt(1).Value = &quot;UTF8&quot;
  doc.storeToURL(ConvertToURL(outBase &amp; &quot;-&quot; &amp; mode &amp; &quot;.txt&quot;), txt())
  Dim word(0) As New com.sun.star.beans.PropertyValue
  word(0).Name = &quot;FilterName&quot;
  word(0).Value = &quot;MS Word 2007 XML&quot;
  doc.storeToURL(ConvertToURL(outBase &amp; &quot;-&quot; &amp; mode &amp; &quot;.docx&quot;), word())
  doc.close(True)
End Sub
</script:module>
`

// libreOfficeAll opens a .docx in LibreOffice, headless, and returns what
// LibreOffice's Accept All and Reject All make of it: as text (one line
// a paragraph) and as the .docx LibreOffice saves.
func libreOfficeAll(t *testing.T, data []byte) (accepted, rejected string, acceptedDocx, rejectedDocx []byte) {
	t.Helper()
	bin := soffice(t)
	profile, dir := t.TempDir(), t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	env := "-env:UserInstallation=file://" + profile
	// A first start makes the profile, whose Basic library then holds
	// the macro: LibreOffice runs the macros of its own profile, nothing
	// of the documents it opens.
	if out, err := exec.CommandContext(ctx, bin, env, "--headless", "--norestore", "--terminate_after_init").CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	module := filepath.Join(profile, "user", "basic", "Standard", "Module1.xba")
	if _, err := os.Stat(module); err != nil {
		t.Fatalf("LibreOffice made no Basic library in its profile: %v", err)
	}
	if err := os.WriteFile(module, []byte(acceptRejectMacro), 0o644); err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in.docx")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "out")
	macro := `macro:///Standard.Module1.Run("` + in + `","` + base + `")`
	if out, err := exec.CommandContext(ctx, bin, env, "--headless", "--norestore", macro).CombinedOutput(); err != nil {
		t.Fatalf("soffice %s: %v\n%s", macro, err, out)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(base + "-" + name)
		if err != nil {
			t.Fatalf("LibreOffice wrote no %s: %v", name, err)
		}
		return b
	}
	text := func(b []byte) string {
		return strings.ReplaceAll(strings.TrimPrefix(string(b), "\ufeff"), "\r\n", "\n")
	}
	return text(read("accept.txt")), text(read("reject.txt")), read("accept.docx"), read("reject.docx")
}

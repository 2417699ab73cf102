package cli_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.org/jiti/internal/store/storetest"
)

// TestCLI_Members tells the members' register through the commands: a
// template, an import refused whole with its errors by row and column,
// the import, a search by pinyin initials and by a whole ID number, a
// marriage that ends nothing and an exit on a decision, a household's
// page, and the export. No identity number is ever printed in clear.
func TestCLI_Members(t *testing.T) {
	s := &story{runner: newRunner(t)}
	s.setup()
	const c = "620422100201"
	wang, li := storetest.IDNumber("62042219800312003"), storetest.IDNumber("62042219820705002")
	db := s.openDB()
	storetest.MembershipDecision(t, db, 1, "2016-01", "2016-01-20")
	storetest.MembershipDecision(t, db, 1, "2025-02", "2025-02-10")

	s.must("household", "add", "-c", c, "-code", "H002", "-name", "王建国", "-group", "一组", "-address", "南什村一社12号", "-as", "kj")

	// The templates, xlsx and CSV, headed in Chinese.
	dir := t.TempDir()
	s.must("template", "members", "-o", filepath.Join(dir, "members.xlsx"))
	s.must("template", "households", "-o", filepath.Join(dir, "households.xlsx"))
	s.must("template", "members", "-o", filepath.Join(dir, "members.csv"))
	tpl, err := os.ReadFile(filepath.Join(dir, "members.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, "template", string(tpl), "成员编号*", "身份证号", "与户主关系", "决议编号*")

	head := "成员编号,姓名,身份证号,性别,出生日期,户号,与户主关系,取得方式,确认日期,决议编号\n"
	// Every bad cell is named, and nothing is imported.
	bad := writeFile(t, "bad.csv", head+
		"M001,王建国,"+wang.Reveal()+",男,,H002,户主,原始成员,2016-03-01,2016-01\n"+
		"M002,李秀英,"+li.Reveal()+",男,,H009,配偶,原始成员,2016-03-01,2099-01\n"+
		"M003,王小明,620422201001010000,,,H002,子女,出生,2016-03-01,2016-01\n")
	// A cell that cannot be read stops the import before the store sees it.
	code, _, errs := s.run("member", "import", "-c", c, bad, "-as", "kj")
	if code == 0 {
		t.Fatal("a bad file imported")
	}
	wantIn(t, "import errors", errs, "row 4, column C (身份证号)", "1 error")
	if strings.Contains(errs, "620422201001010000") {
		t.Errorf("an ID number in clear in the errors:\n%s", errs)
	}
	// Then the store's checks, each at its row and column: the sex the
	// ID number contradicts, an unknown household, an unknown decision.
	bad = writeFile(t, "bad2.csv", head+
		"M001,王建国,"+wang.Reveal()+",男,,H002,户主,原始成员,2016-03-01,2016-01\n"+
		"M002,李秀英,"+li.Reveal()+",男,,H009,配偶,原始成员,2016-03-01,2099-01\n")
	code, _, errs = s.run("member", "import", "-c", c, bad, "-as", "kj")
	if code == 0 {
		t.Fatal("a bad file imported")
	}
	wantIn(t, "import errors", errs, "row 3, column D (性别)", "row 3, column F (户号)", "row 3, column J (决议编号)", "3 errors")
	if out := s.must("member", "list", "-c", c, "-format", "json"); !strings.Contains(out, `"members": []`) {
		t.Fatalf("members after refused imports:\n%s", out)
	}

	good := writeFile(t, "good.csv", head+
		"M001,王建国,"+wang.Reveal()+",,,H002,户主,原始成员,2016-03-01,2016-01\n"+
		"M002,李秀英,"+li.Reveal()+",女,1982-07-05,H002,配偶,婚入,2016-03-01,2016-01\n")
	out := s.must("member", "import", "-c", c, good, "-as", "kj")
	wantIn(t, "import", out, "2")
	out = s.must("member", "list", "-c", c, "-q", "lxy")
	wantIn(t, "search by initials", out, "李秀英", li.String())
	if strings.Contains(out, "王建国 ") && strings.Contains(out, "M001") {
		t.Errorf("initials lxy found 王建国:\n%s", out)
	}
	out = s.must("member", "list", "-c", c, "-q", wang.Reveal())
	wantIn(t, "search by ID", out, "M001", wang.String())

	// Marriage ends nothing; an exit names its decision.
	s.fails(3, "Marriage or divorce is no reason", "member", "status", "-c", c, "-code", "M002", "-to", "exited",
		"-date", "2025-03-01", "-reason", "marriage", "-decision", "2025-02", "-as", "kj")
	s.fails(3, "Name the decision", "member", "status", "-c", c, "-code", "M002", "-to", "exited",
		"-date", "2025-03-01", "-reason", "joined_other", "-as", "kj")
	s.must("member", "status", "-c", c, "-code", "M002", "-to", "exited", "-date", "2025-03-01",
		"-reason", "joined_other", "-decision", "2025-02", "-note", "嫁入外村", "-as", "kj")
	out = s.must("member", "show", "-c", c, "-code", "M002")
	wantIn(t, "member show", out, "2016-03-01", "2025-03-01", "joined another collective", "2025-02", "嫁入外村", "exited")

	// A correction is one more entry of the history.
	s.fails(3, "Say what the correction rests on", "member", "correct", "-c", c, "-code", "M002", "-date", "2025-04-01", "-name", "李秀瑛", "-as", "kj")
	s.must("member", "correct", "-c", c, "-code", "M002", "-date", "2025-04-01", "-name", "李秀瑛", "-note", "按户口簿更正", "-as", "kj")
	out = s.must("member", "show", "-c", c, "-code", "M002")
	wantIn(t, "member show", out, "李秀瑛", "name 李秀英 → 李秀瑛", "按户口簿更正", "correction")

	// The household: its head (from the import), group, address, members.
	out = s.must("household", "show", "-c", c, "-code", "H002")
	wantIn(t, "household show", out, "M001 王建国", "一组", "南什村一社12号", "M002", "Balance of 113")
	out = s.must("household", "list", "-c", c)
	wantIn(t, "household list", out, "H001", "H002", "M001 王建国", "一组")

	// A member added by flags, and the export.
	s.must("member", "add", "-c", c, "-code", "M003", "-name", "张三", "-born_on", "1960-05-01", "-sex", "male",
		"-household", "H001", "-relation", "head", "-basis", "original", "-confirmed_on", "2016-03-01", "-decision", "2016-01", "-as", "kj")
	s.fails(3, "birth date: this field is required", "member", "add", "-c", c, "-code", "M004", "-name", "李四", "-sex", "male",
		"-basis", "original", "-confirmed_on", "2016-03-01", "-decision", "2016-01", "-as", "kj")
	csvOut := filepath.Join(dir, "members-out.csv")
	s.must("member", "export", "-c", c, "-o", csvOut)
	exported, err := os.ReadFile(csvOut)
	if err != nil {
		t.Fatal(err)
	}
	wantIn(t, "export", string(exported), "M001", "M002", "M003", wang.String(), "exited")
	for _, id := range []string{wang.Reveal(), li.Reveal()} {
		if strings.Contains(string(exported), id) || strings.Contains(s.printed.String(), id) {
			t.Errorf("identity number %s in clear", id)
		}
	}
	s.must("member", "export", "-c", c, "-o", filepath.Join(dir, "members-out.xlsx"))
}

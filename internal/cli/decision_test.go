package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// adoptDecision registers decision number on kind for collective c and
// records its first four steps, which pass, the resolution on adopted.
func (r *runner) adoptDecision(c, number, kind, subject, adopted string) {
	r.t.Helper()
	r.must("decision", "add", "-c", c, "-number", number, "-kind", kind, "-subject", subject, "-as", "kj")
	r.must("decision", "step", "-c", c, "-decision", number, "-date", "2025-03-01", "-required", "5", "-present", "5", "-approve", "5", "-as", "kj")
	r.must("decision", "step", "-c", c, "-decision", number, "-date", "2025-03-03", "-required", "9", "-present", "8", "-approve", "8", "-as", "kj")
	r.must("decision", "step", "-c", c, "-decision", number, "-date", "2025-03-06", "-required", "36", "-present", "30", "-approve", "28", "-as", "kj")
	r.must("decision", "step", "-c", c, "-decision", number, "-date", adopted, "-meeting", "representatives",
		"-required", "45", "-present", "40", "-approve", "37", "-as", "kj")
}

func TestCLI_Decisions(t *testing.T) {
	r := newRunner(t)
	r.setup()
	s := &story{runner: r}
	const c = "620422100201"
	out := s.must("decision", "add", "-c", c, "-number", "2025-03", "-kind", "contract", "-subject", "原南什小学校舍出租", "-as", "kj")
	wantIn(t, "decision add", out, "decision 2025-03 registered: 原南什小学校舍出租")
	s.fails(3, "kind", "decision", "add", "-c", c, "-number", "2025-04", "-kind", "lottery", "-subject", "x", "-as", "kj")
	s.fails(5, "2025-03", "decision", "add", "-c", c, "-number", "2025-03", "-kind", "other", "-subject", "x", "-as", "kj")
	step := func(args ...string) string {
		return s.must(append([]string{"decision", "step", "-c", c, "-decision", "2025-03", "-as", "kj"}, args...)...)
	}
	wantIn(t, "step 1", step("-date", "2025-03-01", "-required", "5", "-present", "5", "-approve", "5", "-content", "支部提议出租校舍"),
		"step 1 (proposal by the Party branch): passed; the decision is in progress")
	s.fails(3, "approving", "decision", "step", "-c", c, "-decision", "2025-03", "-date", "2025-03-03", "-required", "9",
		"-present", "8", "-approve", "9", "-as", "kj")
	s.fails(3, "present", "decision", "step", "-c", c, "-decision", "2025-03", "-date", "2025-03-03", "-required", "9",
		"-present", "八", "-as", "kj")
	s.fails(3, "step 2", "decision", "step", "-c", c, "-decision", "2025-03", "-step", "3", "-date", "2025-03-03", "-required", "9",
		"-present", "8", "-approve", "8", "-as", "kj")
	step("-date", "2025-03-03", "-required", "9", "-present", "8", "-approve", "8")
	step("-date", "2025-03-06", "-required", "36", "-present", "24", "-approve", "13")
	s.fails(3, "meeting", "decision", "step", "-c", c, "-decision", "2025-03", "-date", "2025-03-10", "-required", "45",
		"-present", "30", "-approve", "16", "-as", "kj")
	wantIn(t, "step 4", step("-date", "2025-03-10", "-meeting", "representatives", "-required", "45", "-present", "30", "-approve", "16"),
		"step 4", "passed; the decision is adopted")
	step("-date", "2025-03-11", "-content", "村务公开栏")

	// A decision failed by the Party members' meeting (22 of 36 < 2/3).
	s.must("decision", "add", "-c", c, "-number", "2025-05", "-kind", "borrowing", "-subject", "向信用社借款", "-as", "kj")
	for _, a := range [][]string{
		{"-date", "2025-04-01", "-required", "5", "-present", "5", "-approve", "5"},
		{"-date", "2025-04-02", "-required", "9", "-present", "9", "-approve", "9"},
	} {
		s.must(append([]string{"decision", "step", "-c", c, "-decision", "2025-05", "-as", "kj"}, a...)...)
	}
	out = s.must("decision", "step", "-c", c, "-decision", "2025-05", "-date", "2025-04-03", "-required", "36", "-present", "22",
		"-approve", "22", "-as", "kj")
	wantIn(t, "failed step", out, "not passed; the decision is not adopted")
	s.fails(5, "failed at step 3", "decision", "step", "-c", c, "-decision", "2025-05", "-date", "2025-04-05", "-meeting", "villagers",
		"-required", "900", "-present", "600", "-approve", "500", "-as", "kj")

	out = s.must("decision", "list", "-c", c)
	wantIn(t, "decision list", out, "Decisions register", "2025-03", "step 5, publication of the resolution", "adopted", "2025-03-10",
		"2025-05", "step 3, review by the Party members' meeting", "not adopted")
	out = s.must("decision", "list", "-c", c, "-status", "adopted", "-format", "json")
	var list []struct {
		Number string `json:"number"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].Number != "2025-03" {
		t.Fatalf("decision list json: %v %s", err, out)
	}
	out = s.must("decision", "list", "-region", "620422", "-year", "2024", "-format", "csv")
	if len(out) == 0 || strings.Contains(out, "2025-03") {
		t.Fatalf("a 2025 decision listed for 2024: %s", out)
	}
	book := filepath.Join(t.TempDir(), "decisions.xlsx")
	s.must("decision", "list", "-c", c, "-format", "xlsx", "-o", book)
	if b, err := os.ReadFile(book); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Errorf("decision list -format xlsx: %v, %d bytes", err, len(b))
	}
	out = s.must("decision", "show", "-c", c, "-decision", "2025-03")
	// Attendance 24/36 = 66.7 %, approval 13/24 = 54.2 %.
	wantIn(t, "decision show", out, "Decision 2025-03 原南什小学校舍出租", "adopted on 2025-03-10", "66.7%", "54.2%",
		"villagers' representatives' meeting", "支部提议出租校舍", "Next: step 6, publication of the result")
	s.fails(3, "no decision numbered 2025-99", "decision", "show", "-c", c, "-decision", "2025-99")
}

// A contract sheet's 决议编号（四议两公开） names a decision of the register:
// an unknown one is an error on its cell; an adopted one imports, under
// the column's old name too.
func TestCLI_ImportContractDecision(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	r.adoptDecision(c, "2025-03", "other", "村部保洁服务", "2025-03-20")
	header := []any{"合同编号", "合同名称", "类型", "对方", "对方类型", "起始日期", "截止日期", "合同金额", "收入科目", "决议编号（四议两公开）"}
	for _, tc := range []struct{ ref, want string }{
		{"2025-99", "row 2, column J (决议编号（四议两公开）): No decision numbered 2025-99"},
		{"2025-03", "row 2, column J (决议编号（四议两公开）): Decision 2025-03 decides a different kind of matter"},
	} {
		path := excelBook(t, excelSheet{name: "合同", rows: [][]any{header,
			{"HT-1", "村部保洁", "服务", "会宁县某公司", "unit", "2025-04-01", "2026-03-31", "9000.00", "50101", tc.ref},
		}})
		if _, _, errs := r.run("import", "contracts", "-c", c, path, "-as", "kj"); !strings.Contains(errs, tc.want) {
			t.Errorf("contract import errors lack %q:\n%s", tc.want, errs)
		}
	}
	r.adoptDecision(c, "2025-04", "contract", "村部保洁服务外包", "2025-03-20")
	header[9] = "决议编号"
	path := excelBook(t, excelSheet{name: "合同", rows: [][]any{header,
		{"HT-2", "村部保洁", "服务", "会宁县某公司", "unit", "2025-04-01", "2026-03-31", "9000.00", "50101", "2025-04"},
	}})
	r.must("import", "contracts", "-c", c, path, "-as", "kj")
	out := r.must("contract", "list", "-c", c, "-format", "json")
	if !strings.Contains(out, `"resolution_ref": "2025-04"`) || !strings.Contains(out, `"decision_id": 2`) {
		t.Errorf("the imported contract does not point to its decision:\n%s", out)
	}
}

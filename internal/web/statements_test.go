package web_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// userScopes says what each user of the world sees: the collectives by letter
// and the regions by code, as TestRoutes_RoleScope has it.
var userScopes = func() map[string]struct {
	collectives string
	regions     []string
} {
	all := []string{"620422", "620422100", "620422101", "620422100201", "620422101201"}
	township := []string{"620422100", "620422100201"}
	villageA := []string{"620422100201"}
	other := []string{"620422101", "620422101201"}
	return map[string]struct {
		collectives string
		regions     []string
	}{
		"admin": {"AO", all}, "viewer": {"AO", all}, "auditor": {"AO", all},
		"kuaiji": {"A", township}, "shenhe": {"A", township},
		"cunkuaiji": {"A", villageA}, "cunshenhe": {"A", villageA},
		"guocheng": {"O", other}, "gckuaiji": {"O", other},
	}
}()

// allRegions are the world's region codes.
var allRegions = []string{"620422", "620422100", "620422101", "620422100201", "620422101201"}

// scoped is a page and whose scope decides whether a user may see it: a
// collective by letter ("A", "O"), a region by code ("r:620422"), or "" for
// a page nobody sees (a record of one collective under another's address).
type scoped struct {
	path, of string
}

// driveScope gets every page as every user: 200 in scope, 404 out of it
// (exactly as a page that does not exist), and no answer shows a secret of
// a collective out of the user's scope.
func driveScope(t *testing.T, w *world, pages []scoped, secrets map[string][]string) {
	t.Helper()
	users := make([]string, 0, len(userScopes))
	for u := range userScopes {
		users = append(users, u)
	}
	sort.Strings(users)
	for _, user := range users {
		want := userScopes[user]
		t.Run(user, func(t *testing.T) {
			c := w.client(t, user)
			for _, p := range pages {
				visible := false
				switch {
				case strings.HasPrefix(p.of, "r:"):
					for _, r := range want.regions {
						visible = visible || r == p.of[2:]
					}
				case p.of != "":
					visible = strings.Contains(want.collectives, p.of)
				}
				code, body := get(t, c, w.srv.URL+p.path)
				if visible && code != http.StatusOK {
					t.Errorf("%s: status %d, want 200", p.path, code)
				}
				if !visible && code != http.StatusNotFound {
					t.Errorf("%s: status %d, want 404", p.path, code)
				}
				for letter, ss := range secrets {
					if strings.Contains(want.collectives, letter) {
						continue
					}
					for _, s := range ss {
						if strings.Contains(body, s) {
							t.Errorf("%s: answer shows %q, of a collective out of scope", p.path, s)
						}
					}
				}
			}
		})
	}
}

// TestStatements_RoleScope drives the statement pages, their print views
// and downloads, as every role.
func TestStatements_RoleScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		var pages []scoped
		for letter, id := range map[string]int64{"A": w.f.A.ID, "O": w.O.ID} {
			for _, p := range []string{
				"/c/%d/balance-sheet", "/c/%d/balance-sheet?month=2025-12&print=1", "/c/%d/balance-sheet?month=2025-12&format=xlsx",
				"/c/%d/income", "/c/%d/income?month=2025-12", "/c/%d/income?month=2025-06&format=xlsx",
				"/c/%d/ledger", "/c/%d/ledger?account=10201&from=2025-01&to=2025-12", "/c/%d/ledger?kind=general&account=10201",
				"/c/%d/ledger?kind=journal&account=10201&print=1", "/c/%d/ledger?account=10201&format=xlsx",
				"/c/%d/trial-balance?format=xlsx",
			} {
				pages = append(pages, scoped{fmt.Sprintf(p, id), letter})
			}
		}
		pages = append(pages, scoped{"/c/999999/balance-sheet", ""}, scoped{"/c/abc/ledger", ""})
		driveScope(t, w, pages, map[string][]string{
			"A": {"南什村股份经济合作社", "收南什村鱼塘租金"},
			"O": {"红堡子村", "收红堡子村机耕服务费"},
		})
		t.Run("signed out", func(t *testing.T) {
			c := w.client(t, "")
			for _, p := range []string{"/c/%d/balance-sheet", "/c/%d/income", "/c/%d/ledger?account=10201"} {
				resp, err := c.Get(w.srv.URL + fmt.Sprintf(p, w.f.A.ID))
				must(t, err)
				resp.Body.Close()
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/signin?next=") {
					t.Errorf("%s: status %d to %q, want the sign-in form", p, resp.StatusCode, loc)
				}
			}
		})
	})
}

// TestBalanceSheet_Balanced shows the balance sheet of A's books: the rent
// received is both in the bank and in the undistributed income, so total
// assets equal total liabilities and equity, and the page says so.
func TestBalanceSheet_Balanced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.client(t, "cunkuaiji")
		code, body := get(t, c, fmt.Sprintf("%s/c/%d/balance-sheet?month=2025-12", w.srv.URL, w.f.A.ID))
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		for _, want := range []string{"资产负债表", "资产总计与负债和所有者权益总计相等", "南什村股份经济合作社"} {
			if !strings.Contains(body, want) {
				t.Errorf("balance sheet lacks %q", want)
			}
		}
		for _, label := range []string{"资产总计", "负债和所有者权益总计"} {
			row := tableRow(body, label)
			if !strings.Contains(row, "1,200.00") {
				t.Errorf("%s row %q lacks 1,200.00", label, row)
			}
		}
		if strings.Contains(body, "资产总计与负债和所有者权益总计不相等") {
			t.Error("balance sheet says it does not balance")
		}
		if !strings.Contains(body, "2025年12月31日") {
			t.Error("balance sheet lacks its date 2025年12月31日")
		}
		// The income statement shows the rent as income of the year, for
		// 2025年度; the books begin in 2025, so 上年金额 is blank and says why.
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/income?month=2025-12", w.srv.URL, w.f.A.ID))
		if !strings.Contains(body, "收益及收益分配表") || !strings.Contains(body, "1,200.00") {
			t.Errorf("income statement lacks its title or the rent:\n%s", body)
		}
		for _, want := range []string{"2025年度", "“上年金额”栏空白：本单位账簿自2025年1月1日起"} {
			if !strings.Contains(body, want) {
				t.Errorf("income statement lacks %q", want)
			}
		}
		if row := tableRow(body, "一、经营收入"); !strings.HasSuffix(row, `>1,200.00</td><td class="right money" data-label="上年金额"></td>`) {
			t.Errorf("经营收入 row %q: want 1,200.00 and an empty 上年金额", row)
		}
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/income?month=2025-03", w.srv.URL, w.f.A.ID))
		for _, want := range []string{"2025年1—3月", "本年累计金额", "上年同期金额"} {
			if !strings.Contains(body, want) {
				t.Errorf("income statement to March lacks %q", want)
			}
		}
		// In English, the same page in English.
		_, body = get(t, c, fmt.Sprintf("%s/lang/en", w.srv.URL))
		_, body = get(t, c, fmt.Sprintf("%s/c/%d/balance-sheet?month=2025-12", w.srv.URL, w.f.A.ID))
		if !strings.Contains(body, "Total assets equal total liabilities and equity") {
			t.Errorf("English balance sheet lacks its check line")
		}
		// A month that is no month is the form's error, and the page shows.
		code, body = get(t, c, fmt.Sprintf("%s/c/%d/balance-sheet?month=2025-13", w.srv.URL, w.f.A.ID))
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, `class="error"`) {
			t.Errorf("bad month: status %d, want 422 with the error", code)
		}
	})
}

// tableRow returns the table row of body whose first cell is label.
func tableRow(body, label string) string {
	i := strings.Index(body, ">"+label+"</td>")
	if i < 0 {
		i = strings.Index(body, ">"+label+"</th>") // a row header: a statement's item
	}
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(body[:i], "<tr")
	end := strings.Index(body[i:], "</tr>")
	if start < 0 || end < 0 {
		return ""
	}
	return body[start : i+end]
}

// TestReport_TableHeaders: a report table has a caption, column headers
// with scope, and its items as row headers (a statement's 资产总计, a trial
// balance's account names), for a screen reader to name each amount.
func TestReport_TableHeaders(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t))
	c := w.client(t, "kuaiji")
	for _, tt := range []struct{ page, caption, row string }{
		{fmt.Sprintf("/c/%d/balance-sheet?month=2025-12", w.f.A.ID), "资产负债表", "资产总计"},
		{fmt.Sprintf("/c/%d/income?month=2025-12", w.f.A.ID), "收益及收益分配表", "一、经营收入"},
		{fmt.Sprintf("/c/%d/trial-balance?from=2025-01&to=2025-12", w.f.A.ID), "", "银行存款"},
	} {
		code, body := get(t, c, w.srv.URL+tt.page)
		if code != http.StatusOK {
			t.Fatalf("%s: status %d", tt.page, code)
		}
		if !strings.Contains(body, `<caption class="visually-hidden">`+tt.caption) {
			t.Errorf("%s: no caption %q", tt.page, tt.caption)
		}
		if !strings.Contains(body, `<th scope="col"`) {
			t.Errorf("%s: column headers without scope", tt.page)
		}
		if !regexp.MustCompile(`<th scope="row"[^>]*>` + tt.row + `</th>`).MatchString(body) {
			t.Errorf("%s: %s is not a row header", tt.page, tt.row)
		}
	}
}

// TestLedger_Page shows A's detail ledger of its bank account: the rent's
// entry links to its voucher; the general ledger has the month's total; an
// account not in the chart is the form's error.
func TestLedger_Page(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.client(t, "kuaiji")
		base := fmt.Sprintf("%s/c/%d/ledger", w.srv.URL, w.f.A.ID)
		code, body := get(t, c, base+"?account=10201&from=2025-01&to=2025-12")
		if code != http.StatusOK {
			t.Fatalf("status %d", code)
		}
		link := fmt.Sprintf(`<a href="/c/%d/vouchers/%d">`, w.f.A.ID, w.posted["A"].ID)
		for _, want := range []string{"明细账", "收南什村鱼塘租金", link, "1,200.00", `<option value="10201" selected>`} {
			if !strings.Contains(body, want) {
				t.Errorf("detail ledger lacks %q", want)
			}
		}
		_, body = get(t, c, base+"?kind=general&account=10201&from=2025-01&to=2025-12")
		if !strings.Contains(body, "总账") || !strings.Contains(body, "本月合计") {
			t.Errorf("general ledger lacks its title or the month's total")
		}
		code, body = get(t, c, base+"?account=99999")
		if code != http.StatusUnprocessableEntity || !strings.Contains(body, "field-error") {
			t.Errorf("unknown account: status %d, want 422 with the error", code)
		}
		code, _ = get(t, c, base+"?account=10201&from=2025-12&to=2025-01")
		if code != http.StatusUnprocessableEntity {
			t.Errorf("range backwards: status %d, want 422", code)
		}
	})
}

// downloadXLSX gets an xlsx download and opens it.
func downloadXLSX(t *testing.T, c *http.Client, u string) (*excelize.File, string) {
	t.Helper()
	resp, err := c.Get(u)
	must(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	must(t, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: status %d", u, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("%s: Content-Type %q", u, ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: not a workbook: %v", u, err)
	}
	t.Cleanup(func() { f.Close() })
	return f, resp.Header.Get("Content-Disposition")
}

// dispositionName returns the UTF-8 file name of a Content-Disposition.
func dispositionName(t *testing.T, cd string) string {
	t.Helper()
	const marker = "filename*=UTF-8''"
	i := strings.Index(cd, marker)
	if !strings.HasPrefix(cd, "attachment;") || i < 0 || !strings.Contains(cd, `filename="`) {
		t.Fatalf("Content-Disposition %q: want an attachment with both file names", cd)
	}
	name, err := url.PathUnescape(cd[i+len(marker):])
	must(t, err)
	return name
}

// TestStatements_XLSX downloads the statements and the trial balance: each
// is a workbook with a Chinese file name whose sheet has the title, the
// collective and the translated header.
func TestStatements_XLSX(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		c := w.client(t, "cunkuaiji")
		id := w.f.A.ID
		for _, tc := range []struct {
			path, file, sheet string
			header            []string
		}{
			{"/c/%d/balance-sheet?month=2025-12&format=xlsx", "南什村股份经济合作社-资产负债表-2025-12.xlsx", "资产负债表",
				[]string{"项目", "行次", "期末余额", "上年年末余额"}},
			{"/c/%d/income?month=2025-12&format=xlsx", "南什村股份经济合作社-收益及收益分配表-2025-12.xlsx", "收益及收益分配表",
				[]string{"项目", "行次", "本年金额", "上年金额"}},
			{"/c/%d/trial-balance?from=2025-01&to=2025-12&format=xlsx", "南什村股份经济合作社-科目余额表-2025-01-2025-12.xlsx", "科目余额表",
				[]string{"科目编码", "科目名称", "期初借方", "期初贷方", "本期借方", "本期贷方"}},
			{"/c/%d/ledger?account=10201&from=2025-01&to=2025-12&format=xlsx", "南什村股份经济合作社-明细账-2025-01-2025-12.xlsx", "明细账",
				[]string{"日期", "凭证号", "摘要", "借方", "贷方", "借或贷", "余额"}},
		} {
			f, cd := downloadXLSX(t, c, w.srv.URL+fmt.Sprintf(tc.path, id))
			if name := dispositionName(t, cd); name != tc.file {
				t.Errorf("%s: file %q, want %q", tc.path, name, tc.file)
			}
			rows, err := f.GetRows(tc.sheet)
			if err != nil {
				t.Fatalf("%s: sheet %q: %v (sheets %q)", tc.path, tc.sheet, err, f.GetSheetList())
			}
			var header []string
			for _, r := range rows {
				if len(r) > 0 && r[0] == tc.header[0] {
					header = r
					break
				}
			}
			if len(rows) < 4 || rows[0][0] != tc.sheet || rows[1][0] != "核算单位：南什村股份经济合作社" {
				t.Errorf("%s: head rows %q", tc.path, rows[:min(3, len(rows))])
			}
			if len(header) < len(tc.header) || strings.Join(header[:len(tc.header)], ",") != strings.Join(tc.header, ",") {
				t.Errorf("%s: header %q, want %q", tc.path, header, tc.header)
			}
		}
		// The balance sheet's totals are numbers in the workbook.
		f, _ := downloadXLSX(t, c, w.srv.URL+fmt.Sprintf("/c/%d/balance-sheet?month=2025-12&format=xlsx", id))
		rows, err := f.GetRows("资产负债表", excelize.Options{RawCellValue: true})
		must(t, err)
		found := false
		for _, r := range rows {
			if len(r) > 3 && r[0] == "资产总计" {
				found = r[2] == "1200"
			}
		}
		if !found {
			t.Errorf("balance sheet workbook lacks 资产总计 1200:\n%q", rows)
		}
		// The first year's income statement: 上年金额 is empty, not 0, and a
		// line under the heading says why.
		f, _ = downloadXLSX(t, c, w.srv.URL+fmt.Sprintf("/c/%d/income?month=2025-12&format=xlsx", id))
		rows, err = f.GetRows("收益及收益分配表", excelize.Options{RawCellValue: true})
		must(t, err)
		var note, revenue []string
		for _, r := range rows {
			switch {
			case len(r) > 0 && strings.HasPrefix(r[0], "“上年金额”栏空白"):
				note = r
			case len(r) > 0 && r[0] == "一、经营收入":
				revenue = r
			}
		}
		if note == nil || rows[2][0] != "2025年度" || len(revenue) != 3 || revenue[2] != "1200" {
			t.Errorf("income workbook: period %q, note %q, 经营收入 %q (want no 上年金额 cell):\n%q", rows[2], note, revenue, rows)
		}
	})
}

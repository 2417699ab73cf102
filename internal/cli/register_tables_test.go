package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.org/jiti/internal/store"
	"example.org/jiti/internal/web"
	"github.com/xuri/excelize/v2"
)

// TestRegisterTables_SameCells builds each register once (package report)
// and reads it back from three of its outputs: the web page's xlsx
// download, `jiti … list -format csv` and `jiti export registers`. All
// three carry the same header and the same cells, row for row, the totals
// included; only the export puts each row's collective before it.
func TestRegisterTables_SameCells(t *testing.T) {
	r := newRunner(t)
	r.setup()
	const c = "620422100201"
	r.must("asset", "add", "-c", c, "-code", "ZC-XX01", "-name", "原南什小学校舍", "-category", "building",
		"-source", "existing", "-acquired", "2005-09-01", "-cost", "80000", "-life", "360",
		"-opening-dep", "30000", "-opening-months", "232", "-status", "idle", "-location", "南什村一社", "-as", "kj")
	r.must("asset", "add", "-c", c, "-code", "ZC-2025-001", "-name", "电子地磅", "-category", "equipment",
		"-use", "production", "-acquired", "2025-03-10", "-cost", "18000", "-life", "120", "-credit", "10201", "-as", "kj")
	r.must("resource", "add", "-c", c, "-code", "ZY-001", "-name", "后山坡地", "-kind", "cultivated", "-area", "1234.5",
		"-use", "idle", "-location", "后山", "-boundaries", "东至沟，西至路", "-as", "kj")
	r.must("resource", "add", "-c", c, "-code", "ZY-002", "-name", "河滩地", "-kind", "four_wastes", "-area", "3", "-as", "kj")
	r.adoptDecision(c, "2025-04", "contract", "后山坡地发包", "2025-03-20")
	r.must("contract", "add", "-c", c, "-code", "HT-2025-002", "-name", "后山坡地发包合同", "-kind", "contracting",
		"-party-kind", "unit", "-party", "会宁县丰源农业有限公司", "-resource", "ZY-001", "-start", "2025-04-01", "-end", "2026-03-31",
		"-amount", "2000", "-income-account", "50101", "-award", "open_bidding", "-award-ref", "GJ-2025-7",
		"-resolution", "2025-04", "-as", "kj")
	r.must("contract", "sign", "-c", c, "-contract", "HT-2025-002", "-date", "2025-04-01", "-as", "kj")
	r.must("contract", "receipt", "-c", c, "-contract", "HT-2025-002", "-date", "2025-04-02", "-amount", "1500",
		"-account", "10201", "-as", "kj")

	// The web application on the same database, signed in as the accountant.
	ctx := context.Background()
	db, err := store.Open(ctx, r.env["JITI_DB"], store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	app, err := web.New(db, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()
	kj, err := db.FindUserByName(ctx, "kj")
	if err != nil {
		t.Fatal(err)
	}
	session, err := db.CreateSession(ctx, kj.ID, time.Hour, "test", "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	col, err := db.FindCollectiveByCode(ctx, c)
	if err != nil {
		t.Fatal(err)
	}

	export := filepath.Join(t.TempDir(), "registers.xlsx")
	r.must("export", "registers", "-c", c, "-o", export)
	book, err := excelize.OpenFile(export)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()

	for i, reg := range []struct{ cmd, path string }{{"asset", "assets"}, {"resource", "resources"}, {"contract", "contracts"}} {
		list := readCSV(t, r.must(reg.cmd, "list", "-c", c, "-format", "csv"))
		if len(list) < 3 {
			t.Fatalf("%s list: %d lines", reg.cmd, len(list))
		}

		req, _ := http.NewRequest("GET", srv.URL+"/c/"+strconv.FormatInt(col.ID, 10)+"/"+reg.path+"?format=xlsx", nil)
		req.AddCookie(&http.Cookie{Name: "jiti_session", Value: session})
		req.AddCookie(&http.Cookie{Name: "jiti_lang", Value: "en"})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s download: %d %s", reg.path, resp.StatusCode, body)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := wb.GetRows(wb.GetSheetList()[0])
		wb.Close()
		var downloaded [][]string
		for n, row := range rows { // the title and the meta lines above the header
			if strings.Join(row, "|") == strings.Join(list[0], "|") {
				downloaded = rows[n:]
				break
			}
		}

		rows, _ = book.GetRows(book.GetSheetList()[i])
		var exported [][]string
		for n, row := range rows {
			switch {
			case n == 0 || n < len(rows)-1: // the collective's code and name first
				row = row[min(2, len(row)):]
			default: // the totals keep their label first
				row = append(row[:1:1], row[min(3, len(row)):]...)
			}
			exported = append(exported, row)
		}

		want := cellsOf(list)
		for name, got := range map[string][][]string{"web download": downloaded, "export": exported} {
			if g := cellsOf(got); g != want {
				t.Errorf("%s: %s differs from the list:\n%s\nlist:\n%s", reg.path, name, g, want)
			}
		}
	}
}

func readCSV(t *testing.T, s string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// cellsOf writes rows one a line, cells between bars, without the thousands
// separators the sheets show and the empty cells that end a row (which a
// sheet does not keep).
func cellsOf(rows [][]string) string {
	var b strings.Builder
	for _, row := range rows {
		for len(row) > 0 && row[len(row)-1] == "" {
			row = row[:len(row)-1]
		}
		b.WriteString(strings.ReplaceAll(strings.Join(row, "|"), ",", "") + "\n")
	}
	return b.String()
}

package web_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"example.org/jiti"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
	"example.org/jiti/internal/store/storetest"
)

// writeVoucherFile writes a voucher CSV of n lines (two per voucher) of
// the collective with the given code, dated over 2025.
func writeVoucherFile(t testing.TB, path, code string, n int) {
	t.Helper()
	f, err := os.Create(path)
	must(t, err)
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "凭证号,单位编码,日期,摘要,科目编码,借方金额,贷方金额")
	for k := 1; 2*k <= n; k++ {
		date := fmt.Sprintf("2025-%02d-%02d", 1+k%12, 1+k%28)
		fmt.Fprintf(w, "%d,%s,%s,收取门面租金%d,10201,%d.%02d,\n", k, code, date, k, 100+k, k%100)
		fmt.Fprintf(w, "%d,%s,%s,收取门面租金%d,50101,,%d.%02d\n", k, code, date, k, 100+k, k%100)
	}
	must(t, w.Flush())
	must(t, f.Close())
}

// answers is what API clients saw: every status with how long it took.
type answers struct {
	mu      sync.Mutex
	n       int
	byCode  map[int]int
	slowest time.Duration
	bad     []string // answers other than 201, and 503s without Retry-After or not naming the import
}

func (a *answers) add(code int, took time.Duration, retryAfter, body, file string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.n++
	if a.byCode == nil {
		a.byCode = map[int]int{}
	}
	a.byCode[code]++
	a.slowest = max(a.slowest, took)
	switch {
	case code == http.StatusCreated:
	case code == http.StatusServiceUnavailable && retryAfter != "" && strings.Contains(body, file):
	default:
		a.bad = append(a.bad, fmt.Sprintf("%d (Retry-After %q) after %v: %s", code, retryAfter, took, body))
	}
}

// postWhile makes clients create vouchers through the API, one after
// another with a short pause, until stop is closed; wait waits for their
// last answers.
func postWhile(base, token string, cids []int64, clients int, file string, stop <-chan struct{}) (a *answers, wait func()) {
	a = &answers{}
	var wg sync.WaitGroup
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &http.Client{Timeout: 30 * time.Second}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"date": "2025-06-%02d", "lines": [{"summary": "收摊位费", "account": "10201", "debit": "%d.00"}, {"account": "50102", "credit": "%d.00"}]}`,
					1+n%28, 10+n, 10+n)
				req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/collectives/%d/vouchers", base, cids[(i+n)%len(cids)]), strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				start := time.Now()
				resp, err := c.Do(req)
				if err != nil {
					a.add(0, time.Since(start), "", err.Error(), file)
					continue
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				a.add(resp.StatusCode, time.Since(start), resp.Header.Get("Retry-After"), string(b), file)
				time.Sleep(5 * time.Millisecond)
			}
		}()
	}
	return a, wg.Wait
}

// TestImport_BesideLiveServer imports 200,000 voucher lines into the
// database a server is using while API clients create vouchers through
// it, in the same collective and another: from a second handle of the
// file (as `jiti import vouchers` from another process), and as a job of
// the server (an upload on the voucher page). No answer is a 500: each is
// 201, or 503 with Retry-After naming the import; none takes more than 5
// seconds; and the import is whole.
func TestImport_BesideLiveServer(t *testing.T) {
	const lines = 200_000
	for _, mode := range []string{"cli", "job"} {
		t.Run(mode, func(t *testing.T) {
			eachAt(t, func(t *testing.T, db *store.DB, dsn string) {
				w := newWorld(t, db)
				ctx := context.Background()
				path := filepath.Join(t.TempDir(), "全年凭证.csv")
				writeVoucherFile(t, path, w.f.A.Code, lines)
				token, _, err := db.CreateAPIToken(ctx, w.users["cunkuaiji"], "live", 0)
				must(t, err)
				stop := make(chan struct{})
				seen, wait := postWhile(w.srv.URL, token, []int64{w.f.A.ID}, 4, "全年凭证.csv", stop)
				var once sync.Once
				end := func() { once.Do(func() { close(stop); wait() }) }
				defer end() // also when the test fails half way

				start := time.Now()
				var rec store.ImportRecord
				if mode == "cli" {
					rec = importFromOutside(t, db, dsn, w, path)
				} else {
					rec = importAsJob(t, w, path)
				}
				took := time.Since(start)
				end()
				t.Logf("%s, %s: %d lines imported in %v beside %d API writes %v, slowest %v",
					db.Engine(), mode, lines, took.Round(time.Millisecond), seen.n, seen.byCode, seen.slowest)
				if len(seen.bad) > 0 {
					t.Fatalf("%d bad answers beside the import, the first: %s", len(seen.bad), seen.bad[0])
				}
				if seen.slowest > 5*time.Second {
					t.Fatalf("an API write took %v beside the import", seen.slowest)
				}
				if seen.byCode[http.StatusCreated] == 0 {
					t.Fatal("no API write succeeded beside the import")
				}
				if rec.Vouchers != lines/2 || rec.Lines != lines {
					t.Fatalf("import record = %+v", rec)
				}
				got := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE id BETWEEN %d AND %d AND status = 'draft' AND maker_id = %d`,
					rec.FirstID, rec.LastID, w.users["kuaiji"])
				gotLines := storetest.Count(t, db, `SELECT COUNT(*) FROM voucher_lines l JOIN vouchers v ON v.id = l.voucher_id
WHERE v.id BETWEEN %d AND %d AND v.maker_id = %d`, rec.FirstID, rec.LastID, w.users["kuaiji"])
				if got != lines/2 || gotLines != lines {
					t.Fatalf("%d drafts with %d lines after the import, want %d with %d", got, gotLines, lines/2, lines)
				}
				made := storetest.Count(t, db, `SELECT COUNT(*) FROM vouchers WHERE maker_id = %d`, w.users["cunkuaiji"])
				if made != int64(seen.byCode[http.StatusCreated]) {
					t.Fatalf("%d vouchers made through the API, %d answered 201", made, seen.byCode[http.StatusCreated])
				}
			})
		})
	}
}

// eachAt runs f on a fresh SQLite file and, when configured, a fresh
// PostgreSQL database, with the file's path ("" for PostgreSQL).
func eachAt(t *testing.T, f func(t *testing.T, db *store.DB, dsn string)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "jiti.db")
		db, err := store.Open(context.Background(), path, store.Options{Migrate: true, Key: storetest.Key})
		must(t, err)
		t.Cleanup(func() { db.Close() })
		f(t, db, path)
	})
	t.Run("postgres", func(t *testing.T) { f(t, storetest.OpenPostgres(t), "") })
}

// importFromOutside imports the file through a second handle of the
// database, as the command line does in a process of its own (PostgreSQL
// has no lock of the whole database: its own handle does as well).
func importFromOutside(t *testing.T, db *store.DB, dsn string, w *world, path string) store.ImportRecord {
	t.Helper()
	other := db
	if dsn != "" {
		var err error
		other, err = store.Open(context.Background(), dsn, store.Options{Key: storetest.Key})
		must(t, err)
		defer other.Close()
		other.Now = db.Now
	}
	src, err := sheet.OpenVouchers(path, filepath.Base(path), nil, func(code string) (*jiti.Collective, error) {
		return other.FindCollectiveByCode(context.Background(), code)
	})
	must(t, err)
	defer src.Close()
	res, err := other.Import(context.Background(), w.users["kuaiji"], src, store.ImportFile{Name: filepath.Base(path)})
	must(t, err)
	if len(res.Imports) != 1 {
		t.Fatalf("records = %+v", res.Imports)
	}
	return res.Imports[0]
}

var importedRe = regexp.MustCompile(`导入记录#(\d+)`)

// importAsJob uploads the file on the voucher page and follows the job's
// page until it ends.
func importAsJob(t *testing.T, w *world, path string) store.ImportRecord {
	t.Helper()
	kj := w.client(t, "kuaiji")
	data, err := os.ReadFile(path)
	must(t, err)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", filepath.Base(path))
	must(t, err)
	fw.Write(data)
	mw.Close()
	resp, err := kj.Post(fmt.Sprintf("%s/c/%d/imports", w.srv.URL, w.f.A.ID), mw.FormDataContentType(), &body)
	must(t, err)
	resp.Body.Close()
	page := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(page, fmt.Sprintf("/c/%d/imports/", w.f.A.ID)) {
		t.Fatalf("upload: %d, Location %q", resp.StatusCode, page)
	}
	deadline := time.Now().Add(5 * time.Minute)
	sawProgress := false
	for {
		resp, err := kj.Get(w.srv.URL + page)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		text := string(b)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("job page: %d %s", resp.StatusCode, text)
		}
		if resp.Header.Get("Refresh") == "" {
			if !strings.Contains(text, "已导入凭证100000张（分录200000行）") || !strings.Contains(text, "全年凭证.csv") {
				t.Fatalf("job page after the import:\n%s", text)
			}
			if !sawProgress {
				t.Log("the job ended before its page showed progress")
			}
			m := importedRe.FindStringSubmatch(text)
			if m == nil {
				t.Fatalf("job page names no import record:\n%s", text)
			}
			id, _ := strconv.ParseInt(m[1], 10, 64)
			recs, err := w.db.FindImports(context.Background(), w.f.A.ID)
			must(t, err)
			i := slices.IndexFunc(recs, func(r store.ImportRecord) bool { return r.ID == id })
			if i < 0 {
				t.Fatalf("import record %d not found in %+v", id, recs)
			}
			return recs[i]
		}
		if strings.Contains(text, "<progress") && strings.Contains(text, "已读") {
			sawProgress = true
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import job did not end:\n%s", text)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// uploadImport uploads a voucher file on a collective's voucher page and
// returns the job page it is sent to.
func uploadImport(t *testing.T, c *http.Client, base string, cid int64, name, text string, again bool) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	must(t, err)
	fw.Write([]byte(text))
	if again {
		mw.WriteField("again", "1")
	}
	mw.Close()
	resp, err := c.Post(fmt.Sprintf("%s/c/%d/imports", base, cid), mw.FormDataContentType(), &body)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload %s: %d", name, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// jobEnd follows a job page until the job ends and returns the page.
func jobEnd(t *testing.T, c *http.Client, base, page string) string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		resp, err := c.Get(base + page)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("job page %s: %d", page, resp.StatusCode)
		}
		if resp.Header.Get("Refresh") == "" {
			return string(b)
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %s did not end", page)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestImportPage: the web's import follows the command line's rules and
// reports alike: a file with errors imports nothing and lists each at its
// sheet, row and column; a good one imports its vouchers as drafts and
// flags repeats by row; the same content again is refused naming the
// earlier import, unless "again"; a job of another collective, or a user
// who may not keep the books, gets no further than not found.
func TestImportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kj := w.client(t, "kuaiji")
		a := w.f.A.ID
		bad := "凭证号,日期,摘要,科目编码,借方金额,贷方金额\n1,2025-02-01,收租金,10201,800.00,\n1,,,59999,,800.00\n2,2025-02-30,付电费,513,7.00,\n2,,,101,,7.00\n"
		text := jobEnd(t, kj, w.srv.URL, uploadImport(t, kj, w.srv.URL, a, "坏.csv", bad, false))
		for _, want := range []string{"导入的数据中有2处错误，本次未导入任何数据", "工作表“坏”第3行 D列（科目编码）：科目59999不存在",
			"工作表“坏”第4行 B列（日期）：", "未导入"} {
			if !strings.Contains(text, want) {
				t.Errorf("refused import's page lacks %q:\n%s", want, text)
			}
		}
		good := "凭证号,日期,摘要,科目编码,借方金额,贷方金额\n1,2025-02-01,收租金,10201,800.00,\n1,,,50101,,800.00\n2,2025-02-01,收租金,10201,800.00,\n2,,,50101,,800.00\n"
		text = jobEnd(t, kj, w.srv.URL, uploadImport(t, kj, w.srv.URL, a, "二月.csv", good, false))
		for _, want := range []string{"已导入凭证2张（分录4行）", "凭证2张", "可能重复", "工作表“二月”第4行："} {
			if !strings.Contains(text, want) {
				t.Errorf("import's page lacks %q:\n%s", want, text)
			}
		}
		text = jobEnd(t, kj, w.srv.URL, uploadImport(t, kj, w.srv.URL, a, "二月改名.csv", good, false))
		if !strings.Contains(text, "已于") || !strings.Contains(text, "“二月.csv”") || !strings.Contains(text, "本次未导入任何数据") {
			t.Errorf("the same content again is not refused naming the first import:\n%s", text)
		}
		page := uploadImport(t, kj, w.srv.URL, a, "二月改名.csv", good, true)
		if text = jobEnd(t, kj, w.srv.URL, page); !strings.Contains(text, "已导入凭证2张") || !strings.Contains(text, "按要求再次导入") {
			t.Errorf("again:\n%s", text)
		}
		// The job is A's: not found under B, nor for a user of another township.
		if code, _ := get(t, kj, w.srv.URL+strings.Replace(page, fmt.Sprintf("/c/%d/", a), fmt.Sprintf("/c/%d/", w.f.B.ID), 1)); code != http.StatusNotFound {
			t.Errorf("job under another collective: %d", code)
		}
		if code, _ := get(t, w.client(t, "gckuaiji"), w.srv.URL+page); code != http.StatusNotFound {
			t.Errorf("job for a user out of scope: %d", code)
		}
		// A viewer may not import.
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "x.csv")
		fw.Write([]byte(good))
		mw.Close()
		resp, err := w.client(t, "viewer").Post(fmt.Sprintf("%s/c/%d/imports", w.srv.URL, a), mw.FormDataContentType(), &body)
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("a viewer's upload: %d", resp.StatusCode)
		}
		// The voucher page offers the upload to those who keep the books.
		if _, vp := get(t, kj, fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, a)); !strings.Contains(vp, fmt.Sprintf(`action="/c/%d/imports"`, a)) {
			t.Error("the voucher page offers no import")
		}
		if _, vp := get(t, w.client(t, "viewer"), fmt.Sprintf("%s/c/%d/vouchers", w.srv.URL, a)); strings.Contains(vp, "/imports") {
			t.Error("the voucher page offers a viewer an import")
		}
	})
}

// TestBusy503: on SQLite, a write that does not get the write lock in
// time is answered 503 with Retry-After, by the API in its JSON and by a
// page, naming the running import; never 500.
func TestBusy503(t *testing.T) {
	path := filepath.Join(t.TempDir(), "jiti.db")
	db, err := store.Open(context.Background(), path, store.Options{Migrate: true, Key: storetest.Key})
	must(t, err)
	defer db.Close()
	w := newWorld(t, db)
	db.LockWait = 200 * time.Millisecond
	ctx := context.Background()
	job, err := db.CreateImportJob(ctx, w.users["kuaiji"], store.ImportFile{Name: "全年凭证.csv"}, w.f.A.ID)
	must(t, err)
	must(t, db.ExecRaw(ctx, `UPDATE import_jobs SET rows_read = 777 WHERE id = ?`, job))
	token, _, err := db.CreateAPIToken(ctx, w.users["cunkuaiji"], "busy", 0)
	must(t, err)
	kj := w.client(t, "kuaiji")
	release := holdWriteLock(t, path)
	defer release()

	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/collectives/%d/vouchers", w.srv.URL, w.f.A.ID),
		strings.NewReader(`{"date": "2025-06-01", "lines": [{"summary": "x", "account": "10201", "debit": "1.00"}, {"account": "50102", "credit": "1.00"}]}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" ||
		!strings.Contains(string(b), `"code":"store.busy_import"`) || !strings.Contains(string(b), "代理会计正在向南什村股份经济合作社导入“全年凭证.csv”（已读777行）") {
		t.Fatalf("API write while busy: %d, Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), b)
	}
	code, page := post(t, kj, fmt.Sprintf("%s/c/%d/periods/2025-03/close", w.srv.URL, w.f.A.ID), nil)
	if code != http.StatusServiceUnavailable || !strings.Contains(page, "全年凭证.csv") {
		t.Fatalf("page write while busy: %d\n%s", code, page)
	}
	release()
	if code, _ := post(t, kj, fmt.Sprintf("%s/c/%d/periods/2025-01/close", w.srv.URL, w.f.A.ID), nil); code >= 500 {
		t.Fatalf("page write once free: %d", code)
	}
}

// holdWriteLock takes the SQLite file's write lock from another
// connection until release is called.
func holdWriteLock(t *testing.T, path string) (release func()) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	must(t, err)
	conn, err := raw.Conn(context.Background())
	must(t, err)
	_, err = conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`)
	must(t, err)
	var once sync.Once
	return func() {
		once.Do(func() {
			conn.ExecContext(context.Background(), `ROLLBACK`)
			conn.Close()
			raw.Close()
		})
	}
}

// TestImportPageSkippedSheets uploads a workbook whose vouchers sit beside
// a note and a 科目表 kept for reference: the vouchers import, and the
// job's page names the sheets that were not read, and why.
func TestImportPageSkippedSheets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db)
		kj := w.client(t, "kuaiji")
		var book bytes.Buffer
		sw, err := sheet.NewWriter(&book, "xlsx", "说明")
		if err != nil {
			t.Fatal(err)
		}
		for _, step := range []error{
			sw.WriteRow("金额以元为单位"),
			sw.NewSheet("科目表"), sw.WriteHeader("科目编码", "科目名称"), sw.WriteRow(sheet.Text("10201"), "银行存款"),
			sw.NewSheet("凭证"), sw.WriteHeader("凭证号", "日期", "摘要", "科目编码", "借方金额", "贷方金额"),
			sw.WriteRow("1", "2025-02-01", "收租金", sheet.Text("10201"), sheet.Number("800"), nil),
			sw.WriteRow("1", "2025-02-01", "收租金", sheet.Text("50101"), nil, sheet.Number("800")),
			sw.Close(),
		} {
			if step != nil {
				t.Fatal(step)
			}
		}
		text := jobEnd(t, kj, w.srv.URL, uploadImport(t, kj, w.srv.URL, w.f.A.ID, "三月.xlsx", book.String(), false))
		for _, want := range []string{"已导入凭证1张", "已跳过工作表“说明”", "已跳过工作表“科目表”（不是数据表）：缺少列 凭证号、日期、摘要、借方金额、贷方金额"} {
			if !strings.Contains(text, want) {
				t.Errorf("import's page lacks %q:\n%s", want, text)
			}
		}
	})
}

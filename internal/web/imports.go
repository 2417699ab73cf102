package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"

	"example.org/jiti"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// Imports the server runs. A voucher file uploaded on a collective's
// voucher page is imported by a job of the server, in the background: the
// upload answers at once with the job's page, which follows its progress
// (it refreshes itself while the job runs) and then shows its result, the
// errors by sheet, row and column as `jiti import vouchers` prints them.
// The import is the store's (store.DB.Import): the same rules as the
// command line's, all or nothing, content imported before refused unless
// "again", repeats flagged. Rows without a collective code are the page's
// collective's; rows with one are imported into it if the user may keep
// its books, as on the command line.

// maxImportBody is the bytes of an upload to import: a CSV of two million
// voucher lines is about 150 MB. Above importMemory the upload waits in a
// temporary file, not in memory.
const (
	maxImportBody = 512 << 20
	importMemory  = 1 << 20
)

// keptResults is how many finished imports' results the server keeps for
// their pages (their errors and repeats by row); the job's row keeps the
// counts for ever.
const keptResults = 100

// importJobs are the imports the server runs, and the results of the
// latest that ended.
type importJobs struct {
	ctx     context.Context // ends when the server closes: running imports stop, leaving nothing
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	mu      sync.Mutex
	running map[int64]bool // jobs started and not yet finished here
	done    map[int64]importOutcome
	order   []int64 // of done, oldest first
}

type importOutcome struct {
	res     *store.ImportResult
	skipped []sheet.Skipped // the sheets of the file that were not data
	err     error
}

func newImportJobs() *importJobs {
	ctx, cancel := context.WithCancel(context.Background())
	return &importJobs{ctx: ctx, cancel: cancel, running: map[int64]bool{}, done: map[int64]importOutcome{}}
}

// start runs fn as the server's job for import job.
func (j *importJobs) start(job int64, fn func(ctx context.Context)) {
	j.mu.Lock()
	j.running[job] = true
	j.mu.Unlock()
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		fn(j.ctx)
	}()
}

// finish keeps a job's result for its page.
func (j *importJobs) finish(job int64, res *store.ImportResult, skipped []sheet.Skipped, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	delete(j.running, job)
	j.done[job] = importOutcome{res, skipped, err}
	j.order = append(j.order, job)
	if len(j.order) > keptResults {
		delete(j.done, j.order[0])
		j.order = j.order[1:]
	}
}

// result returns a job's result, if the server ran it and keeps it, and
// whether the server is still running it (its row may say it ended a
// moment before its result is here).
func (j *importJobs) result(job int64) (out importOutcome, kept, running bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	out, kept = j.done[job]
	return out, kept, j.running[job]
}

// Close stops the imports the server runs and waits for them to end, or
// until ctx ends: a stopped import removes what it wrote (what it could
// not is removed by the next import or start, store.RecoverImports).
func (s *Server) Close(ctx context.Context) {
	s.jobs.cancel()
	done := make(chan struct{})
	go func() {
		s.jobs.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (s *Server) importRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /c/{id}/imports", s.signedIn(s.startImport))
	mux.HandleFunc("GET /c/{id}/imports/{job}", s.signedIn(s.importPage))
}

// isImportUpload reports whether a request uploads a file to import,
// which may be far larger than a document (limits.go).
func isImportUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/c/") && strings.HasSuffix(r.URL.Path, "/imports")
}

// startImport saves the uploaded file, checks its header, and starts the
// job that imports it; it answers with the job's page.
func (s *Server) startImport(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	tmp, f, err := saveImportUpload(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Again = r.FormValue("again") != ""
	src, err := sheet.OpenVouchers(tmp, f.Name, c, func(code string) (*jiti.Collective, error) {
		return s.DB.FindCollectiveByCode(s.jobs.ctx, code)
	})
	if err != nil {
		os.Remove(tmp)
		s.fail(w, r, err)
		return
	}
	by := st.view.User().ID
	if f.Job, err = s.DB.CreateImportJob(r.Context(), by, f, c.ID); err != nil {
		src.Close()
		os.Remove(tmp)
		s.fail(w, r, err)
		return
	}
	s.jobs.start(f.Job, func(ctx context.Context) {
		defer os.Remove(tmp)
		defer src.Close()
		res, err := s.DB.Import(ctx, by, src, f)
		if err != nil && !isUserError(err) {
			s.Log.Error("import failed", "job", f.Job, "file", f.Name, "err", err)
		}
		s.jobs.finish(f.Job, res, src.Skipped(), err)
	})
	http.Redirect(w, r, fmt.Sprintf("/c/%d/imports/%d", c.ID, f.Job), http.StatusSeeOther)
}

// errImportFile reports an upload without a file to import.
var errImportFile = jiti.Errorf(jiti.Invalid, "web.import_no_file")

// saveImportUpload copies the form's file to a temporary file, taking its
// SHA-256 on the way, and returns the file's path and what the import is
// to know of it.
func saveImportUpload(r *http.Request) (string, store.ImportFile, error) {
	in, h, err := r.FormFile("file")
	if err != nil {
		return "", store.ImportFile{}, errImportFile.At("file")
	}
	defer in.Close()
	out, err := os.CreateTemp("", "jiti-import-*")
	if err != nil {
		return "", store.ImportFile{}, err
	}
	sum := sha256.New()
	size, err := io.Copy(io.MultiWriter(out, sum), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", store.ImportFile{}, err
	}
	return out.Name(), store.ImportFile{Name: h.Filename, SHA256: hex.EncodeToString(sum.Sum(nil)), Size: size}, nil
}

// importPage is an import job as its page shows it.
type importPage struct {
	C       *jiti.Collective
	Job     *store.ImportJob
	Started string
	Percent int
	Running bool
	Failed  bool
	Message string   // how it ended
	Records []string // what it made, a line per collective
	Errors  []string // what was wrong, a line per problem at its place
	Repeats []string // the possible duplicates, at their rows
	Skipped []string // the sheets that were not data, and why
	More    string   // how many errors or repeats are not listed
	Details bool     // false when this server did not run it, or no longer keeps its result
}

// importPage shows an import job: its progress while it runs (the page
// asks the browser to load it again every two seconds), then its result.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request, st *state) {
	c, ok := s.collectiveOf(w, r, st)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("job"), 10, 64)
	var j *store.ImportJob
	if err == nil {
		j, err = s.DB.FindImportJob(r.Context(), id)
	}
	if err == nil && j.CollectiveID != c.ID {
		err = jiti.ErrNotFound
	}
	if err != nil {
		s.fail(w, r, jiti.ErrNotFound.With("import", r.PathValue("job")))
		return
	}
	p := st.p
	out, kept, running := s.jobs.result(j.ID)
	pg := &importPage{C: c, Job: j, Started: j.StartedAt.Local().Format(tokenTime), Percent: j.Percent(),
		Running: j.State == store.JobRunning || running, Details: kept}
	if pg.Running {
		w.Header().Set("Refresh", "2")
	}
	switch {
	case pg.Running:
	case j.State == store.JobDone:
		pg.Message = p.T("web.import_done", j.Vouchers, j.Lines)
	case kept && out.err != nil && isUserError(out.err):
		pg.Message = p.Error(out.err)
		pg.Failed = true
	case j.State == store.JobRefused && j.Errors > 0:
		pg.Message = p.Error(store.ErrImportInvalid.With(j.Errors))
		pg.Failed = true
	default:
		pg.Message = p.T("web.import_failed")
		pg.Failed = true
	}
	if kept {
		for _, sk := range out.skipped {
			pg.Skipped = append(pg.Skipped, sheet.DescribeSkipped(p, sk))
		}
	}
	if kept && out.res != nil {
		res := out.res
		for _, rec := range res.Imports {
			name := c.Name
			if rec.CollectiveID != c.ID {
				if other, err := st.view.Collective(r.Context(), rec.CollectiveID); err == nil {
					name = other.Name
				}
			}
			line := p.T("web.import_record", rec.ID, name, rec.Vouchers, rec.FirstID, rec.LastID)
			if rec.AgainOf != 0 {
				line += " " + p.T("web.import_record_again", rec.AgainOf)
			}
			pg.Records = append(pg.Records, line)
		}
		for _, e := range res.Errors {
			pg.Errors = append(pg.Errors, sheet.Lines(p, e)...)
		}
		for _, rp := range res.Repeats {
			note := store.ErrRepeats.With(rp.Voucher, rp.Of)
			if ce := sheet.Where(rp.Place); ce != nil {
				at := *ce
				at.Column, at.Err = "", note
				pg.Repeats = append(pg.Repeats, sheet.Describe(p, &at))
			} else {
				pg.Repeats = append(pg.Repeats, p.Error(note))
			}
		}
		switch {
		case res.More > 0:
			pg.More = p.T("cli.more_errors", res.More)
		case res.MoreRepeats > 0:
			pg.More = p.T("cli.more_repeats", res.MoreRepeats)
		}
	}
	crumbs, err := s.collectiveCrumbs(r, st, c)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	crumbs = append(crumbs, crumb{Label: p.T("web.vouchers"), Href: fmt.Sprintf("/c/%d/vouchers", c.ID)})
	s.render(w, r, http.StatusOK, "import", &page{Title: p.T("web.import_job", j.ID), Crumbs: crumbs, Data: pg})
}

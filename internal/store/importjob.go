package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"example.org/jiti"
)

// An import is a job with a row in import_jobs from its start to its end:
// what it reads, how far it has got, and how it ended. The row is how a
// page follows an import the server runs, and how a write that finds the
// database busy names the import holding it (busyError). On SQLite the
// job's batches are staged (import.go) and its row says which.

// States of an import job.
const (
	JobRunning = "running" // reading, writing its batches, or publishing them
	JobDone    = "done"    // its vouchers are drafts of the books
	JobRefused = "refused" // the file has errors, or was imported before: nothing was imported
	JobFailed  = "failed"  // it stopped (a failure of the server, or it was interrupted): nothing was imported
)

// statusStaged is the status of a voucher an import has written and not
// yet published: no list, count, check or act of the books sees it (they
// ask for a status, or leave this one out), and it becomes a draft in the
// import's last transaction, or is removed.
const statusStaged = "staged"

// importHeartbeat is how often a running import renews its row, and
// importStale how old the heartbeat of an import still marked running is
// when its process is taken to have ended. The gap is wide: a heartbeat
// may wait its turn for the write lock behind a long transaction.
const (
	importHeartbeat = time.Second
	importStale     = 2 * time.Minute
)

// ImportJob is an import as it runs, and as it ended.
type ImportJob struct {
	ID             int64       `json:"id"`
	UserID         jiti.UserID `json:"user_id"`
	UserName       string      `json:"user_name"`
	CollectiveID   int64       `json:"collective_id,omitempty"` // the first collective it read, or the one it was started for
	CollectiveName string      `json:"collective_name,omitempty"`
	Collectives    int         `json:"collectives"` // how many collectives its vouchers are of
	FileName       string      `json:"file_name"`
	State          string      `json:"state"`
	RowsRead       int         `json:"rows_read"`
	BytesRead      int64       `json:"bytes_read"`
	BytesTotal     int64       `json:"bytes_total,omitempty"` // 0 when the size is not known
	Vouchers       int         `json:"vouchers"`
	Lines          int         `json:"lines"`
	Errors         int         `json:"errors"`
	StartedAt      time.Time   `json:"started_at"`
	HeartbeatAt    time.Time   `json:"heartbeat_at"`
	FinishedAt     time.Time   `json:"finished_at,omitzero"`
}

// Percent is how much of the file the job has read, 0 to 100, or -1 when
// the file's size is not known.
func (j *ImportJob) Percent() int {
	if j.BytesTotal <= 0 {
		return -1
	}
	return int(min(100, j.BytesRead*100/j.BytesTotal))
}

// Errors of busy writes and interrupted imports.
var (
	// ErrBusy answers a write that did not get the write lock in time,
	// held by no import (a backup, a long close): try again shortly.
	ErrBusy = jiti.Errorf(jiti.Unavailable, "store.busy")
	// ErrBusyImport answers a write that did not get the write lock in
	// time while an import runs, naming it: who, into which collective,
	// which file, how far along.
	ErrBusyImport    = jiti.Errorf(jiti.Unavailable, "store.busy_import")
	ErrBusyImportPct = jiti.Errorf(jiti.Unavailable, "store.busy_import_pct")
	// ErrImportInterrupted reports an import whose job was ended from
	// outside (taken for dead after its heartbeat stopped): nothing of it
	// stays.
	ErrImportInterrupted = jiti.Errorf(jiti.Conflict, "import.interrupted")
)

// busyError returns err, or for a busy one the error a user reads: the
// running import it is busy with, if any, else ErrBusy. The busy cause is
// kept for the log.
func (db *DB) busyError(ctx context.Context, err error) error {
	if err == nil || !isBusy(err) {
		return err
	}
	// Readers are never blocked by the writer, so this takes little, but
	// it must not make a busy answer late.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 500*time.Millisecond)
	defer cancel()
	jobs, qerr := db.RunningImports(rctx)
	if qerr != nil || len(jobs) == 0 {
		return ErrBusy.Wrap(err)
	}
	j := jobs[0]
	if pct := j.Percent(); pct >= 0 {
		return ErrBusyImportPct.With(j.UserName, j.CollectiveName, j.FileName, j.RowsRead, pct).Wrap(err)
	}
	return ErrBusyImport.With(j.UserName, j.CollectiveName, j.FileName, j.RowsRead).Wrap(err)
}

// CreateImportJob starts the record of an import by by of the file f;
// with cid set, the import is for that collective's page and by must be
// allowed to keep its books. It returns the job's id, which Import takes
// in f.Job.
func (db *DB) CreateImportJob(ctx context.Context, by jiti.UserID, f ImportFile, cid int64) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *Tx) error {
		if cid != 0 {
			if _, err := tx.authorize(ctx, by, cid, PermKeepBooks); err != nil {
				return err
			}
		} else if _, err := tx.actor(ctx, by); err != nil {
			return err
		}
		now, collectives := tx.now.UnixMilli(), 0
		if cid != 0 {
			collectives = 1
		}
		return tx.queryRow(ctx, `INSERT INTO import_jobs (user_id, collective_id, collectives, file_name, state, bytes_total,
  started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			int64(by), nullID(cid), collectives, f.Name, JobRunning, f.Size, now, now).Scan(&id)
	})
	return id, err
}

const importJobColumns = `j.id, j.user_id, COALESCE(NULLIF(u.display_name, ''), u.name, ''), COALESCE(j.collective_id, 0),
  COALESCE(c.name, ''), j.collectives, j.file_name, j.state, j.rows_read, j.bytes_read, j.bytes_total, j.vouchers, j.lines,
  j.errors, j.started_at, j.heartbeat_at, COALESCE(j.finished_at, 0)
FROM import_jobs j LEFT JOIN users u ON u.id = j.user_id LEFT JOIN collectives c ON c.id = j.collective_id`

func scanImportJob(s interface{ Scan(...any) error }) (*ImportJob, error) {
	j := &ImportJob{}
	var started, beat, finished int64
	if err := s.Scan(&j.ID, &j.UserID, &j.UserName, &j.CollectiveID, &j.CollectiveName, &j.Collectives, &j.FileName, &j.State,
		&j.RowsRead, &j.BytesRead, &j.BytesTotal, &j.Vouchers, &j.Lines, &j.Errors, &started, &beat, &finished); err != nil {
		return nil, err
	}
	j.StartedAt, j.HeartbeatAt = time.UnixMilli(started).UTC(), time.UnixMilli(beat).UTC()
	if finished != 0 {
		j.FinishedAt = time.UnixMilli(finished).UTC()
	}
	return j, nil
}

// FindImportJob returns an import job by id.
func (db *DB) FindImportJob(ctx context.Context, id int64) (*ImportJob, error) {
	j, err := scanImportJob(db.reader().queryRow(ctx, `SELECT `+importJobColumns+` WHERE j.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, jiti.ErrNotFound.With("import", id)
	}
	return j, err
}

// RunningImports returns the imports running now, the latest first. A job
// whose heartbeat stopped long ago is not running, whatever its row says.
func (db *DB) RunningImports(ctx context.Context) ([]ImportJob, error) {
	rows, err := db.reader().query(ctx, `SELECT `+importJobColumns+` WHERE j.state = ? AND j.heartbeat_at >= ? ORDER BY j.id DESC`,
		JobRunning, db.now().Add(-importStale).UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ImportJob
	for rows.Next() {
		j, err := scanImportJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *j)
	}
	return out, rows.Err()
}

// jobProgress is what a running import tells its row at each heartbeat.
type jobProgress struct {
	ImportProgress
	collective  int64 // the first collective read
	collectives int
	vouchers    int
	lines       int
	errors      int
}

// beat writes a running job's progress and renews its heartbeat. It
// returns ErrImportInterrupted when the row is no longer running: another
// process took the job for dead and removed what it had written.
func (db *DB) beat(ctx context.Context, job int64, p jobProgress) error {
	return db.patientTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE import_jobs SET rows_read = ?, bytes_read = ?, bytes_total = ?, vouchers = ?, lines = ?,
  errors = ?, collective_id = COALESCE(collective_id, ?), collectives = ?, heartbeat_at = ? WHERE id = ? AND state = ?`,
			p.Rows, p.Bytes, p.Total, p.vouchers, p.lines, p.errors, nullID(p.collective), p.collectives, tx.now.UnixMilli(),
			job, JobRunning)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return ErrImportInterrupted
		}
		return nil
	})
}

// endJob writes how a job ended, with its last counts: refused or failed
// (a done job is ended by the transaction that publishes it).
func (tx *Tx) endJob(ctx context.Context, job int64, state string, p jobProgress) error {
	res, err := tx.exec(ctx, `UPDATE import_jobs SET state = ?, rows_read = ?, bytes_read = ?, bytes_total = ?, vouchers = ?,
  lines = ?, errors = ?, collective_id = COALESCE(collective_id, ?), collectives = ?, heartbeat_at = ?, finished_at = ?
WHERE id = ? AND state = ?`,
		state, p.Rows, p.Bytes, p.Total, p.vouchers, p.lines, p.errors, nullID(p.collective), p.collectives,
		tx.now.UnixMilli(), tx.now.UnixMilli(), job, JobRunning)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return ErrImportInterrupted
	}
	return nil
}

// RecoverImports cleans up after imports whose process ended before they
// did (killed, the machine stopped): each job still marked running whose
// heartbeat is older than importStale is marked failed, and the staged
// vouchers of every job no longer running are removed, a batch per short
// transaction. An import and the server's start run it; it returns how
// many jobs it ended.
func (db *DB) RecoverImports(ctx context.Context) (int, error) {
	var ended int
	err := db.patientTx(ctx, func(tx *Tx) error {
		res, err := tx.exec(ctx, `UPDATE import_jobs SET state = ?, finished_at = ? WHERE state = ? AND heartbeat_at < ?`,
			JobFailed, tx.now.UnixMilli(), JobRunning, tx.now.Add(-importStale).UnixMilli())
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		ended = int(n)
		return nil
	})
	if err != nil {
		return 0, err
	}
	jobs, err := queryIDs(ctx, db.reader(), `SELECT DISTINCT s.job_id FROM import_stages s JOIN import_jobs j ON j.id = s.job_id
WHERE j.state <> ?`, JobRunning)
	if err != nil {
		return ended, err
	}
	for _, job := range jobs {
		if err := db.discardStages(ctx, job.(int64)); err != nil {
			return ended, err
		}
	}
	return ended, nil
}

// discardStages removes the staged vouchers of a job, a batch per
// transaction, so removing two million lines never holds the write lock
// longer than writing them did.
func (db *DB) discardStages(ctx context.Context, job int64) error {
	for {
		var first, last int64
		err := db.reader().queryRow(ctx, `SELECT first_id, last_id FROM import_stages WHERE job_id = ? ORDER BY first_id LIMIT 1`,
			job).Scan(&first, &last)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		err = db.patientTx(ctx, func(tx *Tx) error {
			if _, err := tx.exec(ctx, `DELETE FROM voucher_lines WHERE voucher_id BETWEEN ? AND ?
  AND voucher_id IN (SELECT id FROM vouchers WHERE id BETWEEN ? AND ? AND status = ?)`, first, last, first, last, statusStaged); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `DELETE FROM vouchers WHERE id BETWEEN ? AND ? AND status = ?`, first, last, statusStaged); err != nil {
				return err
			}
			_, err := tx.exec(ctx, `DELETE FROM import_stages WHERE job_id = ? AND first_id = ?`, job, first)
			return err
		})
		if err != nil {
			return err
		}
		time.Sleep(importYield)
	}
}

// Package cli is jiti's command line: one subcommand per task (demo, migrate,
// region, collective, user, account, household, opening, voucher, period,
// report, verify, import, export), each with its own flags. Flags fall back
// to JITI_* environment variables. Commands that write take the acting user
// (-as or JITI_USER), and every message is in the user's language (-lang or
// JITI_LANG; Chinese by default).
package cli

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/locale"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/sheet"
	"example.org/jiti/internal/store"
)

// Exit codes, one per error kind, so scripts can tell a refused voucher from
// a broken database.
const (
	exitOK        = 0
	exitInternal  = 1
	exitUsage     = 2
	exitInvalid   = 3
	exitNotFound  = 4
	exitConflict  = 5
	exitForbidden = 6
	exitProblems  = 7 // verify found problems
	exitDiskFull  = 8 // the database's disk is full: nothing was written
	// exitUnavailable: the database was busy (a large import); the same
	// command may succeed in a moment.
	exitUnavailable = 9
)

// env is what every command runs with: the streams, the environment and the
// printer of the user's language.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	p      *locale.Printer
	// encoding is the -encoding of CSV output (sheet.CheckEncoding).
	encoding string
	// out is the -o of a command that writes a report (outFlag), and
	// hasOut whether the command has one: only such a command writes
	// xlsx through output.
	out    string
	hasOut bool
	// csvStarted says a CSV table has been written to standard output:
	// a list followed by its sums is one file, with one BOM at its start.
	csvStarted bool
}

type command struct {
	name  string // one or two words: "verify", "voucher create"
	usage string // catalog key of the one-line description
	run   func(e *env, args []string) error
}

// commands lists every subcommand; help prints them in this order.
var commands []command

func addCommands(cs ...command) { commands = append(commands, cs...) }

// Run runs jiti with args (the program name excluded) and returns the exit
// code. All input and output goes through the given streams and getenv, so
// tests run it in-process.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv,
		p: locale.New(locale.ParseLang(langFrom(args, getenv)))}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		e.help()
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, rest := find(args)
	if cmd == nil {
		fmt.Fprintln(stderr, e.p.T("cli.unknown_command", strings.Join(args[:min(2, len(args))], " ")))
		e.help()
		return exitUsage
	}
	err := cmd.run(e, rest)
	return e.exit(err)
}

// langFrom finds -lang among the arguments before flags are parsed, so that
// even flag errors are in the user's language.
func langFrom(args []string, getenv func(string) string) string {
	for i, a := range args {
		a = strings.TrimLeft(a, "-")
		if v, ok := strings.CutPrefix(a, "lang="); ok {
			return v
		}
		if a == "lang" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return getenv("JITI_LANG")
}

func find(args []string) (*command, []string) {
	if len(args) >= 2 {
		for i := range commands {
			if commands[i].name == args[0]+" "+args[1] {
				return &commands[i], args[2:]
			}
		}
	}
	for i := range commands {
		if commands[i].name == args[0] {
			return &commands[i], args[1:]
		}
	}
	return nil, nil
}

func (e *env) help() {
	fmt.Fprintln(e.stderr, e.p.T("cli.usage"))
	names := make([]string, 0, len(commands))
	width := 0
	for _, c := range commands {
		names = append(names, c.name)
		width = max(width, len(c.name))
	}
	for _, c := range commands {
		fmt.Fprintf(e.stderr, "  jiti %-*s  %s\n", width, c.name, e.p.T(c.usage))
	}
	fmt.Fprintln(e.stderr, e.p.T("cli.usage_more"))
}

// errUsage reports bad flags or arguments; the flag package has printed why.
var errUsage = errors.New("usage")

// errProblems reports that verify found problems (already printed).
var errProblems = errors.New("problems found")

func (e *env) exit(err error) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, errUsage) || errors.Is(err, flag.ErrHelp):
		return exitUsage
	case errors.Is(err, errProblems):
		return exitProblems
	}
	if k := jiti.KindOf(err); k == jiti.Internal || k == jiti.DiskFull {
		// The operator needs the cause: a full disk's detail says where
		// the database is.
		fmt.Fprintln(e.stderr, e.p.ErrorDetail(err))
	} else {
		fmt.Fprintln(e.stderr, e.p.Error(err))
	}
	switch jiti.KindOf(err) {
	case jiti.Invalid:
		return exitInvalid
	case jiti.NotFound:
		return exitNotFound
	case jiti.Conflict:
		return exitConflict
	case jiti.Forbidden:
		return exitForbidden
	case jiti.DiskFull:
		return exitDiskFull
	case jiti.Unavailable:
		return exitUnavailable
	}
	return exitInternal
}

// opts are the flags most commands share.
type opts struct {
	db     string
	as     string
	lang   string
	format string
}

// flags returns a flag set for command name with the shared flags bound.
// Their defaults come from JITI_DB, JITI_USER, JITI_LANG and JITI_FORMAT.
func (e *env) flags(name string, o *opts) *flag.FlagSet {
	fs := flag.NewFlagSet("jiti "+name, flag.ContinueOnError)
	fs.SetOutput(flagOutput{e.stderr, e.p})
	fs.StringVar(&o.db, "db", e.env("JITI_DB", "jiti.db"), e.p.T("flag.db"))
	fs.StringVar(&o.as, "as", e.getenv("JITI_USER"), e.p.T("flag.as"))
	fs.StringVar(&o.lang, "lang", e.env("JITI_LANG", string(locale.ZH)), e.p.T("flag.lang"))
	fs.StringVar(&o.format, "format", e.env("JITI_FORMAT", "text"), e.p.T("flag.format"))
	fs.StringVar(&e.encoding, "encoding", e.env("JITI_ENCODING", sheet.UTF8), e.p.T("flag.encoding"))
	return fs
}

// outFlag gives a report command its -o: the file output writes, in any
// format, standard output by default.
func (e *env) outFlag(fs *flag.FlagSet) {
	fs.StringVar(&e.out, "o", "", e.p.T("flag.output_report"))
	e.hasOut = true
}

func (e *env) env(key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// flagOutput writes what package flag prints in the user's language: its
// own errors and the head of its usage are English. What it does not know
// (the flags' own lines, already translated) passes as it is.
type flagOutput struct {
	w io.Writer
	p *locale.Printer
}

func (o flagOutput) Write(b []byte) (int, error) {
	s := strings.TrimSuffix(string(b), "\n")
	var out string
	switch {
	case strings.HasPrefix(s, "flag provided but not defined: "):
		out = o.p.T("cli.flag_unknown", strings.TrimPrefix(s, "flag provided but not defined: "))
	case strings.HasPrefix(s, "flag needs an argument: "):
		out = o.p.T("cli.flag_needs_value", strings.TrimPrefix(s, "flag needs an argument: "))
	case strings.HasPrefix(s, "invalid value ") && strings.Contains(s, " for flag "):
		// invalid value "abc" for flag -year: parse error
		value, rest, _ := strings.Cut(strings.TrimPrefix(s, "invalid value "), " for flag ")
		name, _, _ := strings.Cut(rest, ": ")
		if v, err := strconv.Unquote(value); err == nil {
			value = v
		}
		out = o.p.T("cli.flag_value", name, value)
	case strings.HasPrefix(s, "invalid boolean value ") || strings.HasPrefix(s, "invalid boolean flag "):
		out = o.p.T("cli.flag_value", s[strings.LastIndex(s, " ")+1:], "")
	case strings.HasPrefix(s, "Usage of ") && strings.HasSuffix(s, ":"):
		out = o.p.T("cli.flag_usage", strings.TrimSuffix(strings.TrimPrefix(s, "Usage of "), ":"))
	case strings.HasPrefix(s, "unexpected argument "):
		arg := strings.TrimPrefix(s, "unexpected argument ")
		if v, err := strconv.Unquote(arg); err == nil {
			arg = v
		}
		out = o.p.T("cli.flag_unexpected", arg)
	default:
		return o.w.Write(b)
	}
	if _, err := io.WriteString(o.w, out+"\n"); err != nil {
		return 0, err
	}
	return len(b), nil
}

// parse parses args, allowing positional arguments (a file) before, between
// or after the flags, as users type them; more than positional of them are
// refused. The positional arguments are then fs.Args().
func parse(fs *flag.FlagSet, args []string, positional int) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return errUsage
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) > positional {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", pos[positional])
		fs.Usage()
		return errUsage
	}
	// Leave the positional arguments where fs.Args reads them.
	return fs.Parse(append([]string{"--"}, pos...))
}

// open opens the database named by -db, which must be migrated.
func (e *env) open(o *opts) (*store.DB, error) {
	key, err := e.key(o.db, false)
	if err != nil {
		return nil, err
	}
	return e.openStore(o.db, store.Options{Key: key}, e.unsafeDurability())
}

// opened, when set (by tests: SetOpened), is called with every database a
// command opens.
var opened func(*store.DB)

// unsafeDurability reports whether JITI_UNSAFE_DURABILITY tells jiti to run
// on a database whose settings let an acknowledged write be lost to a power
// cut (serve and demo take -unsafe-durability besides).
func (e *env) unsafeDurability() bool {
	v, _ := strconv.ParseBool(e.getenv("JITI_UNSAFE_DURABILITY"))
	return v
}

// openStore opens the database dsn. One whose durability settings are
// weaker than jiti's guarantee is refused, naming each setting and how to
// fix it, unless unsafe; it is then opened, and each weak setting is
// printed as a warning at every start.
func (e *env) openStore(dsn string, so store.Options, unsafe bool) (*store.DB, error) {
	so.UnsafeDurability = unsafe
	db, err := store.Open(e.ctx, dsn, so)
	if err != nil {
		return nil, err
	}
	if opened != nil {
		opened(db)
	}
	for _, w := range db.Durability() {
		fmt.Fprintln(e.stderr, e.p.T("cli.unsafe_durability", w.Database, w.Name, w.Value, w.Want))
	}
	return db, nil
}

// key returns the deployment's key, which seals personal identity numbers:
// JITI_KEY (64 hexadecimal digits), else the file named by JITI_KEY_FILE,
// else, for SQLite, the file beside the database (jiti.db.key), which is
// made when the database is (create). Without any, there is no key, and
// identity numbers cannot be stored. The key is never in the database, so
// it must be backed up apart from it.
func (e *env) key(db string, create bool) ([]byte, error) {
	if k := e.getenv("JITI_KEY"); k != "" {
		return store.ParseKey(k)
	}
	path := e.getenv("JITI_KEY_FILE")
	if path == "" {
		if store.IsPostgres(db) {
			return nil, nil
		}
		path = strings.TrimPrefix(db, "file:") + ".key"
	}
	b, err := os.ReadFile(path)
	if err == nil {
		return store.ParseKey(strings.TrimSpace(string(b)))
	}
	if !errors.Is(err, os.ErrNotExist) || !create {
		return nil, nil
	}
	k, err := store.NewKey()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(hex.EncodeToString(k)+"\n"), 0o600); err != nil {
		return nil, err
	}
	return k, nil
}

// actor returns the user named by -as (or JITI_USER).
func (e *env) actor(db *store.DB, o *opts) (jiti.UserID, error) {
	if o.as == "" {
		return 0, store.ErrNoActor.At("as")
	}
	u, err := db.FindUserByName(e.ctx, o.as)
	if err != nil {
		return 0, jiti.ErrNotFound.With("user", o.as).At("as")
	}
	return u.ID, nil
}

// collective finds a collective by its code or its numeric id.
func (e *env) collective(db *store.DB, s string) (*jiti.Collective, error) {
	if s == "" {
		return nil, jiti.ErrRequired.At("c")
	}
	c, err := db.FindCollectiveByCode(e.ctx, s)
	if err == nil {
		return c, nil
	}
	if id, perr := strconv.ParseInt(s, 10, 64); perr == nil {
		if c, err2 := db.FindCollective(e.ctx, id); err2 == nil {
			return c, nil
		}
	}
	return nil, err
}

// tr is the translator that reports use for their headers.
func (e *env) tr() report.Translator {
	return func(key string) string { return e.p.T(key) }
}

// output writes a table in the chosen format, or v as JSON, to -o when
// the command has one and it is given, else to standard output. xlsx, a
// workbook of one sheet as the web downloads it, is for commands with -o
// (a report's one table); CSV is in the -encoding.
func (e *env) output(format string, t *report.Table, v any) error {
	if format == "xlsx" && !e.hasOut {
		return errFormat.With(format).At("format")
	}
	enc, err := sheet.CheckEncoding(e.encoding)
	if err != nil {
		return jiti.AsError(err).At("encoding")
	}
	w := e.stdout
	if e.out != "" && e.out != "-" {
		f, err := os.Create(e.out)
		if err != nil {
			return errFile.With(e.out).Wrap(err).At("o")
		}
		defer f.Close()
		w = f
	}
	switch format {
	case "text", "":
		err = report.WriteText(w, t, e.tr())
	case "csv":
		bom := w != e.stdout || !e.csvStarted
		e.csvStarted = e.csvStarted || w == e.stdout
		err = sheet.WriteTableCSV(w, t, e.tr(), sheet.WithEncoding(enc), sheet.WithBOM(bom))
	case "xlsx":
		err = sheet.WriteTables(w, []*report.Table{t}, e.tr())
	case "json":
		j := json.NewEncoder(w)
		j.SetIndent("", "  ")
		j.SetEscapeHTML(false)
		err = j.Encode(v)
	default:
		return errFormat.With(format).At("format")
	}
	if err != nil {
		return err
	}
	if f, ok := w.(*os.File); ok && w != e.stdout {
		if err := f.Close(); err != nil {
			return errFile.With(e.out).Wrap(err).At("o")
		}
		e.say("cli.written", e.out)
	}
	return nil
}

var errFormat = jiti.Errorf(jiti.Invalid, "cli.format")

// errFile reports a file that cannot be read or written.
var errFile = jiti.Errorf(jiti.Invalid, "cli.file")

// say prints a translated line to stdout.
func (e *env) say(key string, args ...any) {
	fmt.Fprintln(e.stdout, e.p.T(key, args...))
}

// Main is the program: it runs jiti with the process's arguments, streams and
// environment, and returns the exit code.
func Main(ctx context.Context) int {
	return Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
}

// readCollective opens the database and finds the collective named by code
// (its code or id) for a command that reads.
func (e *env) readCollective(o *opts, code string, fn func(db *store.DB, c *jiti.Collective) error) error {
	db, err := e.open(o)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := e.collective(db, code)
	if err != nil {
		return err
	}
	return fn(db, c)
}

// withCollective is withActor for a command that writes to one collective's
// books.
func (e *env) withCollective(o *opts, code string, fn func(db *store.DB, by jiti.UserID, c *jiti.Collective) error) error {
	return e.withActor(o, func(db *store.DB, by jiti.UserID) error {
		c, err := e.collective(db, code)
		if err != nil {
			return err
		}
		return fn(db, by, c)
	})
}

package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/auth"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// Passwords and sign-ins from the command line. The command line itself
// signs nobody in: whoever runs it with the database acts as -as. These
// commands set the passwords, sessions and tokens the web and API use.

// readPassword reads a password from the first line of stdin, without its
// line ending, so that `echo 'Secret-2025' | jiti user passwd -name kj1`
// works. On a terminal it prompts first (the typing is shown: pipe the
// password in where that matters). Nothing is read when stdin is empty.
func (e *env) readPassword() (string, error) {
	if f, ok := e.stdin.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(e.stderr, e.p.T("cli.password_prompt"))
		}
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", errFile.With("stdin").Wrap(err)
	}
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	if err := auth.ValidatePassword(line); err != nil {
		return "", err
	}
	return line, nil
}

// namedUser finds the user named by a -name flag.
func (e *env) namedUser(db *store.DB, name string) (*jiti.User, error) {
	if strings.TrimSpace(name) == "" {
		return nil, jiti.ErrRequired.At("name")
	}
	u, err := db.FindUserByName(e.ctx, name)
	if err != nil {
		return nil, jiti.ErrNotFound.With("user", name).At("name")
	}
	return u, nil
}

// actorOrSelf returns the user named by -as, or u itself when -as is not
// given: whoever holds the database may act as the user.
func (e *env) actorOrSelf(db *store.DB, o *opts, u *jiti.User) (jiti.UserID, error) {
	if o.as == "" {
		return u.ID, nil
	}
	return e.actor(db, o)
}

// runUserPasswd sets a user's password from stdin: the user's own (without
// -as, or -as the user), or a reset by a county administrator (-as).
func runUserPasswd(e *env, args []string) error {
	var o opts
	fs := e.flags("user passwd", &o)
	name := fs.String("name", "", e.p.T("flag.user_name"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := e.namedUser(db, *name)
	if err != nil {
		return err
	}
	by, err := e.actorOrSelf(db, &o, u)
	if err != nil {
		return err
	}
	pw, err := e.readPassword()
	if err != nil {
		return err
	}
	if err := db.SetPassword(e.ctx, by, u.ID, pw); err != nil {
		return err
	}
	e.say("cli.password_set", u.Name)
	return nil
}

// runUserDisable disables or enables a user (-as a county administrator).
func runUserDisable(disabled bool) func(e *env, args []string) error {
	return func(e *env, args []string) error {
		var o opts
		fs := e.flags("user", &o)
		name := fs.String("name", "", e.p.T("flag.user_name"))
		if err := parse(fs, args, 0); err != nil {
			return err
		}
		return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
			u, err := e.namedUser(db, *name)
			if err != nil {
				return err
			}
			if err := db.SetUserDisabled(e.ctx, by, u.ID, disabled); err != nil {
				return err
			}
			if disabled {
				e.say("cli.user_disabled", u.Name)
			} else {
				e.say("cli.user_enabled", u.Name)
			}
			return nil
		})
	}
}

// runUserSessions lists a user's live web sessions, or with -revoke ends
// them (-as the user or a county administrator).
func runUserSessions(e *env, args []string) error {
	var o opts
	fs := e.flags("user sessions", &o)
	name := fs.String("name", "", e.p.T("flag.user_name"))
	revoke := fs.Bool("revoke", false, e.p.T("flag.revoke_sessions"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := e.namedUser(db, *name)
	if err != nil {
		return err
	}
	if *revoke {
		by, err := e.actor(db, &o)
		if err != nil {
			return err
		}
		n, err := db.RevokeSessions(e.ctx, by, u.ID)
		if err != nil {
			return err
		}
		e.say("cli.sessions_revoked", n, u.Name)
		return nil
	}
	ss, err := db.Sessions(e.ctx, u.ID)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.sessions"), Meta: []string{u.Name}, Columns: []report.Column{
		{Key: "cli.col.id", Align: report.Left}, {Key: "cli.col.since", Align: report.Left},
		{Key: "cli.col.last_seen", Align: report.Left}, {Key: "cli.col.ends", Align: report.Left},
		{Key: "cli.col.address", Align: report.Left}, {Key: "cli.col.user_agent", Align: report.Left}}}
	for _, s := range ss {
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{s.ID, s.CreatedAt.Format(timeLayout),
			s.LastSeenAt.Format(timeLayout), s.EndsAt.Format(timeLayout), s.RemoteAddr, clip(s.UserAgent, 60)}})
	}
	return e.output(o.format, t, ss)
}

// timeLayout shows the times of sessions and tokens, in UTC like the audit
// log.
const timeLayout = "2006-01-02 15:04:05"

// runUserToken runs `jiti user token add|list|revoke`: API tokens of the
// acting user (-as). The command line finds commands of two words, so the
// third is read here.
func runUserToken(e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.stderr, e.p.T("cli.user_token_usage"))
		return errUsage
	}
	switch args[0] {
	case "add":
		return runTokenAdd(e, args[1:])
	case "list":
		return runTokenList(e, args[1:])
	case "revoke":
		return runTokenRevoke(e, args[1:])
	}
	fmt.Fprintln(e.stderr, e.p.T("cli.unknown_command", "user token "+args[0]))
	fmt.Fprintln(e.stderr, e.p.T("cli.user_token_usage"))
	return errUsage
}

// runTokenAdd makes an API token for the acting user and prints it, alone
// on stdout so a script can keep it: it is shown this once. -expires gives
// its lifetime in days ("30d"; 90 days by default, at most the
// deployment's longest, JITI_TOKEN_MAX_AGE).
func runTokenAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("user token add", &o)
	name := fs.String("name", "", e.p.T("flag.token_name"))
	expires := fs.String("expires", "", e.p.T("flag.token_expires"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	ttl, err := store.ParseTokenTTL(*expires)
	if err != nil {
		return jiti.AsError(err).At("expires")
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := e.setTokenMaxAge(db, e.getenv("JITI_TOKEN_MAX_AGE")); err != nil {
			return err
		}
		tok, id, err := db.CreateAPIToken(e.ctx, by, *name, ttl)
		if err != nil {
			return err
		}
		expiry := ""
		if ts, err := db.APITokens(e.ctx, by); err == nil {
			for _, t := range ts {
				if t.ID == id {
					expiry = t.ExpiresAt.Format(timeLayout)
				}
			}
		}
		fmt.Fprintln(e.stderr, e.p.T("cli.token_added", strings.TrimSpace(*name), o.as, expiry))
		fmt.Fprintln(e.stdout, tok)
		return nil
	})
}

// runTokenList lists the API tokens of a user: -user, else the acting
// user; with each its expiry, its last use and where from, and its state.
func runTokenList(e *env, args []string) error {
	var o opts
	fs := e.flags("user token list", &o)
	name := fs.String("user", "", e.p.T("flag.token_user"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *name == "" {
		*name = o.as
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := e.setTokenMaxAge(db, e.getenv("JITI_TOKEN_MAX_AGE")); err != nil {
		return err
	}
	u, err := db.FindUserByName(e.ctx, *name)
	if err != nil {
		if *name == "" {
			return store.ErrNoActor.At("as")
		}
		return jiti.ErrNotFound.With("user", *name).At("user")
	}
	ts, err := db.APITokens(e.ctx, u.ID)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.tokens"), Meta: []string{u.Name}, Columns: []report.Column{
		{Key: "cli.col.id", Align: report.Right}, {Key: "cli.col.name", Align: report.Left},
		{Key: "cli.col.since", Align: report.Left}, {Key: "cli.col.expires", Align: report.Left},
		{Key: "cli.col.last_used", Align: report.Left}, {Key: "cli.col.address", Align: report.Left},
		{Key: "cli.col.state", Align: report.Left}}}
	now := db.Now()
	for _, tk := range ts {
		used := ""
		if !tk.LastUsedAt.IsZero() {
			used = tk.LastUsedAt.Format(timeLayout)
		}
		key, at := tk.State(now)
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(tk.ID, 10), tk.Name,
			tk.CreatedAt.Format(timeLayout), tk.ExpiresAt.Format(timeLayout), used, tk.LastUsedAddr, e.p.T(key, at.Format(timeLayout))}})
	}
	return e.output(o.format, t, ts)
}

// runTokenRevoke revokes an API token by its id (-as its user or a county
// administrator).
func runTokenRevoke(e *env, args []string) error {
	var o opts
	fs := e.flags("user token revoke", &o)
	id := fs.Int64("id", 0, e.p.T("flag.token_id"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *id == 0 {
		return jiti.ErrRequired.At("id")
	}
	return e.withActor(&o, func(db *store.DB, by jiti.UserID) error {
		if err := db.RevokeAPIToken(e.ctx, by, *id); err != nil {
			return err
		}
		e.say("cli.token_revoked", *id)
		return nil
	})
}

// setInitialPassword gives a user just created the password read before:
// by the administrator who created it, or by the user itself when it is
// the first user, created by nobody.
func setInitialPassword(e *env, db *store.DB, by jiti.UserID, u jiti.User, pw string) error {
	if by == 0 {
		by = u.ID
	}
	if err := db.SetPassword(e.ctx, by, u.ID, pw); err != nil {
		if errors.Is(err, store.ErrNoActor) {
			return store.ErrNoActor.At("as")
		}
		return err
	}
	e.say("cli.password_set", u.Name)
	return nil
}

func runUserAdd(e *env, args []string) error {
	var o opts
	fs := e.flags("user add", &o)
	var u jiti.User
	role := fs.String("role", "", e.p.T("flag.role"))
	collectives := fs.String("collectives", "", e.p.T("flag.collectives"))
	fs.StringVar(&u.Name, "name", "", e.p.T("flag.user_name"))
	fs.StringVar(&u.DisplayName, "display", "", e.p.T("flag.display_name"))
	fs.StringVar(&u.ScopeRegion, "scope", "", e.p.T("flag.scope"))
	pwStdin := fs.Bool("password-stdin", false, e.p.T("flag.password_stdin"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	u.Role = jiti.Role(*role)
	// The password is read and checked first, so a bad one leaves no user
	// behind without it.
	var pw string
	if *pwStdin {
		var err error
		if pw, err = e.readPassword(); err != nil {
			return err
		}
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	var by jiti.UserID
	if o.as != "" {
		if by, err = e.actor(db, &o); err != nil {
			return err
		}
	}
	for _, s := range strings.FieldsFunc(*collectives, func(r rune) bool { return r == ',' || r == ' ' }) {
		c, err := e.collective(db, s)
		if err != nil {
			return err
		}
		u.ScopeCollectives = append(u.ScopeCollectives, c.ID)
	}
	u, err = db.CreateUser(e.ctx, by, u)
	if err != nil {
		if errors.Is(err, store.ErrNoActor) {
			return store.ErrNoActor.At("as")
		}
		return err
	}
	e.say("cli.user_added", u.Name, e.p.T("role."+string(u.Role)), u.ID)
	if *pwStdin {
		return setInitialPassword(e, db, by, u, pw)
	}
	return nil
}

func runUserList(e *env, args []string) error {
	var o opts
	fs := e.flags("user list", &o)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	db, err := e.open(&o)
	if err != nil {
		return err
	}
	defer db.Close()
	us, err := db.FindUsers(e.ctx)
	if err != nil {
		return err
	}
	t := &report.Table{Title: e.p.T("cli.title.users"), Columns: []report.Column{
		{Key: "cli.col.id", Align: report.Right}, {Key: "cli.col.user", Align: report.Left},
		{Key: "cli.col.name", Align: report.Left}, {Key: "cli.col.role", Align: report.Left},
		{Key: "cli.col.scope", Align: report.Left}, {Key: "cli.col.state", Align: report.Left}}}
	var ids []int64
	for _, u := range us {
		ids = append(ids, u.ScopeCollectives...)
	}
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return err
	}
	for _, u := range us {
		scope := []string{u.ScopeRegion}
		for _, id := range u.ScopeCollectives {
			scope = append(scope, names[id].Label())
		}
		state := ""
		if u.Disabled {
			state = e.p.T("cli.user_state_disabled")
		}
		t.Rows = append(t.Rows, report.TableRow{Cells: []string{strconv.FormatInt(int64(u.ID), 10), u.Name, u.DisplayName,
			e.p.T("role." + string(u.Role)), strings.TrimSpace(strings.Join(scope, " ")), state}})
	}
	return e.output(o.format, t, us)
}

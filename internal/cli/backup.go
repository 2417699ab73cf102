package cli

import (
	"example.org/jiti"
	"example.org/jiti/internal/store"
)

func init() {
	addCommands(command{"backup", "cmd.backup", runBackup})
}

// runBackup copies the database, documents included, to a new file.
func runBackup(e *env, args []string) error {
	var o opts
	fs := e.flags("backup", &o)
	out := fs.String("o", "", e.p.T("flag.backup_out"))
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *out == "" {
		return jiti.ErrRequired.At("o")
	}
	key, err := e.key(o.db, false)
	if err != nil {
		return err
	}
	db, err := e.openStore(o.db, store.Options{Key: key}, e.unsafeDurability())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(e.ctx, *out); err != nil {
		return err
	}
	e.say("cli.backup_done", o.db, *out)
	return nil
}

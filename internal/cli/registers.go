package cli

import (
	"strconv"
	"strings"

	"example.org/jiti"
	"example.org/jiti/internal/report"
	"example.org/jiti/internal/store"
)

// The registers' commands, in the order help lists them (the files' order
// decides the order of the inits). Each command lives in its register's
// file: asset.go, resource.go, contract.go, warnings.go; period close-all
// in period.go.
func init() {
	addCommands(
		command{"asset add", "cmd.asset_add", runAssetAdd},
		command{"asset list", "cmd.asset_list", runAssetList},
		command{"asset show", "cmd.asset_show", runAssetShow},
		command{"asset status", "cmd.asset_status", runAssetStatus},
		command{"asset work", "cmd.asset_work", runAssetWork},
		command{"asset dispose", "cmd.asset_dispose", runAssetDispose},
		command{"asset delete", "cmd.asset_delete", runAssetDelete},
		command{"asset revitalized", "cmd.asset_revitalized", runAssetRevitalized},
		command{"resource add", "cmd.resource_add", runResourceAdd},
		command{"resource list", "cmd.resource_list", runResourceList},
		command{"resource use", "cmd.resource_use", runResourceUse},
		command{"contract add", "cmd.contract_add", runContractAdd},
		command{"contract list", "cmd.contract_list", runContractList},
		command{"contract show", "cmd.contract_show", runContractShow},
		command{"contract sign", "cmd.contract_sign", runContractSign},
		command{"contract terminate", "cmd.contract_terminate", runContractTerminate},
		command{"contract receipt", "cmd.contract_receipt", runContractReceipt},
		command{"contract delete", "cmd.contract_delete", runContractDelete},
		command{"decision add", "cmd.decision_add", runDecisionAdd},
		command{"decision step", "cmd.decision_step", runDecisionStep},
		command{"decision list", "cmd.decision_list", runDecisionList},
		command{"decision show", "cmd.decision_show", runDecisionShow},
		command{"warnings", "cmd.warnings", runWarnings},
		command{"benchmark set", "cmd.benchmark_set", runBenchmarkSet},
		command{"period close-all", "cmd.period_close_all", runCloseAll},
	)
}

// The flags the registers' commands share.

// amountFlag parses an optional amount flag, naming it in the error.
func amountFlag(s, field string) (jiti.Amount, error) {
	a, err := optionalAmount(s)
	if err != nil {
		return 0, jiti.AsError(err).At(field)
	}
	return a, nil
}

// percentFlag reads a percentage with up to two decimals ("5", "2.5") into
// basis points.
func percentFlag(s, field string) (int, error) {
	if s == "" {
		return 0, nil
	}
	a, err := jiti.ParseAmount(strings.TrimSuffix(s, "%"))
	if err != nil || a < 0 {
		return 0, ErrPercent.With(s).At(field)
	}
	return int(a), nil // an Amount counts hundredths: 2.5 is 250 basis points
}

// ErrPercent reports a percentage that is not a non-negative number with
// at most two decimals.
var ErrPercent = jiti.Errorf(jiti.Invalid, "cli.percent")

func dateFlag(s, field string, required bool) (jiti.Date, error) {
	if s == "" && !required {
		return jiti.Date{}, nil
	}
	d, err := jiti.ParseDate(s)
	if err != nil {
		return d, jiti.AsError(err).At(field)
	}
	return d, nil
}

// listFlags collects repeated flags.
type listFlags []string

func (l *listFlags) String() string { return strings.Join(*l, ",") }

func (l *listFlags) Set(s string) error { *l = append(*l, s); return nil }

// collectiveColumns puts the code and name of each row's collective before
// a list's columns, row i being of collective ids[i]: people know a
// collective by its code and name, never by the database's id. Rows past
// ids (the totals) keep their label in the first column.
func (e *env) collectiveColumns(db *store.DB, t *report.Table, ids []int64) error {
	names, err := db.CollectiveNames(e.ctx, ids)
	if err != nil {
		return err
	}
	t.Columns = append([]report.Column{{Key: "cli.col.collective_code", Align: report.Left},
		{Key: "cli.col.collective_name", Align: report.Left}}, t.Columns...)
	for i := range t.Rows {
		cells := t.Rows[i].Cells
		switch {
		case i < len(ids):
			n := names[ids[i]]
			cells = append([]string{n.Code, n.Name}, cells...)
		case len(cells) > 0:
			cells = append([]string{cells[0], "", ""}, cells[1:]...)
		}
		t.Rows[i].Cells = cells
	}
	return nil
}

// collectiveMeta names the one collective a list is of, above it.
func (e *env) collectiveMeta(c *jiti.Collective) string {
	return e.p.T("cli.stat_collective", c.Name, c.Code)
}

// townshipIndex maps collectives to the townships of a region.
type townshipIndex struct {
	of    map[int64]string  // collective id → township code
	names map[string]string // township code → name
	codes []string          // township codes in order
}

// townships indexes the collectives of a region by township, for sums
// upward: village → township → the region.
func (e *env) townships(db *store.DB, region string) (*townshipIndex, error) {
	cs, err := db.FindCollectives(e.ctx, region)
	if err != nil {
		return nil, err
	}
	rs, err := db.FindRegions(e.ctx, region, 0)
	if err != nil {
		return nil, err
	}
	ix := &townshipIndex{of: map[int64]string{}, names: map[string]string{}}
	for _, r := range rs {
		if r.Level == jiti.Township {
			ix.names[r.Code] = r.Name
			ix.codes = append(ix.codes, r.Code)
		}
	}
	for _, c := range cs {
		code := c.RegionCode
		if len(code) > 9 {
			code = code[:9]
		}
		ix.of[c.ID] = code
		if _, ok := ix.names[code]; !ok {
			ix.names[code] = code
			ix.codes = append(ix.codes, code)
		}
	}
	return ix, nil
}

// orID shows a record by its code, or by its id when the code is unknown.
func orID(code string, id int64) string {
	if code != "" {
		return code
	}
	return "#" + strconv.FormatInt(id, 10)
}

// collectiveIDs are the collectives of a list's rows, for collectiveColumns.
func collectiveIDs[T any](items []T, of func(T) int64) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = of(it)
	}
	return ids
}

// Command jiti keeps the books of a county's village collective economic
// organizations. Run `jiti help` for its commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"example.org/jiti/internal/cli"
)

func main() {
	// JITI_CPUPROFILE names a file to write a CPU profile of the run to, for
	// performance work on a real command.
	if path := os.Getenv("JITI_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil && pprof.StartCPUProfile(f) == nil {
			defer pprof.StopCPUProfile()
		} else {
			fmt.Fprintln(os.Stderr, "jiti: cpu profile:", err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx)
	stop()
	pprof.StopCPUProfile()
	os.Exit(code)
}

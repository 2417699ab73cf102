// Command jiti keeps the books of a county's village collective economic
// organizations. Run `jiti help` for its commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"example.org/jiti/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx)
	stop()
	os.Exit(code)
}

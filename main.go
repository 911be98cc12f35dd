// Command strikeline tracks NHS industrial action and measures its impact
// on GP appointments. Run "strikeline help" for the commands.
package main

import (
	"os"

	"github.com/strikeline/strikeline/app/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:])) }

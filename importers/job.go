package importers

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/strikeline/strikeline/models"
)

// Start imports a stored file (a web upload) in the background on this
// instance. It creates one run per CSV before returning, so the caller can
// hand out their ids at once; progress and outcome then live in
// import_runs, readable from any instance. The file at path is removed
// when the imports end. name is the uploaded file name (.csv or .zip).
func (im *Importer) Start(ctx context.Context, path, name string, lim Limits) ([]*models.ImportRun, error) {
	var inputs []Input
	var closer io.Closer
	if strings.EqualFold(filepath.Ext(name), ".zip") {
		zr, err := openZip(path)
		if err != nil {
			os.Remove(path)
			return nil, err
		}
		ins, err := ZipInputs(&zr.Reader, name, lim)
		if err != nil {
			zr.Close()
			os.Remove(path)
			return nil, err
		}
		inputs, closer = ins, zr
	} else {
		st, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		inputs = []Input{{Name: name, Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(path) }}}
	}
	cleanup := func() {
		if closer != nil {
			closer.Close()
		}
		os.Remove(path)
	}
	runs := make([]*models.ImportRun, 0, len(inputs))
	for _, in := range inputs {
		r, err := im.NewRun(ctx, in)
		if err != nil {
			cleanup()
			return nil, err
		}
		runs = append(runs, r)
	}
	go func() {
		defer cleanup()
		// The request is over: the job outlives it.
		bg := context.WithoutCancel(ctx)
		for i, in := range inputs {
			run := *runs[i]
			if _, err := im.Import(bg, in, &run); err != nil {
				im.Opt.Logger.Warn("background import failed", "run", run.ID, "file", in.Name, "err", err)
			}
		}
	}()
	return runs, nil
}

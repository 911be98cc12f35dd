package importers

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Input is one CSV to import: a file, or an entry of a zip archive.
type Input struct {
	// Name identifies the input in the import record ("pub.zip:file.csv").
	Name string
	// Size is the uncompressed size in bytes (for progress).
	Size int64
	Open func() (io.ReadCloser, error)
}

// Limits guard zip input against zip bombs.
type Limits struct {
	// MaxUncompressed caps the total uncompressed bytes of one archive.
	MaxUncompressed int64
}

// DefaultLimits allow a national month (≈100 MB of CSV) many times over.
var DefaultLimits = Limits{MaxUncompressed: 8 << 30}

// ErrUnsafeArchive marks a zip refused for path traversal or size.
var ErrUnsafeArchive = errors.New("unsafe archive")

// ErrBadArchive marks a zip that is not one, is damaged, or holds no CSV
// file: the sender's mistake, not the server's.
var ErrBadArchive = errors.New("the archive could not be read")

// openZip opens the archive at p; a file that is not a readable zip is
// ErrBadArchive, a file that cannot be opened at all is not.
func openZip(p string) (*zip.ReadCloser, error) {
	zr, err := zip.OpenReader(p)
	var pe *fs.PathError
	if err != nil && !errors.As(err, &pe) {
		return nil, fmt.Errorf("%w: %w", ErrBadArchive, err)
	}
	return zr, err
}

// Expand turns command-line paths (CSV files, zip files, folders of either)
// into inputs. The returned closer releases open archives.
func Expand(paths []string, lim Limits) ([]Input, func() error, error) {
	var inputs []Input
	var closers []io.Closer
	closeAll := func() error {
		var first error
		for _, c := range closers {
			if err := c.Close(); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	add := func(p string) error {
		switch strings.ToLower(filepath.Ext(p)) {
		case ".csv":
			st, err := os.Stat(p)
			if err != nil {
				return err
			}
			inputs = append(inputs, Input{Name: filepath.Base(p), Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(p) }})
		case ".zip":
			zr, err := openZip(p)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			closers = append(closers, zr)
			ins, err := ZipInputs(&zr.Reader, filepath.Base(p), lim)
			if err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			inputs = append(inputs, ins...)
		default:
			return fmt.Errorf("%s: not a .csv or .zip file", p)
		}
		return nil
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		if !st.IsDir() {
			if err := add(p); err != nil {
				closeAll()
				return nil, nil, err
			}
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(fp string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			ext := strings.ToLower(filepath.Ext(fp))
			if !d.IsDir() && (ext == ".csv" || ext == ".zip") {
				files = append(files, fp)
			}
			return nil
		})
		if err == nil && len(files) == 0 {
			err = fmt.Errorf("%s: no .csv or .zip files in the folder", p)
		}
		sort.Strings(files)
		for _, f := range files {
			if err == nil {
				err = add(f)
			}
		}
		if err != nil {
			closeAll()
			return nil, nil, err
		}
	}
	return inputs, closeAll, nil
}

// ZipInputs lists the CSV entries of an archive. It refuses archives with
// entries that would escape a folder when extracted (absolute paths, ..),
// and archives whose declared uncompressed size exceeds the limit; each
// entry is also cut off if it inflates beyond its declared size.
func ZipInputs(zr *zip.Reader, name string, lim Limits) ([]Input, error) {
	if lim.MaxUncompressed <= 0 {
		lim = DefaultLimits
	}
	var total uint64
	var out []Input
	for _, f := range zr.File {
		n := strings.ReplaceAll(f.Name, "\\", "/")
		if strings.HasPrefix(n, "/") || (len(n) > 1 && n[1] == ':') || hasDotDot(n) {
			return nil, fmt.Errorf("%w: entry %q has an unsafe path", ErrUnsafeArchive, f.Name)
		}
		if f.FileInfo().IsDir() || !strings.EqualFold(path.Ext(n), ".csv") || strings.HasPrefix(path.Base(n), "._") {
			continue
		}
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUncompressed) {
			return nil, fmt.Errorf("%w: uncompressed size exceeds %d bytes", ErrUnsafeArchive, lim.MaxUncompressed)
		}
		f := f
		out = append(out, Input{
			Name: name + ":" + n,
			Size: int64(f.UncompressedSize64),
			Open: func() (io.ReadCloser, error) {
				rc, err := f.Open()
				if err != nil {
					return nil, err
				}
				return &capped{rc: rc, left: int64(f.UncompressedSize64)}, nil
			},
		})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no .csv entries in %s", ErrBadArchive, name)
	}
	return out, nil
}

func hasDotDot(n string) bool {
	for _, part := range strings.Split(n, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

// capped fails a read that goes past the declared size (a lying header is
// the classic zip bomb).
type capped struct {
	rc   io.ReadCloser
	left int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left < 0 {
		return 0, fmt.Errorf("%w: entry inflates beyond its declared size", ErrUnsafeArchive)
	}
	if int64(len(p)) > c.left+1 {
		p = p[:c.left+1]
	}
	n, err := c.rc.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		return 0, fmt.Errorf("%w: entry inflates beyond its declared size", ErrUnsafeArchive)
	}
	return n, err
}

func (c *capped) Close() error { return c.rc.Close() }

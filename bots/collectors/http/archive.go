// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
)

// ErrArchive is wrapped by the errors of extract.
var ErrArchive = errors.New("cannot extract archive")

// file is one document to send as a Report: the content and, for a member
// of a zip or tar archive, its name (IntelMQ's extra.file_name).
type file struct {
	Name string
	Data []byte
}

// archiveKind is the format a download was recognised as.
type archiveKind uint8

const (
	kindPlain archiveKind = iota
	kindZip
	kindGzip
	kindTar
	kindBzip2
)

// String returns the format's name for log lines.
func (k archiveKind) String() string {
	return [...]string{"plain", "zip", "gzip", "tar", "bzip2"}[k]
}

// detect recognises zip, gzip, bzip2 and tar data by their magic numbers.
func detect(data []byte) archiveKind {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return kindZip
	case bytes.HasPrefix(data, []byte{0x1f, 0x8b}):
		return kindGzip
	case bytes.HasPrefix(data, []byte("BZh")):
		return kindBzip2
	case len(data) >= 262 && bytes.Equal(data[257:262], []byte("ustar")):
		return kindTar
	}
	return kindPlain
}

// extract unpacks data as IntelMQ's collectors do with utils.unzip: a zip
// or tar archive (also gzip- or bzip2-compressed) gives one file per
// regular member whose name matches one of patterns (path.Match globs; an
// empty list matches every member); a gzip or bzip2 file that is not a tar
// archive gives its content without a name; anything else is returned as
// is. maxSize limits the total size of what is extracted (0: no limit).
func extract(data []byte, patterns []string, maxSize int64) ([]file, archiveKind, error) {
	kind := detect(data)
	switch kind {
	case kindZip:
		files, err := extractZip(data, patterns, maxSize)
		return files, kind, err
	case kindTar:
		files, err := extractTar(bytes.NewReader(data), patterns, maxSize)
		return files, kind, err
	case kindGzip, kindBzip2:
		plain, err := decompress(kind, data, maxSize)
		if err != nil {
			return nil, kind, err
		}
		if detect(plain) == kindTar {
			files, err := extractTar(bytes.NewReader(plain), patterns, maxSize)
			return files, kindTar, err
		}
		return []file{{Data: plain}}, kind, nil
	}
	return []file{{Data: data}}, kind, nil
}

func decompress(kind archiveKind, data []byte, maxSize int64) ([]byte, error) {
	var r io.Reader
	if kind == kindGzip {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%w: gzip: %w", ErrArchive, err)
		}
		r = zr
	} else {
		r = bzip2.NewReader(bytes.NewReader(data))
	}
	out, err := readLimited(r, maxSize)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrArchive, kind, err)
	}
	return out, nil
}

func extractZip(data []byte, patterns []string, maxSize int64) ([]file, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: zip: %w", ErrArchive, err)
	}
	var files []file
	var total int64
	for _, zf := range zr.File {
		if zf.FileInfo().IsDir() || !matches(zf.Name, patterns) {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: zip member %q: %w", ErrArchive, zf.Name, err)
		}
		content, err := readLimited(rc, remaining(maxSize, total))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%w: zip member %q: %w", ErrArchive, zf.Name, err)
		}
		total += int64(len(content))
		files = append(files, file{Name: zf.Name, Data: content})
	}
	return files, nil
}

func extractTar(r io.Reader, patterns []string, maxSize int64) ([]file, error) {
	tr := tar.NewReader(r)
	var files []file
	var total int64
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: tar: %w", ErrArchive, err)
		}
		if hdr.Typeflag != tar.TypeReg || !matches(hdr.Name, patterns) {
			continue
		}
		content, err := readLimited(tr, remaining(maxSize, total))
		if err != nil {
			return nil, fmt.Errorf("%w: tar member %q: %w", ErrArchive, hdr.Name, err)
		}
		total += int64(len(content))
		files = append(files, file{Name: hdr.Name, Data: content})
	}
}

// matches reports whether name matches one of the patterns, or the list is
// empty. A pattern without wildcards must equal the name, as the names in
// IntelMQ's extract_files list do.
func matches(name string, patterns []string) bool {
	if len(patterns) == 0 {
		return true
	}
	for _, p := range patterns {
		if ok, err := path.Match(p, name); ok && err == nil {
			return true
		}
	}
	return false
}

// errTooLarge is returned by readLimited when the data exceeds the limit.
var errTooLarge = errors.New("content exceeds max_size")

func remaining(limit, used int64) int64 {
	if limit <= 0 {
		return 0
	}
	if used >= limit {
		return -1
	}
	return limit - used
}

// readLimited reads r to the end; limit 0 means no limit, a negative limit
// means nothing more may be read.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	if limit == 0 {
		return io.ReadAll(r)
	}
	if limit < 0 {
		limit = 0
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

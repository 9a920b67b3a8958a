// SPDX-License-Identifier: AGPL-3.0-or-later

package diskq

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// validateFile checks, without bbolt, that every page reachable from the
// newest valid meta page of the bbolt file at path is present and well
// formed: bbolt trusts its pages and aborts the process on a page that
// is not (in a goroutine of its own, where no recover reaches), which is
// what a power loss can leave after a sync=none session. It reads page
// headers, element arrays and bucket headers, not the values.
//
// The layout is bbolt's (go.etcd.io/bbolt/internal/common), in the byte
// order of the machine: a page has a 16-byte header (id uint64, flags
// uint16, count uint16, overflow uint32) followed by count 16-byte
// elements; a meta page holds, after the header, magic, version, page
// size and flags (uint32 each), the root bucket (root page and sequence,
// uint64 each), the freelist page, the page high-water mark, the
// transaction id and an FNV-1a checksum of what precedes it (uint64 each).
func validateFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	v := &validator{f: f, seen: map[uint64]bool{}}
	m, err := v.meta()
	if err != nil {
		return err
	}
	v.pageSize, v.hwm = int64(m.pageSize), m.pgid
	if m.freelist != noFreelist {
		if m.freelist < 2 || m.freelist >= m.pgid {
			return fmt.Errorf("freelist page %d outside the file's %d pages", m.freelist, m.pgid)
		}
		hdr, err := v.read(int64(m.freelist)*v.pageSize, pageHeader)
		if err != nil {
			return err
		}
		if u64(hdr) != m.freelist || u16(hdr[8:]) != freelistFlag {
			return fmt.Errorf("freelist page %d is not one", m.freelist)
		}
	}
	return v.page(m.root, 0)
}

const (
	pageHeader    = 16
	elementSize   = 16
	branchFlag    = 0x01
	leafFlag      = 0x02
	freelistFlag  = 0x10
	bucketElement = 0x01
	boltMagic     = 0xED0CDAED
	boltVersion   = 2
	noFreelist    = ^uint64(0)
	maxDepth      = 64
)

type boltMeta struct {
	pageSize             uint32
	root, freelist, pgid uint64
	txid                 uint64
}

type validator struct {
	f        io.ReaderAt
	pageSize int64
	hwm      uint64 // pages in use: ids below it
	seen     map[uint64]bool
}

func u16(b []byte) uint16 { return binary.NativeEndian.Uint16(b) }
func u32(b []byte) uint32 { return binary.NativeEndian.Uint32(b) }
func u64(b []byte) uint64 { return binary.NativeEndian.Uint64(b) }

// meta returns the meta page bbolt would use: the valid one with the
// higher transaction id, the first on a tie.
func (v *validator) meta() (boltMeta, error) {
	m0, err0 := v.readMeta(0)
	sizes := []int64{4096, 8192, 16384, 32768, 65536}
	if err0 == nil {
		sizes = []int64{int64(m0.pageSize)}
	}
	var m1 boltMeta
	err1 := errors.New("no second meta page")
	for _, ps := range sizes {
		if m1, err1 = v.readMeta(ps); err1 == nil {
			break
		}
	}
	switch {
	case err0 == nil && (err1 != nil || m0.txid >= m1.txid):
		return m0, nil
	case err1 == nil:
		return m1, nil
	}
	return boltMeta{}, fmt.Errorf("no valid meta page: %w", errors.Join(err0, err1))
}

func (v *validator) readMeta(off int64) (boltMeta, error) {
	buf := make([]byte, pageHeader+64)
	if _, err := v.f.ReadAt(buf, off); err != nil {
		return boltMeta{}, err
	}
	b := buf[pageHeader:]
	h := fnv.New64a()
	_, _ = h.Write(b[:56])
	switch {
	case u32(b) != boltMagic:
		return boltMeta{}, errors.New("bad magic")
	case u32(b[4:]) != boltVersion:
		return boltMeta{}, errors.New("unknown version")
	case u64(b[56:]) != h.Sum64():
		return boltMeta{}, errors.New("bad checksum")
	}
	m := boltMeta{
		pageSize: u32(b[8:]),
		root:     u64(b[16:]),
		freelist: u64(b[32:]),
		pgid:     u64(b[40:]),
		txid:     u64(b[48:]),
	}
	if m.pageSize < 1024 || m.pageSize&(m.pageSize-1) != 0 {
		return boltMeta{}, fmt.Errorf("bad page size %d", m.pageSize)
	}
	return m, nil
}

// read returns n bytes at off, or an error if the file is shorter.
func (v *validator) read(off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := v.f.ReadAt(buf, off); err != nil {
		return nil, fmt.Errorf("read %d bytes at %d: %w", n, off, err)
	}
	return buf, nil
}

// page checks page id, a branch or leaf page, and all it leads to.
func (v *validator) page(id uint64, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("page %d: tree deeper than %d", id, maxDepth)
	}
	if id < 2 || id >= v.hwm {
		return fmt.Errorf("page %d outside the file's %d pages", id, v.hwm)
	}
	off := int64(id) * v.pageSize
	hdr, err := v.read(off, pageHeader)
	if err != nil {
		return fmt.Errorf("page %d: %w", id, err)
	}
	if got := u64(hdr); got != id {
		return fmt.Errorf("page %d holds page %d", id, got)
	}
	flags, count, overflow := u16(hdr[8:]), int64(u16(hdr[10:])), uint64(u32(hdr[12:]))
	if id+overflow >= v.hwm {
		return fmt.Errorf("page %d: %d overflow pages beyond the file's %d pages", id, overflow, v.hwm)
	}
	for p := id; p <= id+overflow; p++ {
		if v.seen[p] {
			return fmt.Errorf("page %d reached twice", p)
		}
		v.seen[p] = true
	}
	span := int64(overflow+1) * v.pageSize
	if pageHeader+count*elementSize > span {
		return fmt.Errorf("page %d: %d elements overflow the page", id, count)
	}
	elems, err := v.read(off+pageHeader, count*elementSize)
	if err != nil {
		return fmt.Errorf("page %d: %w", id, err)
	}
	switch flags {
	case branchFlag:
		if count == 0 {
			return fmt.Errorf("page %d: empty branch", id)
		}
		for i := int64(0); i < count; i++ {
			e := elems[i*elementSize:]
			at := pageHeader + i*elementSize + int64(u32(e))
			if at+int64(u32(e[4:])) > span {
				return fmt.Errorf("page %d: key %d beyond the page", id, i)
			}
			if err := v.page(u64(e[8:]), depth+1); err != nil {
				return err
			}
		}
		return nil
	case leafFlag:
		return v.leaf(id, elems, count, span, func(at, n int64) ([]byte, error) { return v.read(off+at, n) }, depth)
	}
	return fmt.Errorf("page %d: neither branch nor leaf (flags %#x)", id, flags)
}

// leaf checks the elements of a leaf page of span bytes and the buckets
// they hold; value reads its bytes.
func (v *validator) leaf(id uint64, elems []byte, count, span int64, value func(at, n int64) ([]byte, error), depth int) error {
	for i := int64(0); i < count; i++ {
		e := elems[i*elementSize:]
		flags, ksize, vsize := u32(e), int64(u32(e[8:])), int64(u32(e[12:]))
		at := pageHeader + i*elementSize + int64(u32(e[4:]))
		if at+ksize+vsize > span {
			return fmt.Errorf("page %d: element %d beyond the page", id, i)
		}
		if flags&bucketElement == 0 {
			continue
		}
		if vsize < 16 {
			return fmt.Errorf("page %d: bucket %d header of %d bytes", id, i, vsize)
		}
		val, err := value(at+ksize, vsize)
		if err != nil {
			return fmt.Errorf("page %d: %w", id, err)
		}
		if root := u64(val); root != 0 {
			if err := v.page(root, depth+1); err != nil {
				return err
			}
			continue
		}
		// An inline bucket: a leaf page inside the value.
		inline := val[16:]
		if int64(len(inline)) < pageHeader {
			return fmt.Errorf("page %d: inline bucket %d of %d bytes", id, i, len(inline))
		}
		if u16(inline[8:]) != leafFlag {
			return fmt.Errorf("page %d: inline bucket %d is not a leaf", id, i)
		}
		n := int64(u16(inline[10:]))
		size := int64(len(inline))
		if pageHeader+n*elementSize > size {
			return fmt.Errorf("page %d: inline bucket %d overflows its value", id, i)
		}
		err = v.leaf(id, inline[pageHeader:], n, size, func(at, n int64) ([]byte, error) {
			if at+n > size {
				return nil, fmt.Errorf("inline value beyond its bucket")
			}
			return inline[at : at+n], nil
		}, depth+1)
		if err != nil {
			return err
		}
	}
	return nil
}

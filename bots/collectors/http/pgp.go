// SPDX-License-Identifier: AGPL-3.0-or-later

package http

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// ErrSignature is wrapped by the error for a download whose PGP signature
// does not verify.
var ErrSignature = errors.New("PGP signature verification failed")

// armorPrefix starts an ASCII-armored key or signature.
const armorPrefix = "-----BEGIN PGP"

// readKeyring reads the public keys of gpg_keyring: an ASCII-armored key
// block (gpg --export --armor) or a binary key file (gpg --export, a
// pubring.gpg keyring). It fails when the file holds no key.
func readKeyring(path string) (openpgp.EntityList, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading gpg_keyring: %w", err)
	}
	var keys openpgp.EntityList
	if isArmored(data) {
		keys, err = openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	} else {
		keys, err = openpgp.ReadKeyRing(bytes.NewReader(data))
	}
	if err != nil {
		return nil, fmt.Errorf("gpg_keyring %q: not an OpenPGP public key file: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("gpg_keyring %q holds no key", path)
	}
	return keys, nil
}

func isArmored(data []byte) bool {
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte(armorPrefix))
}

// verifySignature checks the detached signature sig (armored, as a .asc
// file, or binary, as a .sig file) of data against keys at time now. It
// returns the key ID of the signer, in the form gpg prints it.
func verifySignature(keys openpgp.EntityList, data, sig []byte, now time.Time) (string, error) {
	config := &packet.Config{Time: func() time.Time { return now }}
	var signer *openpgp.Entity
	var err error
	if isArmored(sig) {
		signer, err = openpgp.CheckArmoredDetachedSignature(keys, bytes.NewReader(data), bytes.NewReader(sig), config)
	} else {
		signer, err = openpgp.CheckDetachedSignature(keys, bytes.NewReader(data), bytes.NewReader(sig), config)
	}
	if err != nil {
		return "", fmt.Errorf("%w: %s", ErrSignature, strings.TrimPrefix(err.Error(), "openpgp: "))
	}
	return signer.PrimaryKey.KeyIdString(), nil
}

// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"slices"
)

// brokerTLS builds the TLS settings of the connections to the brokers, as
// the Python client's tls_set and tls_insecure_set(True) make them: the
// client shows its certificate, and the broker's certificate must chain up
// to a certificate of the broker CA bundle, which is the only one trusted
// (not the system's CAs). The broker's name is not checked, because DXL
// brokers' certificates name the broker's GUID, not its host.
func brokerTLS(cfg *dxlConfig) (*tls.Config, error) {
	pem, err := os.ReadFile(cfg.caFile)
	if err != nil {
		return nil, fmt.Errorf("reading the broker CA bundle (%s): %w", settingCAChain, err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("the broker CA bundle %s (%s) holds no PEM certificate", cfg.caFile, settingCAChain)
	}
	cert, err := tls.LoadX509KeyPair(cfg.certFile, cfg.keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading the client certificate %s (%s) and its key %s (%s): %w",
			cfg.certFile, settingCertFile, cfg.keyFile, settingPrivateKey, err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
		CipherSuites: cipherSuites(),
		// The chain is checked by VerifyConnection, without the host name.
		InsecureSkipVerify: true, //nolint:gosec // verified below against the broker CA bundle
		VerifyConnection:   verifyBroker(pool),
	}, nil
}

// verifyBroker checks that the broker's certificate chains up to pool, for
// any purpose (OpenSSL, which the Python client uses, does not check the
// extended key usage either), without looking at its name.
func verifyBroker(pool *x509.CertPool) func(tls.ConnectionState) error {
	return func(cs tls.ConnectionState) error {
		if len(cs.PeerCertificates) == 0 {
			return errors.New("the broker sent no certificate")
		}
		inter := x509.NewCertPool()
		for _, c := range cs.PeerCertificates[1:] {
			inter.AddCert(c)
		}
		_, err := cs.PeerCertificates[0].Verify(x509.VerifyOptions{
			Roots: pool, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		})
		if err != nil {
			return fmt.Errorf("the broker's certificate is not signed by the broker CA bundle: %w", err)
		}
		return nil
	}
}

// cipherSuites returns Go's secure TLS 1.2 cipher suites plus
// TLS_RSA_WITH_AES_128_CBC_SHA256 ("AES128-SHA256"), the one suite the
// Python client offers for TLS 1.2, so that a broker accepting only what
// that client asks for is reached too. TLS 1.3 suites are not
// configurable and always offered.
func cipherSuites() []uint16 {
	var ids []uint16
	for _, cs := range tls.CipherSuites() {
		if slices.Contains(cs.SupportedVersions, tls.VersionTLS12) {
			ids = append(ids, cs.ID)
		}
	}
	return append(ids, tls.TLS_RSA_WITH_AES_128_CBC_SHA256)
}

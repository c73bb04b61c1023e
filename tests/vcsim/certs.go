package main

// TLS material for the fault door: a fresh RSA-2048 self-signed certificate
// per start (and per /cert/rotate), served through tls.Config.GetCertificate
// so that it can be swapped while the listener keeps running.

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// servedCert is one generation of the door's certificate.
type servedCert struct {
	tls        *tls.Certificate
	der        []byte
	thumbprint string // SHA-256 of the DER certificate, "AB:CD:..."
	certFile   string
	keyFile    string
	gen        int
}

// certStore owns the current certificate and writes each generation to dir.
type certStore struct {
	dir string

	mu      sync.RWMutex
	current *servedCert
	gen     int
}

func newCertStore(dir string) *certStore {
	return &certStore{dir: dir}
}

// thumbprintSHA256 formats the SHA-256 digest of der as uppercase,
// colon-separated hex (the form vSphere and `openssl x509 -fingerprint` use).
func thumbprintSHA256(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// generateKey creates the RSA key for the next certificate. It is split out so
// that the first (slow-ish) key generation can run while the inventory builds.
func generateKey() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
}

// makeCert builds a self-signed certificate for 127.0.0.1 / localhost.
func makeCert(key *rsa.PrivateKey) (*tls.Certificate, []byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, nil, err
	}
	notBefore := time.Now().Add(-5 * time.Minute).UTC()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			CommonName:         "127.0.0.1",
			Organization:       []string{"DCM Operator Console test vCenter"},
			OrganizationalUnit: []string{"dcm-vcsim"},
		},
		NotBefore:             notBefore,
		NotAfter:              notBefore.AddDate(1, 0, 0),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true, // self-signed: lets it act as its own trust anchor (curl --cacert)
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	return &tls.Certificate{
		Certificate: [][]byte{der},
		PrivateKey:  key,
		Leaf:        leaf,
	}, der, nil
}

// writeFileAtomic writes data to path via a temporary file and rename.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-")
	if err != nil {
		return err
	}
	name := tmp.Name()
	if _, err = tmp.Write(data); err == nil {
		err = tmp.Chmod(perm)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(name, path)
	}
	if err != nil {
		_ = os.Remove(name)
	}
	return err
}

// install makes a new certificate (with the given key, or a fresh one when
// key is nil) current and writes cert-N.pem / key-N.pem into the store's dir.
func (s *certStore) install(key *rsa.PrivateKey) (*servedCert, error) {
	var err error
	if key == nil {
		if key, err = generateKey(); err != nil {
			return nil, err
		}
	}
	cert, der, err := makeCert(key)
	if err != nil {
		return nil, err
	}

	s.mu.Lock()
	s.gen++
	gen := s.gen
	s.mu.Unlock()

	sc := &servedCert{
		tls:        cert,
		der:        der,
		thumbprint: thumbprintSHA256(der),
		certFile:   filepath.Join(s.dir, fmt.Sprintf("cert-%d.pem", gen)),
		keyFile:    filepath.Join(s.dir, fmt.Sprintf("key-%d.pem", gen)),
		gen:        gen,
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := writeFileAtomic(sc.keyFile, keyPEM, 0o600); err != nil {
		return nil, err
	}
	if err := writeFileAtomic(sc.certFile, certPEM, 0o644); err != nil {
		return nil, err
	}

	s.mu.Lock()
	if s.current == nil || gen > s.current.gen {
		s.current = sc
	}
	s.mu.Unlock()
	return sc, nil
}

func (s *certStore) get() *servedCert {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.current
}

// tlsConfig returns a server config that always serves the current certificate.
func (s *certStore) tlsConfig() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			c := s.get()
			if c == nil {
				return nil, fmt.Errorf("no certificate installed")
			}
			return c.tls, nil
		},
		// No resumption: every new connection sees the current certificate
		// in its handshake, which is what /cert/rotate tests rely on.
		SessionTicketsDisabled: true,
	}
}

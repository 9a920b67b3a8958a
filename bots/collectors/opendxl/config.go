// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The sections and settings of dxlclient.config that the collector reads
// (dxlclient.client_config.DxlClientConfig).
const (
	sectionGeneral    = "General"
	sectionCerts      = "Certs"
	sectionBrokers    = "Brokers"
	sectionBrokersWS  = "BrokersWebSockets"
	sectionProxy      = "Proxy"
	settingCAChain    = "BrokerCertChain"
	settingCertFile   = "CertFile"
	settingPrivateKey = "PrivateKey"
	settingClientID   = "ClientId"
	settingUseWS      = "UseWebSockets"
	settingProxyAddr  = "Address"
)

// dxlConfig is what the collector takes from a dxlclient.config file.
type dxlConfig struct {
	// caFile, certFile and keyFile are the broker CA bundle, the client
	// certificate and its key, resolved against the file's folder.
	caFile, certFile, keyFile string
	// brokers are the [Brokers], in the file's order.
	brokers []broker
	// clientID is [General] ClientId; empty lets the collector make one.
	clientID string
	// proxy is [Proxy] Address, which the collector does not use.
	proxy string
}

// broker is one line of [Brokers]: "[UniqueId;]Port;HostName[;IpAddress]".
type broker struct {
	id, host, ip string
	port         int
}

// addrs returns the addresses to try for b: its host name, then its IP
// address, as the Python client does.
func (b broker) addrs() []string {
	var out []string
	port := strconv.Itoa(b.port)
	if b.host != "" {
		out = append(out, net.JoinHostPort(b.host, port))
	}
	if b.ip != "" && b.ip != b.host {
		out = append(out, net.JoinHostPort(b.ip, port))
	}
	return out
}

// iniFile is the sections of a ConfigObj/INI file: section, then key, then
// value; order keeps the keys of each section in the file's order.
type iniFile struct {
	values map[string]map[string]string
	order  map[string][]string
}

func (f *iniFile) get(section, key string) string { return f.values[section][key] }

// parseINI reads the subset of ConfigObj's syntax that dxlclient.config
// files use: "[Section]" lines, "key = value" or "key=value" lines, "#"
// comments on their own line or after a value, and values or keys in
// single or double quotes. Keys and section names are case-sensitive, as
// in ConfigObj; a repeated key or section is an error, as in ConfigObj.
func parseINI(data []byte) (*iniFile, error) {
	f := &iniFile{values: map[string]map[string]string{}, order: map[string][]string{}}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	section := ""
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			if strings.HasPrefix(line, "[[") {
				return nil, fmt.Errorf("line %d: nested sections are not supported", n)
			}
			end := strings.IndexByte(line, ']')
			if end < 0 {
				return nil, fmt.Errorf("line %d: the section name lacks its closing bracket", n)
			}
			if rest := strings.TrimSpace(line[end+1:]); rest != "" && rest[0] != '#' {
				return nil, fmt.Errorf("line %d: unexpected text after the section name", n)
			}
			name := unquote(strings.TrimSpace(line[1:end]))
			if name == "" {
				return nil, fmt.Errorf("line %d: the section name is empty", n)
			}
			if _, dup := f.values[name]; dup {
				return nil, fmt.Errorf("line %d: the section [%s] appears twice", n, name)
			}
			f.values[name] = map[string]string{}
			section = name
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: expected \"key = value\" or \"[Section]\"", n)
		}
		key := unquote(strings.TrimSpace(k))
		value, err := iniValue(strings.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if key == "" {
			return nil, fmt.Errorf("line %d: the key is empty", n)
		}
		if f.values[section] == nil {
			f.values[section] = map[string]string{}
		}
		if _, dup := f.values[section][key]; dup {
			return nil, fmt.Errorf("line %d: the key %q appears twice in [%s]", n, key, section)
		}
		f.values[section][key] = value
		f.order[section] = append(f.order[section], key)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return f, nil
}

// iniValue reads a value: quoted, up to its closing quote, else up to an
// inline comment.
func iniValue(v string) (string, error) {
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		end := strings.IndexByte(v[1:], v[0])
		if end < 0 {
			return "", errors.New("the value lacks its closing quote")
		}
		if rest := strings.TrimSpace(v[end+2:]); rest != "" && rest[0] != '#' {
			return "", errors.New("unexpected text after the quoted value")
		}
		return v[1 : end+1], nil
	}
	if i := strings.IndexByte(v, '#'); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v, nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// readDXLConfig reads and checks the dxlclient.config file at path.
func readDXLConfig(path string) (*dxlConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := parseINI(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	cfg, err := dxlConfigOf(f, filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// dxlConfigOf takes the settings from f; relative file names are resolved
// against dir, the folder of the configuration file.
func dxlConfigOf(f *iniFile, dir string) (*dxlConfig, error) {
	cfg := &dxlConfig{clientID: f.get(sectionGeneral, settingClientID), proxy: f.get(sectionProxy, settingProxyAddr)}
	for _, s := range []struct {
		name string
		dst  *string
	}{{settingCAChain, &cfg.caFile}, {settingCertFile, &cfg.certFile}, {settingPrivateKey, &cfg.keyFile}} {
		v := f.get(sectionCerts, s.name)
		if v == "" {
			return nil, fmt.Errorf("[%s] %s is missing", sectionCerts, s.name)
		}
		if !filepath.IsAbs(v) {
			v = filepath.Join(dir, v)
		}
		*s.dst = v
	}
	if v := f.get(sectionGeneral, settingUseWS); v != "" {
		ws, err := configObjBool(v)
		if err != nil {
			return nil, fmt.Errorf("[%s] %s: %w", sectionGeneral, settingUseWS, err)
		}
		if ws {
			return nil, fmt.Errorf("[%s] %s is true, but the collector speaks MQTT over TLS only, not over WebSockets; use the [%s]", sectionGeneral, settingUseWS, sectionBrokers)
		}
	}
	for _, key := range f.order[sectionBrokers] {
		b, err := parseBroker(f.get(sectionBrokers, key))
		if err != nil {
			return nil, fmt.Errorf("[%s] %s: %w", sectionBrokers, key, err)
		}
		if b.id == "" {
			b.id = key
		}
		cfg.brokers = append(cfg.brokers, b)
	}
	if len(cfg.brokers) == 0 {
		if len(f.order[sectionBrokersWS]) > 0 {
			return nil, fmt.Errorf("[%s] is empty and only [%s] are given, but the collector speaks MQTT over TLS only, not over WebSockets", sectionBrokers, sectionBrokersWS)
		}
		return nil, fmt.Errorf("[%s] lists no broker", sectionBrokers)
	}
	return cfg, nil
}

// parseBroker reads "[UniqueId;]Port;HostName[;IpAddress]" as
// dxlclient.broker.Broker._parse does: the unique id is left out when the
// first field is a port number; brackets around IPv6 addresses are
// removed.
func parseBroker(s string) (broker, error) {
	fields := strings.Split(s, ";")
	for i := range fields {
		fields[i] = strings.TrimSpace(fields[i])
	}
	if len(fields) < 2 {
		return broker{}, fmt.Errorf("%q is not \"UniqueId;Port;HostName;IpAddress\"", s)
	}
	var b broker
	rest := fields
	if _, ok := portNumber(fields[0]); !ok {
		b.id, rest = fields[0], fields[1:]
	}
	port, ok := portNumber(rest[0])
	if !ok {
		return broker{}, fmt.Errorf("the port %q is not a number between 1 and 65535", rest[0])
	}
	b.port = port
	strip := func(s string) string { return strings.NewReplacer("[", "", "]", "").Replace(s) }
	if len(rest) > 1 {
		b.host = strip(rest[1])
	}
	if len(rest) > 2 {
		b.ip = strip(rest[2])
	}
	if b.host == "" && b.ip == "" {
		return broker{}, fmt.Errorf("%q names neither a host nor an IP address", s)
	}
	return b, nil
}

func portNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && n < 65536
}

// configObjBool reads a boolean as ConfigObj's as_bool does.
func configObjBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "on", "yes", "1":
		return true, nil
	case "false", "off", "no", "0":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (true, false, yes, no, on, off, 1, 0)", v)
}

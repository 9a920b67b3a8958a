// SPDX-License-Identifier: AGPL-3.0-or-later

package opendxl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func writeFile(t *testing.T, path, text string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadDXLConfig reads a file as the provisioning writes it, with the
// syntax ConfigObj allows around it.
func TestReadDXLConfig(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, filepath.Join(dir, "conf", "dxlclient.config"), "\ufeff"+`# made by dxlclient provisionconfig
[General]
ClientId = "{c9a1a7d2-0000-4000-8000-000000000001}"   # fixed
UseWebSockets = no

[Certs]
BrokerCertChain=ca-bundle.crt
CertFile = 'certs/client.crt'
PrivateKey=/etc/dxl/client.key

[Brokers]
{5d73b77f-8c4b-4ae0-b437-febd12facfd4}={5d73b77f-8c4b-4ae0-b437-febd12facfd4};8883;broker1.example.org;192.0.2.10
backup = 8993 ; broker2.example.org
v6={6};8883;[2001:db8::1]

[BrokersWebSockets]
{5d73b77f-8c4b-4ae0-b437-febd12facfd4}={5d73b77f-8c4b-4ae0-b437-febd12facfd4};443;broker1.example.org;192.0.2.10
`)
	cfg, err := readDXLConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "conf")
	want := &dxlConfig{
		caFile:   filepath.Join(conf, "ca-bundle.crt"),
		certFile: filepath.Join(conf, "certs", "client.crt"),
		keyFile:  "/etc/dxl/client.key",
		clientID: "{c9a1a7d2-0000-4000-8000-000000000001}",
		brokers: []broker{
			{id: "{5d73b77f-8c4b-4ae0-b437-febd12facfd4}", port: 8883, host: "broker1.example.org", ip: "192.0.2.10"},
			{id: "backup", port: 8993, host: "broker2.example.org"},
			{id: "{6}", port: 8883, host: "2001:db8::1"},
		},
	}
	if diff := cmp.Diff(want, cfg, cmp.AllowUnexported(dxlConfig{}, broker{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var addrs []string
	for _, b := range cfg.brokers {
		addrs = append(addrs, b.addrs()...)
	}
	if diff := cmp.Diff([]string{"broker1.example.org:8883", "192.0.2.10:8883", "broker2.example.org:8993", "[2001:db8::1]:8883"}, addrs); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
}

func TestBadDXLConfig(t *testing.T) {
	const certs = "[Certs]\nBrokerCertChain=ca.crt\nCertFile=c.crt\nPrivateKey=c.key\n"
	for name, tc := range map[string]struct{ text, want string }{
		"no certs":        {"[Brokers]\nb=b;8883;h\n", "[Certs] BrokerCertChain is missing"},
		"no key":          {"[Certs]\nBrokerCertChain=ca.crt\nCertFile=c.crt\n[Brokers]\nb=b;8883;h\n", "[Certs] PrivateKey is missing"},
		"no brokers":      {certs + "[Brokers]\n", "[Brokers] lists no broker"},
		"websockets only": {certs + "[BrokersWebSockets]\nb=b;443;h\n", "only [BrokersWebSockets] are given"},
		"use websockets":  {"[General]\nUseWebSockets=True\n" + certs + "[Brokers]\nb=b;8883;h\n", "UseWebSockets is true"},
		"bad bool":        {"[General]\nUseWebSockets=maybe\n" + certs + "[Brokers]\nb=b;8883;h\n", `"maybe" is not a boolean`},
		"bad port":        {certs + "[Brokers]\nb=b;http;h\n", `[Brokers] b: the port "http" is not a number`},
		"port zero":       {certs + "[Brokers]\nb=0;h\n", `[Brokers] b: the port "h" is not a number`},
		"one field":       {certs + "[Brokers]\nb=broker\n", `is not "UniqueId;Port;HostName;IpAddress"`},
		"no host":         {certs + "[Brokers]\nb=b;8883\n", "names neither a host nor an IP address"},
		"duplicate key":   {certs + "[Brokers]\nb=b;8883;h\nb=b;8883;h\n", `line 7: the key "b" appears twice in [Brokers]`},
		"duplicate sect":  {certs + "[Certs]\n", "line 5: the section [Certs] appears twice"},
		"nested":          {certs + "[[x]]\n", "nested sections are not supported"},
		"no bracket":      {"[Certs\n", "lacks its closing bracket"},
		"no equals":       {certs + "[Brokers]\nbroker\n", `line 6: expected "key = value"`},
		"open quote":      {"[Certs]\nCertFile='c.crt\n", "line 2: the value lacks its closing quote"},
	} {
		path := writeFile(t, filepath.Join(t.TempDir(), "dxlclient.config"), tc.text)
		_, err := readDXLConfig(path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming the file and containing %q", name, err, tc.want)
		}
	}
	if _, err := readDXLConfig(filepath.Join(t.TempDir(), "missing.config")); err == nil || !strings.Contains(err.Error(), "missing.config") {
		t.Errorf("a missing file gave %v", err)
	}
}

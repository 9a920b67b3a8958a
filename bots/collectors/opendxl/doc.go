// SPDX-License-Identifier: AGPL-3.0-or-later

// Package opendxl holds collector.opendxl, IntelMQ's OpenDXL collector
// (intelmq.bots.collectors.opendxl.collector), which listens to a McAfee
// (now Trellix) Data Exchange Layer fabric: with the topic
// "/mcafee/event/atd/file/report" it receives the file reports of McAfee
// Advanced Threat Defense for the feed mcafee_atd_sandbox_reports and its
// parser parser.mcafee_atd. It owns the reading of dxlclient.config files
// and the decoding of DXL messages; MQTT is github.com/eclipse/paho.mqtt.golang.
//
// # Behaviour
//
// A DXL fabric is a set of MQTT brokers reached over TLS with a client
// certificate. When the bot starts, the collector reads the
// dxlclient.config file that the OpenDXL client's provisioning makes: the
// [Certs] BrokerCertChain (the CA bundle of the brokers), CertFile and
// PrivateKey (the client's certificate and key, PEM), whose relative names
// are resolved against the file's folder, the [Brokers] lines
// "UniqueId;Port;HostName;IpAddress" (the unique id may be left out), and
// [General] ClientId. A missing or malformed file, or unusable
// certificates, stop the bot with an error naming the file.
//
// Each collection connects to the first broker that accepts it, trying the
// brokers in the file's order, each by its host name and then by its IP
// address (every failure is logged as a warning), with MQTT 3.1.1, a clean
// session and the client id of the file, or else a random "{uuid}" made at
// the start, as the Python client does. The broker's certificate must
// chain up to the BrokerCertChain, which is the only trust anchor; its
// name is not checked, because DXL broker certificates name the broker's
// GUID (the Python client turns the check off too). The collector then
// subscribes to dxl_topic with QoS 0, and takes the messages already while
// it waits for the SUBACK, since MQTT lets a broker send them before it.
//
// The payload of every MQTT message is a DXL message: a sequence of
// msgpack values (version, type, message id, source client and broker ids,
// broker and client ids, payload, the fields of the type, and from version
// 1 and 2 the other fields and tenant GUIDs; see wire.go). A DXL event
// becomes one Report whose raw is the event's payload with NUL bytes
// removed, as IntelMQ removes them, and whose other fields are the feed's
// and time.observation, as IntelMQ sets them; IntelMQ sets no feed.url.
// A message that is not a DXL message (cut off, wrong msgpack types, an
// unknown type), a DXL request, response or error response, and an event
// whose payload is empty are logged as warnings, counted as skipped and
// dropped; the stream goes on.
//
// A lost connection, or brokers that cannot be reached, are retried within
// the collection after 1s, 2s, 4s... up to a minute, up to retries
// consecutive failures (a message received resets the count); each retry
// is logged. Brokers that all refuse the client in their CONNACK (not
// authorized, identifier rejected...) and a refused subscription end the
// collection at once, as retrying would not help; the runner's
// error_max_retries and interval pace the next attempts. When the
// collection ends (the bot stops, max_duration or max_reports) the
// collector sends DISCONNECT. The loop of reconnections, limits and their
// log lines is the one of the other stream collectors
// (bots/internal/streamloop); "intelmq run --once" runs one collection:
// give max_duration or max_reports to take a sample.
//
// Delivery is at most once, as in DXL itself: the DXL clients publish and
// subscribe with QoS 0, so the broker sends each event once and keeps no
// copy, and the collector subscribes with QoS 0 too (a subscription with
// QoS 1 would still be served at the publisher's QoS 0, and DXL sessions
// are clean, so nothing could be delivered again after a reconnect). A
// message is read whole before its report is emitted, and a report is
// emitted before the next message is taken: an event received when
// max_duration ends the collection is still stored, but an event in
// flight when the connection breaks or the bot stops is lost, and so is
// what the broker publishes while the collector is disconnected. While the
// destination queue is full, the collector stops reading; the broker may
// then drop messages for it, or the connection may time out and be
// reconnected.
//
// # Parameters
//
// IntelMQ's dxl_config_file (required; relative to the bot's base
// directory) and dxl_topic (default "/mcafee/event/atd/file/report") keep
// their names. timeout (30s) bounds the connection, the TLS handshake, the
// CONNACK and the SUBACK; keep_alive_interval (30m, the OpenDXL clients'
// default) is the MQTT keep-alive. The further parameters are those of
// the stream collectors: retries, interval, max_duration, max_reports.
//
// # Differences from IntelMQ
//
//   - IntelMQ (through the Python client) measures how fast each broker
//     answers and tries the fastest first; here the brokers are tried in
//     the file's order.
//   - The Python client resolves a relative certificate name against the
//     working directory first and against the file's folder only when no
//     such file exists there; here it is always the file's folder.
//   - WebSocket brokers ([BrokersWebSockets], [General] UseWebSockets) and
//     the [Proxy] section are not supported: a configuration that needs
//     WebSockets stops the bot, a [Proxy] is ignored with a warning.
//   - The Python client also subscribes to its own reply topic
//     "/mcafee/client/{client id}", and IntelMQ's callback takes the events
//     of every subscribed topic; here only dxl_topic is subscribed.
//   - IntelMQ decodes the payload as UTF-8 and fails (the event is lost
//     with an exception in the client's thread) on other bytes; here the
//     bytes are kept (base64 in raw). Messages that are not DXL events make
//     the Python client raise errors; here they are logged and skipped.
//   - The Python client reconnects forever; here reconnects back off and
//     are bounded by retries, and the collection limits apply.
//   - TLS: the Python client offers only the cipher suite AES128-SHA256
//     for TLS 1.2; here Go's secure suites are offered along with it (TLS
//     1.2 at least; TLS 1.3 when the broker has it, as in Python).
//
// The HTTP collector's TLS helper (bots/collectors/http.TLSConfig) is not
// used: it adds the CA file to the system's CAs and checks the host name,
// while DXL trusts the broker CA bundle alone and checks no name.
//
// It imports runtime/botapi, bots/internal/report, bots/internal/streamloop,
// the stdlib packages, github.com/eclipse/paho.mqtt.golang and the
// standard library.
package opendxl

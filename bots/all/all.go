// SPDX-License-Identifier: AGPL-3.0-or-later

package all

import (
	"fmt"

	apicollector "github.com/intelmq-go/intelmq/bots/collectors/api"
	azurecollector "github.com/intelmq-go/intelmq/bots/collectors/azure"
	"github.com/intelmq-go/intelmq/bots/collectors/blueliv"
	"github.com/intelmq-go/intelmq/bots/collectors/certstream"
	esetcollector "github.com/intelmq-go/intelmq/bots/collectors/eset"
	filecollector "github.com/intelmq-go/intelmq/bots/collectors/file"
	fireeyecollector "github.com/intelmq-go/intelmq/bots/collectors/fireeye"
	githubcollector "github.com/intelmq-go/intelmq/bots/collectors/github"
	httpcollector "github.com/intelmq-go/intelmq/bots/collectors/http"
	"github.com/intelmq-go/intelmq/bots/collectors/httpstream"
	interflowcollector "github.com/intelmq-go/intelmq/bots/collectors/interflow"
	mailcollector "github.com/intelmq-go/intelmq/bots/collectors/mail"
	"github.com/intelmq-go/intelmq/bots/collectors/opendxl"
	otxcollector "github.com/intelmq-go/intelmq/bots/collectors/otx"
	rsynccollector "github.com/intelmq-go/intelmq/bots/collectors/rsync"
	rtcollector "github.com/intelmq-go/intelmq/bots/collectors/rt"
	"github.com/intelmq-go/intelmq/bots/collectors/shadowserver"
	stompcollector "github.com/intelmq-go/intelmq/bots/collectors/stomp"
	"github.com/intelmq-go/intelmq/bots/experts/deduplicator"
	"github.com/intelmq-go/intelmq/bots/experts/taxonomy"
	"github.com/intelmq-go/intelmq/bots/experts/url"
	"github.com/intelmq-go/intelmq/bots/outputs/blackhole"
	fileoutput "github.com/intelmq-go/intelmq/bots/outputs/file"
	redisoutput "github.com/intelmq-go/intelmq/bots/outputs/redis"
	"github.com/intelmq-go/intelmq/bots/outputs/stdout"
	"github.com/intelmq-go/intelmq/bots/parsers/cleanmx"
	cymrucap "github.com/intelmq-go/intelmq/bots/parsers/cymru_cap"
	"github.com/intelmq-go/intelmq/bots/parsers/fireeye"
	"github.com/intelmq-go/intelmq/bots/parsers/malwareurl"
	microsoftctip "github.com/intelmq-go/intelmq/bots/parsers/microsoft_ctip"
	"github.com/intelmq-go/intelmq/bots/parsers/threatminer"
	"github.com/intelmq-go/intelmq/bots/parsers/twitter"
	"github.com/intelmq-go/intelmq/runtime/botapi"
)

// registrations lists the Register function of every bundled bot.
func registrations() []func(*botapi.Registry) error {
	return []func(*botapi.Registry) error{
		apicollector.Register,
		azurecollector.Register,
		blueliv.Register,
		certstream.Register,
		esetcollector.Register,
		filecollector.Register,
		fireeyecollector.Register,
		githubcollector.Register,
		httpcollector.Register,
		httpstream.Register,
		interflowcollector.Register,
		mailcollector.Register,
		opendxl.Register,
		otxcollector.Register,
		rsynccollector.Register,
		rtcollector.Register,
		shadowserver.Register,
		stompcollector.Register,
		cleanmx.Register,
		cymrucap.Register,
		fireeye.Register,
		malwareurl.Register,
		microsoftctip.Register,
		threatminer.Register,
		twitter.Register,
		deduplicator.Register,
		taxonomy.Register,
		url.Register,
		blackhole.Register,
		fileoutput.Register,
		redisoutput.Register,
		stdout.Register,
	}
}

// Register adds every bundled Go bot to r. It fails if one of them is
// already registered or its spec is invalid.
func Register(r *botapi.Registry) error {
	for _, register := range registrations() {
		if err := register(r); err != nil {
			return fmt.Errorf("registering the bundled bots: %w", err)
		}
	}
	return nil
}

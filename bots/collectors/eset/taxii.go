// SPDX-License-Identifier: AGPL-3.0-or-later

package eset

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"time"
)

// TAXII 1.1 constants of the XML message binding and the HTTPS protocol
// binding.
const (
	nsTAXII11       = "http://taxii.mitre.org/messages/taxii_xml_binding-1.1"
	messageBinding  = "urn:taxii.mitre.org:message:xml:1.1"
	servicesVersion = "urn:taxii.mitre.org:services:1.1"
	protocolHTTPS   = "urn:taxii.mitre.org:protocol:https:1.0"
	protocolHTTP    = "urn:taxii.mitre.org:protocol:http:1.0"
	servicePoll     = "POLL"
)

// discoveryRequest is a TAXII 1.1 Discovery_Request.
func discoveryRequest(id string) []byte {
	return []byte(`<taxii_11:Discovery_Request xmlns:taxii_11="` + nsTAXII11 + `" message_id="` + id + `"/>`)
}

// pollRequest is a TAXII 1.1 Poll_Request for a full answer of the content
// of collection in (begin, end].
func pollRequest(id, collection string, begin, end time.Time) ([]byte, error) {
	var b struct {
		XMLName    xml.Name `xml:"taxii_11:Poll_Request"`
		NS         string   `xml:"xmlns:taxii_11,attr"`
		MessageID  string   `xml:"message_id,attr"`
		Collection string   `xml:"collection_name,attr"`
		Begin      string   `xml:"taxii_11:Exclusive_Begin_Timestamp"`
		End        string   `xml:"taxii_11:Inclusive_End_Timestamp"`
		Params     struct {
			AllowAsynch  string `xml:"allow_asynch,attr"`
			ResponseType string `xml:"taxii_11:Response_Type"`
		} `xml:"taxii_11:Poll_Parameters"`
	}
	b.NS, b.MessageID, b.Collection = nsTAXII11, id, collection
	b.Begin, b.End = begin.UTC().Format(time.RFC3339Nano), end.UTC().Format(time.RFC3339Nano)
	b.Params.AllowAsynch, b.Params.ResponseType = "false", "FULL"
	return xml.Marshal(b)
}

// fulfillmentRequest is a TAXII 1.1 Poll_Fulfillment for the next part of
// a result set.
func fulfillmentRequest(id, collection, resultID string, part int) ([]byte, error) {
	b := struct {
		XMLName    xml.Name `xml:"taxii_11:Poll_Fulfillment"`
		NS         string   `xml:"xmlns:taxii_11,attr"`
		MessageID  string   `xml:"message_id,attr"`
		Collection string   `xml:"collection_name,attr"`
		ResultID   string   `xml:"result_id,attr"`
		Part       string   `xml:"result_part_number,attr"`
	}{NS: nsTAXII11, MessageID: id, Collection: collection, ResultID: resultID, Part: strconv.Itoa(part)}
	return xml.Marshal(b)
}

// response is any TAXII 1.1 answer the collector reads: a
// Discovery_Response, a Poll_Response or a Status_Message (by XMLName).
type response struct {
	XMLName xml.Name
	// Discovery_Response
	Services []serviceInstance `xml:"Service_Instance"`
	// Poll_Response
	More     bool           `xml:"more,attr"`
	ResultID string         `xml:"result_id,attr"`
	Part     int            `xml:"result_part_number,attr"`
	Blocks   []contentBlock `xml:"Content_Block"`
	// Status_Message
	StatusType string `xml:"status_type,attr"`
	Message    string `xml:"Message"`
}

type serviceInstance struct {
	Type      string `xml:"service_type,attr"`
	Available string `xml:"available,attr"`
	Protocol  string `xml:"Protocol_Binding"`
	Address   string `xml:"Address"`
}

type contentBlock struct {
	Content string `xml:"Content"`
}

// decode reads a TAXII message; a Status_Message is an error, as is any
// other message than want.
func decode(body []byte, want string) (*response, error) {
	var r response
	if err := xml.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("not a TAXII 1.1 message: %w", err)
	}
	if r.XMLName.Space != nsTAXII11 {
		return nil, fmt.Errorf("not a TAXII 1.1 message: <%s> in namespace %q", r.XMLName.Local, r.XMLName.Space)
	}
	switch r.XMLName.Local {
	case want:
		return &r, nil
	case "Status_Message":
		if r.Message != "" {
			return nil, fmt.Errorf("TAXII status %s: %s", r.StatusType, r.Message)
		}
		return nil, fmt.Errorf("TAXII status %s", r.StatusType)
	}
	return nil, fmt.Errorf("a TAXII %s instead of a %s", r.XMLName.Local, want)
}

package main

// SOAP helpers for the fault door: find the method of a request, and encode
// vim25 faults in the same XML shape as govmomi's simulator (ServeSDK).

import (
	"bytes"
	stdxml "encoding/xml"
	"fmt"
	"reflect"
	"strings"

	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

// soapCall is what the door needs to know about one SOAP request.
type soapCall struct {
	Method string                       // local name of the first child of soapenv:Body
	This   types.ManagedObjectReference // its <_this type="..">value</_this>, if any
}

// parseSOAPCall finds the method element of a SOAP envelope without decoding
// the whole request.
func parseSOAPCall(body []byte) (soapCall, bool) {
	var call soapCall
	dec := stdxml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	inBody := false
	depth := 0 // depth below the method element (1 = its direct children)
	inThis := false
	var thisText strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return call, call.Method != ""
		}
		switch t := tok.(type) {
		case stdxml.StartElement:
			switch {
			case call.Method != "":
				depth++
				if depth == 1 && t.Name.Local == "_this" {
					inThis = true
					for _, a := range t.Attr {
						if a.Name.Local == "type" {
							call.This.Type = a.Value
						}
					}
				}
			case inBody:
				call.Method = t.Name.Local
			case t.Name.Local == "Body":
				inBody = true
			}
		case stdxml.CharData:
			if inThis {
				thisText.Write(t)
			}
		case stdxml.EndElement:
			if call.Method == "" {
				if inBody && t.Name.Local == "Body" {
					return call, false
				}
				continue
			}
			if inThis && depth == 1 {
				call.This.Value = strings.TrimSpace(thisText.String())
				return call, true
			}
			depth--
			if depth < 0 { // end of the method element: no _this
				return call, true
			}
		}
	}
}

var baseMethodFaultType = reflect.TypeOf((*types.BaseMethodFault)(nil)).Elem()

// newVimFault builds a vim25 fault value for the type name, filling required
// fields with something sensible: managed object references default to the
// request's _this, selected string fields from props (keyed by XML name) and
// a few type-specific defaults. It returns nil for names that are not vim25
// fault types (the caller then encodes an empty detail element).
func newVimFault(name, message string, this types.ManagedObjectReference, props map[string]string) types.BaseMethodFault {
	rtype, ok := types.TypeFunc()(name)
	if !ok || rtype.Kind() != reflect.Struct || !reflect.PtrTo(rtype).Implements(baseMethodFaultType) {
		return nil
	}
	val := reflect.New(rtype)
	fillFault(val.Elem(), this, props)
	fault := val.Interface().(types.BaseMethodFault)

	switch f := fault.(type) {
	case *types.SystemError:
		if f.Reason == "" {
			f.Reason = message
		}
	case *types.NotAuthenticated:
		if f.PrivilegeId == "" {
			f.PrivilegeId = "System.View"
		}
	case *types.NoPermission:
		if f.PrivilegeId == "" {
			f.PrivilegeId = "System.View"
		}
	case *types.DuplicateName:
		if f.Name == "" {
			f.Name = message
		}
	}
	return fault
}

var morType = reflect.TypeOf(types.ManagedObjectReference{})

func fillFault(v reflect.Value, this types.ManagedObjectReference, props map[string]string) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		fv := v.Field(i)
		if !fv.CanSet() {
			continue
		}
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct {
			fillFault(fv, this, props)
			continue
		}
		tag := strings.Split(sf.Tag.Get("xml"), ",")[0]
		switch {
		case sf.Type == morType:
			if p, ok := props[tag]; ok {
				// "Type:value" or just "value" (type from _this)
				ref := types.ManagedObjectReference{Type: this.Type, Value: p}
				if i := strings.Index(p, ":"); i > 0 {
					ref = types.ManagedObjectReference{Type: p[:i], Value: p[i+1:]}
				}
				fv.Set(reflect.ValueOf(ref))
			} else if this.Value != "" {
				fv.Set(reflect.ValueOf(this))
			}
		case sf.Type.Kind() == reflect.String:
			if p, ok := props[tag]; ok {
				fv.SetString(p)
			}
		}
	}
}

// The structures below mirror the envelope govmomi's simulator writes
// (soapenv prefix, the four namespace declarations, and a detail element
// named <{Type}Fault xmlns="urn:vim25" xsi:type="{Type}">).

type faultEnvelope struct {
	XMLName xml.Name  `xml:"soapenv:Envelope"`
	Enc     string    `xml:"xmlns:soapenc,attr"`
	Env     string    `xml:"xmlns:soapenv,attr"`
	XSD     string    `xml:"xmlns:xsd,attr"`
	XSI     string    `xml:"xmlns:xsi,attr"`
	Body    faultBody `xml:"soapenv:Body"`
}

type faultBody struct {
	Fault *faultElement
}

type faultElement struct {
	XMLName xml.Name `xml:"soapenv:Fault"`
	Code    string   `xml:"faultcode"`
	String  string   `xml:"faultstring"`
	Detail  struct {
		Fault *faultDetailElement
	} `xml:"detail"`
}

type faultDetailElement struct {
	kind  string
	fault types.BaseMethodFault // nil for unknown kinds: empty element
}

func (d *faultDetailElement) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Name = xml.Name{Local: d.kind + "Fault"}
	start.Attr = append(start.Attr,
		xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: "urn:vim25"},
		xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: d.kind},
	)
	if d.fault == nil {
		if err := e.EncodeToken(start); err != nil {
			return err
		}
		return e.EncodeToken(start.End())
	}
	return e.EncodeElement(d.fault, start)
}

// encodeSOAPFault returns a complete SOAP 1.1 fault envelope.
func encodeSOAPFault(kind, message string, fault types.BaseMethodFault) ([]byte, error) {
	if fault != nil {
		kind = reflect.TypeOf(fault).Elem().Name()
	}
	env := faultEnvelope{
		Enc: "http://schemas.xmlsoap.org/soap/encoding/",
		Env: "http://schemas.xmlsoap.org/soap/envelope/",
		XSD: "http://www.w3.org/2001/XMLSchema",
		XSI: "http://www.w3.org/2001/XMLSchema-instance",
	}
	fe := &faultElement{Code: "ServerFaultCode", String: message}
	fe.Detail.Fault = &faultDetailElement{kind: kind, fault: fault}
	env.Body.Fault = fe

	var out bytes.Buffer
	out.WriteString(xml.Header)
	enc := xml.NewEncoder(&out)
	if err := enc.Encode(&env); err != nil {
		return nil, fmt.Errorf("encoding %s fault: %w", kind, err)
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// validFaultName accepts XML NCName-ish identifiers only, so that a fault
// name from the control API cannot break the envelope.
func validFaultName(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r == '_':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}

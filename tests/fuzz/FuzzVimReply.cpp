// libFuzzer target: whatever a server sends back, the reply readers end with a verdict — no crash,
// no leak, no undefined behaviour, bounded time and memory.
//
// Input: byte 0 picks the reader (0xF0 and above: the update channel's UpdateSet reader; below, byte 0
// modulo 4) and byte 1 the chunk size; the rest is the reply body, fed to the hardened push parser in
// chunks as QNetworkReply::readyRead would.

#include "hypervisor/vsphere/InventoryBuilder.h"
#include "hypervisor/vsphere/InventoryWatch.h"
#include "hypervisor/vsphere/ObjectContentReader.h"
#include "hypervisor/vsphere/ReturnValueReader.h"
#include "hypervisor/vsphere/ServiceContent.h"
#include "hypervisor/vsphere/SoapReplyReader.h"
#include "hypervisor/vsphere/UpdateSetReader.h"
#include "hypervisor/vsphere/VimFaultParser.h"
#include "hypervisor/vsphere/XmlPushParser.h"

#include <cstddef>
#include <cstdint>

using namespace dcm;
using namespace dcm::vsphere;

namespace {

void feed(XmlPushParser& parser, const char* data, size_t size, size_t chunk)
{
    for (size_t at = 0; at < size; at += chunk) {
        if (!parser.feed(data + at, qsizetype(std::min(chunk, size - at))))
            return;
    }
    parser.finish();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size)
{
    if (size < 2)
        return 0;
    const int reader = bytes[0] >= 0xF0 ? 4 : bytes[0] % 4;
    const size_t chunk = size_t(bytes[1]) * 37 + 1;
    const char* data = reinterpret_cast<const char*>(bytes + 2);
    size -= 2;

    switch (reader) {
    case 0: { // RetrievePropertiesEx into the inventory
        InventoryBuilder builder(allInventoryKinds(), MoRef{QStringLiteral("Folder"), QStringLiteral("group-d1")}, {});
        ObjectContentReader objects([&](ObjectContent&& o) { return builder.add(std::move(o)); });
        SoapReplyReader soap(objects, "RetrievePropertiesExResponse");
        XmlPushParser parser(soap);
        feed(parser, data, size, chunk);
        (void)objects.token();
        (void)soap.fault().toError();
        const InventorySnapshot snapshot = builder.take();
        (void)snapshot;
        break;
    }
    case 1: { // small replies: service content, task references, times
        ReturnValueReader values;
        SoapReplyReader soap(values, "RetrieveServiceContentResponse");
        XmlPushParser parser(soap);
        feed(parser, data, size, chunk);
        if (const XmlValue* first = values.first()) {
            (void)ServiceContent::fromReturnValue(*first);
            (void)VimFaultParser::fromLocalizedMethodFault(*first).toError();
            (void)first->textAt("about.apiVersion");
        }
        break;
    }
    case 2: { // a plain document (vimServiceVersions.xml)
        ReturnValueReader values;
        XmlPushParser parser(values);
        feed(parser, data, size, chunk);
        break;
    }
    case 4: { // WaitForUpdatesEx: every update applied to a VM as the live watch does
        VmInfo vm;
        UpdateSetReader updates([&](ObjectUpdate&& u) {
            InventoryWatch::apply(vm, u);
            return true;
        });
        SoapReplyReader soap(updates, "WaitForUpdatesExResponse");
        XmlPushParser parser(soap);
        feed(parser, data, size, chunk);
        (void)updates.version();
        (void)soap.fault().toError();
        break;
    }
    default: { // the same bytes twice through one parser, restarted: no state leaks between replies
        ReturnValueReader values;
        SoapReplyReader soap(values, "CurrentTimeResponse");
        XmlPushParser parser(soap);
        feed(parser, data, size, chunk);
        parser.restart();
        soap.reset();
        feed(parser, data, size, chunk);
        break;
    }
    }
    return 0;
}

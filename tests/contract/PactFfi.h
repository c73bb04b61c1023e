#pragma once

// The part of pact_ffi's C interface the contract tests use. No header ships with the npm package
// (@pact-foundation/pact-core-linux-x64-glibc 20.2.0, pact_ffi 0.5.x), so the declarations are ours,
// written from pact_ffi's public documentation. Strings returned by the library belong to it.

#include <cstddef>
#include <cstdint>

extern "C" {

using PactHandle = std::uint16_t;
using InteractionHandle = std::uint32_t;

enum PactInteractionPart : int
{
    PactRequestPart = 0,
    PactResponsePart = 1,
};

enum PactSpecificationVersion : int
{
    PactSpecUnknown = 0,
    PactSpecV1 = 1,
    PactSpecV1_1 = 2,
    PactSpecV2 = 3,
    PactSpecV3 = 4,
    PactSpecV4 = 5,
};

enum PactLevelFilter : int
{
    PactLogOff = 0,
    PactLogError = 1,
    PactLogWarn = 2,
    PactLogInfo = 3,
    PactLogDebug = 4,
    PactLogTrace = 5,
};

const char* pactffi_version(void);
int pactffi_log_to_stderr(PactLevelFilter level);

// Consumer side: the pact model and its mock server.
PactHandle pactffi_new_pact(const char* consumerName, const char* providerName);
bool pactffi_with_specification(PactHandle pact, PactSpecificationVersion version);
// 0 on success.
unsigned int pactffi_free_pact_handle(PactHandle pact);
InteractionHandle pactffi_new_interaction(PactHandle pact, const char* description);
bool pactffi_upon_receiving(InteractionHandle interaction, const char* description);
bool pactffi_given(InteractionHandle interaction, const char* description);
bool pactffi_given_with_param(InteractionHandle interaction, const char* description, const char* name,
                              const char* value);
bool pactffi_with_request(InteractionHandle interaction, const char* method, const char* path);
// `value` is a plain value or an integration-JSON document ({"value":…, "pact:matcher:type":…}).
bool pactffi_with_header_v2(InteractionHandle interaction, PactInteractionPart part, const char* name,
                            std::size_t index, const char* value);
bool pactffi_with_body(InteractionHandle interaction, PactInteractionPart part, const char* contentType,
                       const char* body);
// Rules as in a pact file's "matchingRules" of that part ({"body": {"<path>": {"matchers": […]}}}).
bool pactffi_with_matching_rules(InteractionHandle interaction, PactInteractionPart part, const char* rules);
// Generators as in a pact file's "generators" of that part ({"body": {"<path>": {"type": …}}}).
bool pactffi_with_generators(InteractionHandle interaction, PactInteractionPart part, const char* generators);
bool pactffi_response_status(InteractionHandle interaction, unsigned short status);

// Returns the port, or a negative error code.
std::int32_t pactffi_create_mock_server_for_transport(PactHandle pact, const char* address, std::uint16_t port,
                                                      const char* transport, const char* transportConfig);
bool pactffi_mock_server_matched(std::int32_t port);
// JSON array; freed by pactffi_cleanup_mock_server.
char* pactffi_mock_server_mismatches(std::int32_t port);
// 0 on success; `overwrite` false merges with an existing file.
std::int32_t pactffi_write_pact_file(std::int32_t port, const char* directory, bool overwrite);
bool pactffi_cleanup_mock_server(std::int32_t port);

// Provider side: the verifier.
struct PactVerifierHandle;
PactVerifierHandle* pactffi_verifier_new_for_application(const char* name, const char* version);
void pactffi_verifier_shutdown(PactVerifierHandle* handle);
void pactffi_verifier_set_provider_info(PactVerifierHandle* handle, const char* name, const char* scheme,
                                        const char* host, unsigned short port, const char* path);
void pactffi_verifier_set_filter_info(PactVerifierHandle* handle, const char* filterDescription,
                                      const char* filterState, unsigned char filterNoState);
void pactffi_verifier_set_provider_state(PactVerifierHandle* handle, const char* url, unsigned char teardown,
                                         unsigned char body);
int pactffi_verifier_set_verification_options(PactVerifierHandle* handle, unsigned char disableSslVerification,
                                              unsigned long requestTimeoutMs);
int pactffi_verifier_set_coloured_output(PactVerifierHandle* handle, unsigned char coloured);
int pactffi_verifier_set_no_pacts_is_error(PactVerifierHandle* handle, unsigned char isError);
void pactffi_verifier_add_file_source(PactVerifierHandle* handle, const char* file);
// 0: every interaction verified; 1: verification failed; other values: the verifier could not run.
int pactffi_verifier_execute(PactVerifierHandle* handle);
// The report as printed; free with pactffi_string_delete.
const char* pactffi_verifier_output(const PactVerifierHandle* handle, unsigned char stripAnsi);
void pactffi_string_delete(char* string);

} // extern "C"

// Replays a fuzz corpus through LLVMFuzzerTestOneInput once per input, in a plain build (any compiler,
// no libFuzzer): every input that ever mattered to the reply readers — recorded replies, hostile
// documents, the crashes fuzzing found — stays a regression test in every CI run. A crash fails the
// test; an empty or missing corpus fails it too, so it never passes by replaying nothing.
// Usage: fuzz_vim_reply_replay <corpus-dir>...

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size);

int main(int argc, char* argv[])
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s <corpus-dir>...\n", argv[0]);
        return 2;
    }
    namespace fs = std::filesystem;
    for (int a = 1; a < argc; ++a) {
        const fs::path dir = argv[a];
        std::error_code error;
        std::vector<fs::path> inputs;
        for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
            if (entry.is_regular_file())
                inputs.push_back(entry.path());
        }
        if (error) {
            std::fprintf(stderr, "corpus %s: %s\n", dir.c_str(), error.message().c_str());
            return 1;
        }
        if (inputs.empty()) {
            std::fprintf(stderr, "corpus %s: no inputs\n", dir.c_str());
            return 1;
        }
        std::sort(inputs.begin(), inputs.end()); // a stable order: a failure names the same input again
        size_t bytes = 0;
        for (const fs::path& input : inputs) {
            std::ifstream file(input, std::ios::binary);
            const std::string data{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
            if (!file.good() && !file.eof()) {
                std::fprintf(stderr, "%s: cannot be read\n", input.c_str());
                return 1;
            }
            // Printed before the run: after a crash, the last line names the input that caused it.
            std::fprintf(stderr, "replaying %s\n", input.filename().c_str());
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
            bytes += data.size();
        }
        std::printf("corpus %s: %zu inputs (%zu bytes) replayed, no crash\n", dir.c_str(), inputs.size(), bytes);
    }
    return 0;
}
